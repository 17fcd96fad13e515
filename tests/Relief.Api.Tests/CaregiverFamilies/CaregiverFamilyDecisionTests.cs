using Microsoft.AspNetCore.Mvc;
using Relief.Api.CaregiverFamilies;
using Relief.Api.ExtendedPolicies;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Protection;
using Wolverine.Http;
using Wolverine.Marten;

namespace Relief.Api.Tests.CaregiverFamilies;

/// <summary>The caregiver-family decisions, given events and a command, without a database or HTTP.</summary>
public sealed class CaregiverFamilyDecisionTests
{
    private static readonly DateTimeOffset Now = AppFixture.Start; // 2020-10-01 in China
    private static readonly TownshipDirectory Townships = new([new Township("mucheng", "木城街道"), new Township("sanyang", "三阳乡")]);

    private static readonly PersonalDataVault Vault = new(
        new MasterKeyRing(new Dictionary<string, string> { ["k1"] = Convert.ToBase64String(new byte[32]) }, "k1"),
        Enumerable.Repeat((byte)7, 32).ToArray());

    private static readonly Caller Office = new("dev-poverty-office", Department.PovertyAlleviationOffice, null,
        new HashSet<string>(Scopes.All), null);

    private static readonly Caller Health = new("dev-health", Department.HealthCommission, null,
        new HashSet<string> { Scopes.PoliciesWrite }, null);

    private static readonly Caller MuchengTownship = new("dev-township-mucheng", Department.Township, "mucheng",
        new HashSet<string> { Scopes.CareWrite }, null);

    private static FamilyMemberInput Member(Relation relation = Relation.Head, int sequence = 21, DateOnly? birth = null)
    {
        var birthDate = birth ?? new DateOnly(1968, 5, 20);
        return new FamilyMemberInput("李四", relation, birthDate, Gender.Female, Requests.ResidentId(birthDate, sequence),
            "13900139000");
    }

    /// <summary>A family started with its head (and members), as the stream would hold it.</summary>
    private static (CaregiverFamily Family, Guid HeadId, KeyChain Keys) Started(string township = "mucheng",
        params FamilyMemberInput[] members)
    {
        var start = CaregiverFamilyStart.For(township, "西关村", Member(), members, Vault, Now);
        var family = Given(start.Events.ToArray());
        return (family, start.HeadMemberId, Vault.Chain([], [], start.People.Select(p => p.Id), start.People));
    }

    private static CaregiverFamily Given(params object[] events)
    {
        var family = CaregiverFamily.Create((CaregiverFamilyRegistered)events[0]);
        family.Version = 1;
        foreach (var e in events.Skip(1))
        {
            switch (e)
            {
                case CaregiverFamilyMemberAdded added: family.Apply(added); break;
                case CaregiverFamilyMemberChanged changed: family.Apply(changed); break;
                case CaregiverFamilyMemberRemoved removed: family.Apply(removed); break;
                case FamilyDoctorAgreementSigned signed: family.Apply(signed); break;
                case FamilyDoctorAgreementEnded ended: family.Apply(ended); break;
                case NeedsSurveyed surveyed: family.Apply(surveyed); break;
                default: throw new ArgumentException($"Unexpected event {e.GetType().Name}.");
            }

            family.Version++;
        }

        return family;
    }

    private static CaregiverFamily Then(CaregiverFamily family, IEnumerable<object> events)
    {
        foreach (var e in events)
        {
            switch (e)
            {
                case FamilyDoctorAgreementSigned signed: family.Apply(signed); break;
                case FamilyDoctorAgreementEnded ended: family.Apply(ended); break;
                case NeedsSurveyed surveyed: family.Apply(surveyed); break;
                case CaregiverFamilyMemberRemoved removed: family.Apply(removed); break;
            }

            family.Version++;
        }

        return family;
    }

    private static bool Passes(ProblemDetails problem) => ReferenceEquals(problem, WolverineContinue.NoProblems);

    private static SignFamilyDoctorAgreement Doctor(int version, DateOnly signedOn, DateOnly? endsOn = null) =>
        new(version, signedOn, "家庭医生团队一组", "木城街道签约仪式", endsOn);

