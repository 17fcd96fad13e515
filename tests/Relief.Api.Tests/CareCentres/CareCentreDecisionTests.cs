using System.Globalization;
using Relief.Core.Protection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Relief.Api.CareCentres;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;

namespace Relief.Api.Tests.CareCentres;

/// <summary>The care-centre decisions, given events and a command, without a database or HTTP.</summary>
public sealed class CareCentreDecisionTests
{
    private static readonly DateTimeOffset Now = AppFixture.Start; // 2020-10-01 in China
    private static readonly Guid CentreId = Guid.CreateVersion7();
    private static readonly Guid HouseholdId = Guid.CreateVersion7();
    private static readonly Guid MemberId = Guid.CreateVersion7();
    private static readonly IConfiguration Configuration = new ConfigurationBuilder().Build();

    /// <summary>The household's key, which seals the reason of an exception to the admission rule.</summary>
    private static readonly Relief.Api.Infrastructure.PersonalData.DataProtector Record = new Relief.Api.Infrastructure.PersonalData.PersonalDataVault(
        new MasterKeyRing(new Dictionary<string, string> { ["k1"] = Convert.ToBase64String(new byte[32]) }, "k1"),
        Enumerable.Repeat((byte)7, 32).ToArray()).NewHousehold(HouseholdId, Now).Protector;

    private static readonly Caller Office = new("dev-civil-affairs", Department.CivilAffairs, null,
        new HashSet<string>(Scopes.All), null);

    private static readonly OwnershipTable Ownership = new(new Dictionary<string, Department[]>
    {
        ["admission-exceptions"] = [Department.PovertyAlleviationOffice],
    });

    private static CareCentre Given(params object[] events)
    {
        var centre = CareCentre.Create((CareCentreRegistered)events[0]);
        centre.Version = 1;
        foreach (var e in events.Skip(1))
        {
            switch (e)
            {
                case CentreBedsChanged changed: centre.Apply(changed); break;
                case ResidentAdmitted admitted: centre.Apply(admitted); break;
                case TrialStayStarted started: centre.Apply(started); break;
                case TrialStayConverted converted: centre.Apply(converted); break;
                case TrialStayEnded ended: centre.Apply(ended); break;
                case ResidentDischarged discharged: centre.Apply(discharged); break;
                case ResidentTransferredOut moved: centre.Apply(moved); break;
                case ResidentTransferredIn arrived: centre.Apply(arrived); break;
            }

            centre.Version++;
        }

        return centre;
    }

    private static CareCentreRegistered Registered(int beds = 2, Guid? id = null, string name = "木城医养中心") =>
        new(id ?? CentreId, name, "mucheng", beds, CentreBasis.NursingHome, new DateOnly(2020, 4, 1));

    private static ResidentAdmitted Admitted(Guid? stayId = null, Guid? memberId = null, Guid? centreId = null) =>
        new(centreId ?? CentreId, stayId ?? Guid.CreateVersion7(), HouseholdId, memberId ?? Guid.CreateVersion7(),
            new DateOnly(2020, 9, 1), DisabilityType.Physical);

    private static TrialStayStarted OnTrial(Guid stayId) =>
        new(CentreId, stayId, HouseholdId, Guid.CreateVersion7(), new DateOnly(2020, 9, 20), new DateOnly(2020, 10, 10));

    private static MemberPersonalData Member(int? grade = 1, DependencyLevel? dependency = DependencyLevel.Full,
        DisabilityType? type = DisabilityType.Physical) =>
        new("王大", new DateOnly(1950, 3, 15), null, null, null, grade is null ? null : type, grade, dependency);

    /// <summary>The member as the decision sees them: in the household (sealed), and opened with their key.</summary>
    private static StayCandidate Candidate(MemberPersonalData member, params CentreStay[] activeStays) =>
        new(new HouseholdDetails
            {
                Id = HouseholdId, Township = "mucheng",
                Members = [new HouseholdMemberDetails(MemberId,
                    new MemberRecord(Relation.Head, Gender.Male, new Relief.Core.Protection.ProtectedValue("p-0", "sealed")))],
            },
            activeStays, member, Record: Record);

