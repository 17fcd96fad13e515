using System.Globalization;
using Relief.Api.CareAgreements;
using Relief.Api.ExtendedPolicies;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Protection;

namespace Relief.Api.Tests.ExtendedPolicies;

/// <summary>The eligibility chain's decision, pure: agreements, a date, an exception and a caller in; a problem or none out.</summary>
public sealed class EligibilityChainDecisionTests
{
    private static readonly Guid FamilyId = Guid.CreateVersion7();
    private static readonly DateOnly Day = new(2020, 9, 28);

    /// <summary>The family's key, which seals an exception's reason.</summary>
    private static readonly DataProtector Family = new PersonalDataVault(
        new MasterKeyRing(new Dictionary<string, string> { ["k1"] = Convert.ToBase64String(new byte[32]) }, "k1"),
        Enumerable.Repeat((byte)7, 32).ToArray()).NewHousehold(FamilyId, AppFixture.Start).Protector;

    private static readonly OwnershipTable Ownership = new(new Dictionary<string, Department[]>
    {
        ["eligibility-exceptions"] = [Department.PovertyAlleviationOffice],
    });

    private static Caller Key(Department department) => new($"dev-{department}", department, null, new HashSet<string>(), null);

    private static CareAgreementDetails Agreement(CareMode mode, string startsOn = "2020-04-01", string? endsOn = null,
        string? endedOn = null) => new()
    {
        Id = Guid.CreateVersion7(), Mode = mode, StartsOn = DateOnly.Parse(startsOn, CultureInfo.InvariantCulture),
        EndsOn = endsOn is null ? null : DateOnly.Parse(endsOn, CultureInfo.InvariantCulture), EndedOn = endedOn is null ? null : DateOnly.Parse(endedOn, CultureInfo.InvariantCulture),
    };

    private static int? Status(EligibilityExceptionInput? exception, Department department, params CareAgreementDetails[] agreements) =>
        EligibilityChain.Check(FamilyId, agreements, Day, exception, Key(department), Ownership, "A case")?.Status;

    [Theory]
    [InlineData(CareMode.KinshipCare)]
    [InlineData(CareMode.NeighbourCare)]
    [InlineData(CareMode.AssignedHelperCare)]
    public void A_kinship_neighbour_or_assigned_helper_agreement_in_force_qualifies(CareMode mode) =>
        Assert.Null(Status(null, Department.Bank, Agreement(mode)));

    [Theory]
    [InlineData(CareMode.CharityCare)]
    [InlineData(CareMode.CentralisedCare)]
    public void Charity_and_centralised_care_do_not(CareMode mode)
    {
        var problem = EligibilityChain.Check(FamilyId, [Agreement(mode)], Day, null, Key(Department.Bank), Ownership, "A case");

        Assert.Equal((409, "urn:relief:problem:no-qualifying-agreement"), (problem?.Status, problem?.Type));
    }

    [Fact]
    public void An_agreement_qualifies_from_its_start_to_its_last_day_only()
    {
        Assert.Equal(409, Status(null, Department.Bank, Agreement(CareMode.KinshipCare, startsOn: "2020-09-29")));
        Assert.Equal(409, Status(null, Department.Bank, Agreement(CareMode.KinshipCare, endsOn: "2020-09-27")));
        Assert.Equal(409, Status(null, Department.Bank, Agreement(CareMode.KinshipCare, endedOn: "2020-09-27")));
        Assert.Null(Status(null, Department.Bank, Agreement(CareMode.KinshipCare, startsOn: "2020-09-28", endsOn: "2020-09-28")));
        Assert.Null(Status(null, Department.Bank, Agreement(CareMode.CharityCare), Agreement(CareMode.NeighbourCare, endedOn: "2020-09-28")));
        Assert.Equal(409, Status(null, Department.Bank));
    }

    [Fact]
    public void Only_the_owner_of_exceptions_grants_one_and_only_where_one_is_needed()
    {
        var exception = new EligibilityExceptionInput("特批");

        Assert.Null(Status(exception, Department.PovertyAlleviationOffice));
        Assert.Equal(403, Status(exception, Department.Bank));
        Assert.Equal(403, Status(exception, Department.Township));
        var needless = EligibilityChain.Check(FamilyId, [Agreement(CareMode.KinshipCare)], Day, exception,
            Key(Department.PovertyAlleviationOffice), Ownership, "A case");
        Assert.Equal((409, "urn:relief:problem:conflict"), (needless?.Status, needless?.Type));
    }

    [Fact]
    public void An_exception_is_recorded_with_its_reason_trimmed_and_none_without_one()
    {
        var subject = Guid.CreateVersion7();
        var caller = Key(Department.PovertyAlleviationOffice);

        Assert.Null(EligibilityChain.Granted(null, subject, EligibilitySubject.Enrolment, FamilyId, "mucheng", Day, caller, () => Family));
        var granted = EligibilityChain.Granted(new EligibilityExceptionInput(" 特批 "), subject, EligibilitySubject.Enrolment, FamilyId,
            "mucheng", Day, caller, () => Family)!;
        Assert.Equal(new EligibilityExceptionGranted(subject, EligibilitySubject.Enrolment, FamilyId, "mucheng", Day,
            Department.PovertyAlleviationOffice, granted.Reason), granted);
        Assert.False(granted.Reason.IsLegacyPlaintext); // sealed under the family's key
        Assert.Equal("特批", Family.Reveal(SealedFields.Reason, granted.Reason));
    }
}