    [Fact]
    public void Registering_starts_the_stream_with_the_family_its_head_and_members_and_stores_its_key()
    {
        var command = new RegisterCaregiverFamily("木城街道", "西关村", Member() with { Relation = null },
            [Member(Relation.Spouse, 22, new DateOnly(1966, 2, 2))]);

        Assert.True(Passes(RegisterCaregiverFamilyEndpoint.Validate(command, Townships, Office, Now)));
        var (created, start, storeKey) = RegisterCaregiverFamilyEndpoint.Post(command, Townships, Vault, Now);

        var stream = Assert.IsType<StartStream<CaregiverFamily>>(start);
        Assert.Equal(created.Id, stream.StreamId);
        Assert.Equal(3, stream.Events.Count);
        var registered = Assert.IsType<CaregiverFamilyRegistered>(stream.Events[0]);
        Assert.Equal(("mucheng", Now), (registered.Township, registered.RegisteredAt));
        Assert.StartsWith("p-", registered.HeadName.KeyId);
        Assert.DoesNotContain("李四", registered.HeadName.Ciphertext);
        var head = Assert.IsType<CaregiverFamilyMemberAdded>(stream.Events[1]).Member;
        Assert.Equal(Relation.Head, head.Relation);
        Assert.StartsWith("p-", head.Personal.KeyId);
        Assert.DoesNotContain(Member().ResidentId!, head.Personal.Ciphertext);
        Assert.Equal(Relation.Spouse, Assert.IsType<CaregiverFamilyMemberAdded>(stream.Events[2]).Member.Relation);
        Assert.NotNull(storeKey);
    }

    [Fact]
    public void Another_module_starts_a_family_from_the_head_s_name_alone()
    {
        var start = CaregiverFamilyStart.For("sanyang", "村", " 王五 ", Vault, Now);

        Assert.Equal(2, start.Events.Count);
        Assert.Equal(start.FamilyId, Assert.IsType<StartStream<CaregiverFamily>>(start.Stream()).StreamId);
        var added = Assert.IsType<CaregiverFamilyMemberAdded>(start.Events[1]);
        Assert.Equal((start.FamilyId, start.HeadMemberId), (added.FamilyId, added.MemberId));
        Assert.Equal((Relation.Head, (Gender?)null), (added.Member.Relation, added.Member.Gender));
        Assert.Equal(new FamilyMemberPersonalData("王五", null, null, null),
            Vault.ForPerson(start.HeadMemberId, start.People[0]).Open<FamilyMemberPersonalData>(MemberFields.Personal, added.Member.Personal));
        Assert.Equal(start.FamilyId, start.Key.Id);
    }