    private static CentreStay Stay(Guid id, StayStatus status = StayStatus.Active, Guid? centreId = null,
        StayKind kind = StayKind.Admission) => new()
    {
        Id = id, CentreId = centreId ?? CentreId, HouseholdId = HouseholdId, MemberId = MemberId, Kind = kind,
        Status = status, From = new DateOnly(2020, 9, 1), To = status == StayStatus.Active ? null : new DateOnly(2020, 9, 15),
    };

    private static AdmitResident Admission(string on = "2020-09-15") => new(HouseholdId, MemberId, DateOnly.Parse(on, CultureInfo.InvariantCulture));

    private static bool Passes(ProblemDetails problem) => ReferenceEquals(problem, WolverineContinue.NoProblems);

    [Fact]
    public void An_eligible_member_is_admitted_with_their_disability_type_at_the_next_version()
    {
        var centre = Given(Registered(beds: 2), Admitted());
        var candidate = Candidate(Member());

        Assert.True(Passes(AdmitResidentEndpoint.Validate(Admission(), centre, candidate, Office, Ownership, Now)));
        var (saved, events) = AdmitResidentEndpoint.Post(Admission(), centre, candidate, Office, Now);

        var admitted = Assert.IsType<ResidentAdmitted>(Assert.Single(events));
        Assert.Equal(saved.StayId, admitted.StayId);
        Assert.Equal(MemberId, admitted.MemberId);
        Assert.Equal(DisabilityType.Physical, admitted.DisabilityType);
        Assert.Single(centre.Stays); // the decision did not touch the loaded state
    }

    [Fact]
    public void A_full_centre_refuses_admissions_and_trials_naming_its_beds()
    {
        var centre = Given(Registered(beds: 2), Admitted(), OnTrial(Guid.CreateVersion7()));
        var candidate = Candidate(Member());

        var admission = AdmitResidentEndpoint.Validate(Admission(), centre, candidate, Office, Ownership, Now);
        var trial = StartTrialStayEndpoint.Validate(
            new StartTrialStay(HouseholdId, MemberId, new DateOnly(2020, 9, 25), new DateOnly(2020, 10, 5)),
            centre, candidate, Office, Ownership, Configuration, Now);

        Assert.Equal(409, admission.Status);
        Assert.Equal("All 2 beds of 木城医养中心 are occupied (1 residents, 1 trial stays).", admission.Detail);
        Assert.Equal(409, trial.Status);
    }

    [Fact]
    public void A_discharge_frees_a_bed_for_the_next_admission()
    {
        var stayId = Guid.CreateVersion7();
        var centre = Given(Registered(beds: 1), Admitted(stayId),
            new ResidentDischarged(CentreId, stayId, new DateOnly(2020, 9, 10), ProtectedValue.LegacyPlaintext("home")));

        Assert.True(Passes(AdmitResidentEndpoint.Validate(Admission(), centre, Candidate(Member()), Office, Ownership, Now)));
    }

    [Theory]
    [InlineData(3, DependencyLevel.None, false)]
    [InlineData(null, DependencyLevel.None, false)]
    [InlineData(null, null, false)]
    [InlineData(1, DependencyLevel.None, true)]
    [InlineData(2, DependencyLevel.None, true)]
    [InlineData(4, DependencyLevel.Partial, false)]
    [InlineData(null, DependencyLevel.Full, false)]
    public void The_seeds_rule_admits_the_severely_disabled_only(int? grade, DependencyLevel? dependency, bool admitted)
    {
        var centre = Given(Registered());

        var problem = AdmitResidentEndpoint.Validate(Admission(), centre, Candidate(Member(grade, dependency)), Office, Ownership, Now);

        Assert.Equal(admitted, Passes(problem));
        if (!admitted) Assert.Equal((409, "urn:relief:problem:not-admissible"), (problem.Status, problem.Type));
    }

    [Theory]
    [InlineData(3, DependencyLevel.None, false)]
    [InlineData(null, null, false)]
    [InlineData(2, DependencyLevel.None, true)]
    [InlineData(4, DependencyLevel.Partial, true)]
    [InlineData(null, DependencyLevel.Full, true)]
    public void The_seeds_rule_gives_the_partly_or_fully_dependent_a_trial_stay(int? grade, DependencyLevel? dependency, bool accepted)
    {
        var centre = Given(Registered());
        var command = new StartTrialStay(HouseholdId, MemberId, new DateOnly(2020, 9, 25), new DateOnly(2020, 10, 5));

        var problem = StartTrialStayEndpoint.Validate(command, centre, Candidate(Member(grade, dependency)), Office, Ownership,
            Configuration, Now);

        Assert.Equal(accepted, Passes(problem));
        if (!accepted) Assert.Equal("urn:relief:problem:not-admissible", problem.Type);
    }

    [Fact]
    public void The_rule_in_force_on_the_day_decides_and_an_exception_needs_its_owner_and_a_reason()
    {
        var centre = Given(Registered());
        var partly = Member(null, DependencyLevel.Partial);
        var broader = new AdmissionRuleAdopted(Guid.CreateVersion7(), new DateOnly(2020, 9, 1),
            new AdmissionCriteria([1, 2], [DependencyLevel.Full, DependencyLevel.Partial]), AdmissionRule.Seed.TrialStay,
            new DateOnly(2020, 8, 20), Department.CivilAffairs);
        var rules = AdmissionRules.Create(broader);
        var office = new Caller("dev-poverty-office", Department.PovertyAlleviationOffice, null, new HashSet<string>(Scopes.All), null);
        var exception = new AdmissionExceptionInput("家中无人照料，县扶贫办特批");

        Assert.True(Passes(AdmitResidentEndpoint.Validate(Admission("2020-09-01"), centre, Candidate(partly) with { Rules = rules },
            Office, Ownership, Now)));
        Assert.Equal("urn:relief:problem:not-admissible", AdmitResidentEndpoint.Validate(Admission("2020-08-31"), centre,
            Candidate(partly) with { Rules = rules }, Office, Ownership, Now).Type);
        Assert.True(Passes(AdmitResidentEndpoint.Validate(Admission() with { Exception = exception }, centre, Candidate(partly), office,
            Ownership, Now)));
        Assert.Equal(403, AdmitResidentEndpoint.Validate(Admission() with { Exception = exception }, centre, Candidate(partly), Office,
            Ownership, Now).Status);
        Assert.Equal(400, AdmitResidentEndpoint.Validate(Admission() with { Exception = new AdmissionExceptionInput(null) }, centre,
            Candidate(partly), office, Ownership, Now).Status);
        Assert.Equal("urn:relief:problem:conflict", AdmitResidentEndpoint.Validate(Admission() with { Exception = exception }, centre,
            Candidate(Member()), office, Ownership, Now).Type);

        var (saved, events) = AdmitResidentEndpoint.Post(Admission() with { Exception = exception }, centre, Candidate(partly), office, Now);
        Assert.Equal(2, events.Count);
        var granted = Assert.IsType<AdmissionExceptionGranted>(events[1]);
        Assert.Equal(new AdmissionExceptionGranted(CentreId, saved.StayId, HouseholdId, MemberId, StayKind.Admission,
            new DateOnly(2020, 9, 15), Department.PovertyAlleviationOffice, granted.Reason), granted);
        Assert.False(granted.Reason.IsLegacyPlaintext); // sealed under the household's key
        Assert.Equal("家中无人照料，县扶贫办特批", Record.Reveal(Relief.Api.Infrastructure.PersonalData.SealedFields.Reason, granted.Reason));
    }

    [Fact]
    public void A_member_with_an_active_stay_anywhere_cannot_hold_a_second()
    {
        var centre = Given(Registered());
        var elsewhere = Stay(Guid.CreateVersion7(), centreId: Guid.CreateVersion7());

        var problem = AdmitResidentEndpoint.Validate(Admission(), centre, Candidate(Member(), elsewhere), Office, Ownership, Now);

        Assert.Equal(409, problem.Status);
        Assert.Contains(elsewhere.Id.ToString(), problem.Detail);
    }