    [Fact]
    public void Registration_needs_a_county_township_a_village_and_a_head_and_names_each_missing_field()
    {
        var command = new RegisterCaregiverFamily("nowhere", " ", null,
            [Member(Relation.Head, 22), Member(Relation.Child) with { Gender = null }]);

        var problem = Assert.IsType<ValidationProblemDetails>(RegisterCaregiverFamilyEndpoint.Validate(command, Townships, Office, Now));

        string[] expected = ["head", "members[0].relation", "members[1].gender", "township", "village"];
        Assert.Equal(expected, problem.Errors.Keys.Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void The_head_is_Head_and_no_resident_ID_stands_twice_at_registration()
    {
        var spouseAsHead = new RegisterCaregiverFamily("mucheng", "村", Member(Relation.Spouse), []);
        var sameId = new RegisterCaregiverFamily("mucheng", "村", Member(), [Member(Relation.Child)]);

        var first = Assert.IsType<ValidationProblemDetails>(RegisterCaregiverFamilyEndpoint.Validate(spouseAsHead, Townships, Office, Now));
        var second = Assert.IsType<ValidationProblemDetails>(RegisterCaregiverFamilyEndpoint.Validate(sameId, Townships, Office, Now));

        Assert.Contains("head.relation", first.Errors.Keys);
        Assert.Equal("names the same resident ID twice.", second.Errors["members"][0]);
    }

    [Fact]
    public void A_township_key_registers_and_changes_only_in_its_own_township()
    {
        var command = new RegisterCaregiverFamily("sanyang", "村", Member(), null);
        var (family, _, keys) = Started("sanyang");

        Assert.Equal(403, RegisterCaregiverFamilyEndpoint.Validate(command, Townships, MuchengTownship, Now).Status);
        Assert.Equal(403, AddCaregiverFamilyMemberEndpoint.Validate(new AddCaregiverFamilyMember(2, Member(Relation.Child, 23)),
            family, MuchengTownship, keys, Now).Status);
        Assert.Equal(403, SurveyNeedsEndpoint.Validate(new SurveyNeeds(2, new DateOnly(2020, 9, 1), [], null),
            family, MuchengTownship, Now).Status);
    }

    [Fact]
    public void A_family_has_one_head_at_most_but_the_head_may_be_changed_in_place()
    {
        var (family, headId, keys) = Started();

        var secondHead = Assert.IsType<ValidationProblemDetails>(
            CaregiverFamilyRules.ValidateMember(Member(Relation.Head, 25), family, null, keys, Now));
        Assert.Contains("member.relation", secondHead.Errors.Keys);
        Assert.True(Passes(CaregiverFamilyRules.ValidateMember(Member(), family, headId, keys, Now)));
    }

    [Fact]
    public void The_same_resident_ID_cannot_stand_twice_in_one_family()
    {
        var (family, _, keys) = Started();

        var problem = Assert.IsType<ValidationProblemDetails>(
            CaregiverFamilyRules.ValidateMember(Member(Relation.Child), family, null, keys, Now));

        Assert.Contains("member.residentId", problem.Errors.Keys);
    }

    [Fact]
    public void A_member_needs_name_relation_birth_date_and_gender_and_a_valid_phone()
    {
        var (family, _, keys) = Started();
        var incomplete = new FamilyMemberInput(" ", null, new DateOnly(2021, 1, 1), null, null, "12345");

        var problem = Assert.IsType<ValidationProblemDetails>(
            CaregiverFamilyRules.ValidateMember(incomplete, family, null, keys, Now));

        string[] expected = ["member.birthDate", "member.gender", "member.name", "member.phone", "member.relation"];
        Assert.Equal(expected, problem.Errors.Keys.Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void Adding_changing_and_removing_answer_the_next_version_with_one_event()
    {
        var (family, headId, keys) = Started(members: Member(Relation.Spouse, 22, new DateOnly(1966, 2, 2)));
        var spouseId = family.Members.Single(m => m.Value.Relation == Relation.Spouse).Key;

        var (added, addEvents, _) = AddCaregiverFamilyMemberEndpoint.Post(
            new AddCaregiverFamilyMember(3, Member(Relation.Child, 23, new DateOnly(1990, 1, 1))), family, Vault, Now);
        var (changed, changeEvents) = ChangeCaregiverFamilyMemberEndpoint.Put(
            new ChangeCaregiverFamilyMember(3, Member() with { Name = "李四芳" }), family, headId, keys, Vault, Now);
        var record = Vault.NewHousehold(family.Id, Now).Protector;
        var (removed, removeEvents) = RemoveCaregiverFamilyMemberEndpoint.Post(
            new RemoveCaregiverFamilyMember(3, " 迁出 "), family, spouseId, record);

        Assert.Equal(Relation.Child, Assert.IsType<CaregiverFamilyMemberAdded>(Assert.Single(addEvents)).Member.Relation);
        Assert.Equal("李四芳", keys.Person(headId).Open<FamilyMemberPersonalData>(MemberFields.Personal,
            Assert.IsType<CaregiverFamilyMemberChanged>(Assert.Single(changeEvents)).Member.Personal)!.Name);
        Assert.Equal("迁出", record.Reveal(SealedFields.Reason, Assert.IsType<CaregiverFamilyMemberRemoved>(Assert.Single(removeEvents)).Reason));
        Assert.Equal(2, family.Members.Count); // the decisions did not touch the loaded state
    }

    [Fact]
    public void The_head_cannot_be_removed_and_unknown_members_are_404()
    {
        var (family, headId, _) = Started();

        Assert.Equal(409, RemoveCaregiverFamilyMemberEndpoint.Validate(new RemoveCaregiverFamilyMember(2, "迁出"), family, headId, Office).Status);
        Assert.Equal(404, RemoveCaregiverFamilyMemberEndpoint.Validate(
            new RemoveCaregiverFamilyMember(2, "迁出"), family, Guid.CreateVersion7(), Office).Status);
        Assert.Equal(404, SignFamilyDoctorAgreementEndpoint.Validate(
            Doctor(2, new DateOnly(2020, 9, 1)), family, Guid.CreateVersion7(), Health, Now).Status);
    }

    [Fact]
    public void Signing_a_family_doctor_agreement_records_date_doctor_ceremony_and_term()
    {
        var (family, headId, _) = Started();
        var command = Doctor(2, new DateOnly(2020, 9, 20), new DateOnly(2021, 9, 19));

        Assert.True(Passes(SignFamilyDoctorAgreementEndpoint.Validate(command, family, headId, Health, Now)));
        var (saved, events) = SignFamilyDoctorAgreementEndpoint.Post(command, family, headId, Now);

        var signed = Assert.IsType<FamilyDoctorAgreementSigned>(Assert.Single(events));
        Assert.Equal(new FamilyDoctorAgreementSigned(family.Id, headId, saved.AgreementId, new DateOnly(2020, 9, 20),
            "家庭医生团队一组", "木城街道签约仪式", new DateOnly(2021, 9, 19)), signed);
    }

    [Fact]
    public void A_family_doctor_agreement_needs_a_past_date_a_doctor_and_a_term_not_ending_before_it_starts()
    {
        var (family, headId, _) = Started();

        var missing = Assert.IsType<ValidationProblemDetails>(SignFamilyDoctorAgreementEndpoint.Validate(
            new SignFamilyDoctorAgreement(2, null, " ", null, null), family, headId, Health, Now));
        var wrongDates = Assert.IsType<ValidationProblemDetails>(SignFamilyDoctorAgreementEndpoint.Validate(
            Doctor(2, new DateOnly(2020, 10, 2), new DateOnly(2020, 10, 1)), family, headId, Health, Now));

        Assert.Equal(["doctorOrTeam", "signedOn"], missing.Errors.Keys.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(["endsOn", "signedOn"], wrongDates.Errors.Keys.Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void A_member_holds_one_family_doctor_agreement_at_a_time_but_may_sign_again_once_its_term_ran_out()
    {
        var (family, headId, _) = Started();
        var (_, first) = SignFamilyDoctorAgreementEndpoint.Post(
            Doctor(2, new DateOnly(2019, 9, 1), new DateOnly(2020, 8, 31)), family, headId, Now);
        family = Then(family, first);

        Assert.Equal(409, SignFamilyDoctorAgreementEndpoint.Validate(Doctor(3, new DateOnly(2020, 8, 31)), family, headId, Health, Now).Status);
        Assert.True(Passes(SignFamilyDoctorAgreementEndpoint.Validate(Doctor(3, new DateOnly(2020, 9, 1)), family, headId, Health, Now)));

        var (_, openEnded) = SignFamilyDoctorAgreementEndpoint.Post(Doctor(3, new DateOnly(2020, 9, 1)), family, headId, Now);
        family = Then(family, openEnded);
        Assert.Equal(409, SignFamilyDoctorAgreementEndpoint.Validate(Doctor(4, new DateOnly(2020, 9, 30)), family, headId, Health, Now).Status);
    }

    [Fact]
    public void Ending_a_family_doctor_agreement_frees_the_member_to_sign_again()
    {
        var (family, headId, _) = Started();
        var end = new EndFamilyDoctorAgreement(2, new DateOnly(2020, 9, 25), "迁往外地");
        Assert.Equal(409, EndFamilyDoctorAgreementEndpoint.Validate(end, family, headId, Health, Now).Status);

        var (signed, signEvents) = SignFamilyDoctorAgreementEndpoint.Post(Doctor(2, new DateOnly(2020, 9, 20)), family, headId, Now);
        family = Then(family, signEvents);
        var early = Assert.IsType<ValidationProblemDetails>(EndFamilyDoctorAgreementEndpoint.Validate(
            end with { EndedOn = new DateOnly(2020, 9, 19) }, family, headId, Health, Now));
        Assert.Contains("endedOn", early.Errors.Keys);

        Assert.True(Passes(EndFamilyDoctorAgreementEndpoint.Validate(end with { Version = 3 }, family, headId, Health, Now)));
        var (_, endEvents) = EndFamilyDoctorAgreementEndpoint.Post(end with { Version = 3 }, family, headId,
            Vault.NewHousehold(family.Id, Now).Protector);
        Assert.Equal(signed.AgreementId, Assert.IsType<FamilyDoctorAgreementEnded>(Assert.Single(endEvents)).AgreementId);
        family = Then(family, endEvents);
        Assert.True(Passes(SignFamilyDoctorAgreementEndpoint.Validate(Doctor(4, new DateOnly(2020, 9, 30)), family, headId, Health, Now)));
    }

    [Fact]
    public void The_needs_survey_records_the_policies_in_order_and_the_latest_survey_stands()
    {
        var (family, _, _) = Started();
        var command = new SurveyNeeds(2, new DateOnly(2020, 9, 15),
            [ExtendedPolicy.FinancialLoan, ExtendedPolicy.PublicWelfarePost], " 想贷款养牛 ");

        Assert.True(Passes(SurveyNeedsEndpoint.Validate(command, family, Office, Now)));
        var record = Vault.NewHousehold(family.Id, Now).Protector;
        var (_, events) = SurveyNeedsEndpoint.Put(command, family, record);
        var surveyed = Assert.IsType<NeedsSurveyed>(Assert.Single(events));
        Assert.Equal([ExtendedPolicy.PublicWelfarePost, ExtendedPolicy.FinancialLoan], surveyed.Needs);
        Assert.Equal("想贷款养牛", record.Reveal(SealedFields.Note, surveyed.Note));

        family = Then(family, events);
        Assert.Equal(409, SurveyNeedsEndpoint.Validate(command with { Version = 3, SurveyedOn = new DateOnly(2020, 9, 14) },
            family, Office, Now).Status);
        Assert.True(Passes(SurveyNeedsEndpoint.Validate(command with { Version = 3, Needs = [] }, family, Office, Now)));
    }

    [Fact]
    public void A_survey_needs_a_past_date_and_a_list_naming_each_policy_once()
    {
        var (family, _, _) = Started();

        var missing = Assert.IsType<ValidationProblemDetails>(SurveyNeedsEndpoint.Validate(
            new SurveyNeeds(2, null, null, null), family, Office, Now));
        var twice = Assert.IsType<ValidationProblemDetails>(SurveyNeedsEndpoint.Validate(
            new SurveyNeeds(2, new DateOnly(2020, 10, 2), [ExtendedPolicy.FamilyDoctor, ExtendedPolicy.FamilyDoctor], null),
            family, Office, Now));

        Assert.Equal(["needs", "surveyedOn"], missing.Errors.Keys.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(["needs", "surveyedOn"], twice.Errors.Keys.Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void A_family_is_covered_by_family_doctors_when_every_current_member_has_an_agreement_in_force()
    {
        var head = Guid.CreateVersion7();
        var child = Guid.CreateVersion7();
        var agreement = new FamilyDoctorAgreement(Guid.CreateVersion7(), new DateOnly(2020, 9, 1), "团队", null,
            new DateOnly(2021, 8, 31), null, null);
        var record = new FamilyMemberRecord(Relation.Head, Gender.Female, new ProtectedValue("p-0", "sealed"));
        var view = new CaregiverFamilyDetails
        {
            Members = [new(head, record, agreement), new(child, record with { Relation = Relation.Child }, null)],
        };
        var today = new DateOnly(2020, 10, 1);

        Assert.Equal(1, view.MembersWithFamilyDoctorOn(today));
        Assert.False(view.FamilyDoctorCoveredOn(today));

        view.Members[1] = view.Members[1] with { FamilyDoctor = agreement with { EndedOn = new DateOnly(2020, 9, 30) } };
        Assert.False(view.FamilyDoctorCoveredOn(today));   // ended the day before
        Assert.True(view.FamilyDoctorCoveredOn(new DateOnly(2020, 9, 30)));
        Assert.False(view.FamilyDoctorCoveredOn(new DateOnly(2020, 8, 31))); // not yet signed
        view.Members[1] = view.Members[1] with { FamilyDoctor = agreement };
        Assert.True(view.FamilyDoctorCoveredOn(today));
        Assert.False(view.FamilyDoctorCoveredOn(new DateOnly(2021, 9, 1))); // term ran out
        Assert.False(new CaregiverFamilyDetails().FamilyDoctorCoveredOn(today));
    }
}