    [Fact]
    public void Unknown_households_and_members_are_404_and_a_township_key_stays_in_its_township()
    {
        var centre = Given(Registered());
        var township = new Caller("dev-township-sanyang", Department.Township, "sanyang", new HashSet<string>(Scopes.All), null);

        Assert.Equal(404, AdmitResidentEndpoint.Validate(Admission(), centre, StayCandidate.None, Office, Ownership, Now).Status);
        Assert.Equal(404, AdmitResidentEndpoint.Validate(Admission() with { MemberId = Guid.CreateVersion7() }, centre,
            Candidate(Member()), Office, Ownership, Now).Status);
        Assert.Equal(403, AdmitResidentEndpoint.Validate(Admission(), centre, Candidate(Member()), township, Ownership, Now).Status);
    }

    [Fact]
    public void Admissions_in_the_future_or_before_the_centre_opened_are_400()
    {
        var centre = Given(Registered());

        var future = Assert.IsType<ValidationProblemDetails>(
            AdmitResidentEndpoint.Validate(Admission("2020-10-02"), centre, Candidate(Member()), Office, Ownership, Now));
        var beforeOpening = Assert.IsType<ValidationProblemDetails>(
            AdmitResidentEndpoint.Validate(Admission("2020-03-31"), centre, Candidate(Member()), Office, Ownership, Now));

        Assert.Contains("admittedOn", future.Errors.Keys);
        Assert.Contains("admittedOn", beforeOpening.Errors.Keys);
    }

    [Theory]
    [InlineData("2020-09-01", "2020-09-30", 30, true)]
    [InlineData("2020-09-01", "2020-10-01", 30, false)]
    [InlineData("2020-09-01", "2020-09-14", 14, true)]
    [InlineData("2020-09-01", "2020-09-15", 14, false)]
    public void A_trial_stay_lasts_at_most_the_configured_days(string from, string until, int maxDays, bool accepted)
    {
        var centre = Given(Registered());
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(
            new Dictionary<string, string?> { ["Relief:CareCentres:MaxTrialDays"] = maxDays.ToString(CultureInfo.InvariantCulture) }).Build();
        var command = new StartTrialStay(HouseholdId, MemberId, DateOnly.Parse(from, CultureInfo.InvariantCulture), DateOnly.Parse(until, CultureInfo.InvariantCulture));

        var problem = StartTrialStayEndpoint.Validate(command, centre, Candidate(Member()), Office, Ownership, configuration, Now);

        Assert.Equal(accepted, Passes(problem));
        if (!accepted) Assert.Contains("until", Assert.IsType<ValidationProblemDetails>(problem).Errors.Keys);
    }

    [Fact]
    public void Converting_a_trial_frees_no_bed_and_needs_none_and_starts_a_new_admission()
    {
        var trialId = Guid.CreateVersion7();
        var trial = OnTrial(trialId) with { MemberId = MemberId };
        var centre = Given(Registered(beds: 1), trial);
        var candidate = Candidate(Member(), Stay(trialId, kind: StayKind.Trial));
        var command = new ConvertTrialStay(new DateOnly(2020, 9, 30));

        Assert.True(Passes(ConvertTrialStayEndpoint.Validate(command, centre, trialId, null, candidate, Office, Ownership, Now)));
        var (saved, events) = ConvertTrialStayEndpoint.Post(command, centre, trialId, candidate, Office, Now);

        var converted = Assert.IsType<TrialStayConverted>(events[0]);
        var admitted = Assert.IsType<ResidentAdmitted>(events[1]);
        Assert.Equal(trialId, converted.StayId);
        Assert.Equal(admitted.StayId, converted.AdmissionStayId);
        Assert.Equal(saved.StayId, admitted.StayId);
        Assert.Equal(2, events.Count);
    }

    [Fact]
    public void Converting_ending_or_discharging_an_unknown_stay_is_404_and_an_inactive_or_other_kind_409()
    {
        var trialId = Guid.CreateVersion7();
        var residentId = Guid.CreateVersion7();
        var dischargedId = Guid.CreateVersion7();
        var centre = Given(Registered(beds: 5), OnTrial(trialId), Admitted(residentId), Admitted(dischargedId),
            new ResidentDischarged(CentreId, dischargedId, new DateOnly(2020, 9, 15), ProtectedValue.LegacyPlaintext("home")));
        var unknown = Guid.CreateVersion7();
        var discharged = Stay(dischargedId, StayStatus.Discharged);
        var convert = new ConvertTrialStay(new DateOnly(2020, 9, 30));
        var end = new EndTrialStay(new DateOnly(2020, 9, 30), "home");
        var discharge = new DischargeResident(new DateOnly(2020, 9, 30), "home");

        Assert.Equal(404, ConvertTrialStayEndpoint.Validate(convert, centre, unknown, null, StayCandidate.None, Office, Ownership, Now).Status);
        Assert.Equal(404, EndTrialStayEndpoint.Validate(end, centre, unknown, null, Now).Status);
        Assert.Equal(404, DischargeResidentEndpoint.Validate(discharge, centre, unknown, null, [], Now).Status);
        Assert.Equal(404, DischargeResidentEndpoint.Validate(discharge, centre, dischargedId,
            Stay(dischargedId, StayStatus.Discharged, centreId: Guid.CreateVersion7()), [], Now).Status);

        Assert.Equal(409, DischargeResidentEndpoint.Validate(discharge, centre, dischargedId, discharged, [], Now).Status);
        Assert.Equal(409, DischargeResidentEndpoint.Validate(discharge, centre, trialId, null, [], Now).Status);
        Assert.Equal(409, EndTrialStayEndpoint.Validate(end, centre, residentId, null, Now).Status);
        Assert.Equal(409, ConvertTrialStayEndpoint.Validate(convert, centre, residentId, null, StayCandidate.None, Office, Ownership, Now).Status);
        Assert.True(Passes(EndTrialStayEndpoint.Validate(end, centre, trialId, null, Now)));
        Assert.True(Passes(DischargeResidentEndpoint.Validate(discharge, centre, residentId, null, [], Now)));
    }

    [Fact]
    public void A_resident_is_not_discharged_while_a_centralised_care_agreement_rests_on_the_stay()
    {
        var residentId = Guid.CreateVersion7();
        var centre = Given(Registered(), Admitted(residentId));
        var agreement = new Relief.Api.CareAgreements.CareAgreementDetails { Id = Guid.CreateVersion7(), CentreStayId = residentId };

        var problem = DischargeResidentEndpoint.Validate(new DischargeResident(new DateOnly(2020, 9, 30), "home"), centre,
            residentId, null, [agreement], Now);

        Assert.Equal(409, problem.Status);
        Assert.Contains(agreement.Id.ToString(), problem.Detail);
    }

    [Fact]
    public void An_end_dated_before_the_stay_began_is_409()
    {
        var residentId = Guid.CreateVersion7();
        var centre = Given(Registered(), Admitted(residentId));

        var problem = DischargeResidentEndpoint.Validate(new DischargeResident(new DateOnly(2020, 8, 31), "home"), centre, residentId, null, [], Now);

        Assert.Equal(409, problem.Status);
    }

    [Fact]
    public void A_transfer_needs_a_free_bed_in_the_target_centre()
    {
        var residentId = Guid.CreateVersion7();
        var targetId = Guid.CreateVersion7();
        var centre = Given(Registered(), Admitted(residentId));
        var full = Given(Registered(beds: 1, id: targetId, name: "三阳医养中心"), Admitted(centreId: targetId));
        var command = new TransferResident(targetId, new DateOnly(2020, 9, 30));

        var problem = TransferResidentEndpoint.Validate(command, centre, residentId, null, new TransferTarget(full), Now);

        Assert.Equal(409, problem.Status);
        Assert.Contains("三阳医养中心", problem.Detail);
        Assert.Equal(404, TransferResidentEndpoint.Validate(command, centre, residentId, null, TransferTarget.None, Now).Status);
        Assert.Equal(400, TransferResidentEndpoint.Validate(command with { ToCentreId = CentreId }, centre, residentId, null,
            TransferTarget.None, Now).Status);
    }

    [Fact]
    public void Beds_never_go_below_the_occupied_beds()
    {
        var centre = Given(Registered(beds: 3), Admitted(), OnTrial(Guid.CreateVersion7()));

        Assert.Equal(409, ChangeCentreBedsEndpoint.Validate(new ChangeCentreBeds(3, 1, "ward closed"), centre).Status);
        Assert.True(Passes(ChangeCentreBedsEndpoint.Validate(new ChangeCentreBeds(3, 2, "ward closed"), centre)));
    }

    [Fact]
    public void The_rule_in_force_is_the_latest_that_began_on_or_before_the_day()
    {
        var rules = FundingRules.Create(Rule("2020-04-01", 2600m));
        rules.Apply(Rule("2021-01-01", 2800m));

        Assert.Null(rules.InForceOn(new DateOnly(2020, 3, 1)));
        Assert.Equal(2600m, rules.InForceOn(new DateOnly(2020, 12, 1))!.MonthlyRates[DisabilityType.Physical]);
        Assert.Equal(2800m, rules.InForceOn(new DateOnly(2021, 1, 1))!.MonthlyRates[DisabilityType.Physical]);
    }

    [Fact]
    public void A_rule_begins_on_the_first_of_a_month_later_than_every_earlier_rule()
    {
        var rules = FundingRules.Create(Rule("2020-04-01", 2600m));
        var rates = new Dictionary<DisabilityType, decimal> { [DisabilityType.Physical] = 2800m };

        var midMonth = AdoptFundingRuleEndpoint.Check(new AdoptFundingRule(new DateOnly(2021, 1, 15), rates, null, 2, 1), rules);
        var sameDay = AdoptFundingRuleEndpoint.Check(new AdoptFundingRule(new DateOnly(2020, 4, 1), rates, null, 2, 1), rules);
        var later = AdoptFundingRuleEndpoint.Check(new AdoptFundingRule(new DateOnly(2021, 1, 1), rates, null, 2, 1), rules);
        var first = AdoptFundingRuleEndpoint.Check(new AdoptFundingRule(new DateOnly(2019, 1, 1), rates, null, 2, 1), null);
        var noShares = AdoptFundingRuleEndpoint.Check(new AdoptFundingRule(new DateOnly(2021, 1, 1), rates, null, 0, 0), rules);

        Assert.Contains("effectiveFrom", Assert.IsType<ValidationProblemDetails>(midMonth).Errors.Keys);
        Assert.Equal(409, sameDay.Status);
        Assert.True(Passes(later));
        Assert.True(Passes(first));
        Assert.Equal(400, noShares.Status);
    }

    [Theory]
    [InlineData(2600, 0, 1733.33, 866.67)]
    [InlineData(1600, 0, 1066.67, 533.33)]
    [InlineData(2300, 0, 1533.33, 766.67)]
    [InlineData(2300, 500, 1200, 600)]
    [InlineData(400, 500, 0, 0)]
    public void The_shortfall_after_pooled_funds_is_split_two_to_one_to_the_fen(decimal rate, decimal pooled, decimal county, decimal township)
    {
        var rule = new FundingRule(Guid.CreateVersion7(), new DateOnly(2020, 4, 1), [], new PooledFunds(pooled, 0m), 2, 1,
            new DateOnly(2020, 4, 1));

        var cost = MonthlyCost.Of(rule, rate);

        Assert.Equal(county, cost.CountyPays);
        Assert.Equal(township, cost.TownshipPays);
        Assert.Equal(rate, cost.Pooled + cost.CountyPays + cost.TownshipPays);
    }

    private static FundingRuleAdopted Rule(string from, decimal physical) =>
        new(Guid.CreateVersion7(), DateOnly.Parse(from, CultureInfo.InvariantCulture), new Dictionary<DisabilityType, decimal> { [DisabilityType.Physical] = physical },
            PooledFunds.Nothing, 2, 1, DateOnly.Parse(from, CultureInfo.InvariantCulture));
}
