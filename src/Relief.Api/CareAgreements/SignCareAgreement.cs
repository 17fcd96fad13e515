using System.ComponentModel.DataAnnotations;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.CareCentres;
using Relief.Api.CaregiverFamilies;
using Relief.Api.Households;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.OpenApi;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
using Wolverine.Http;
using Wolverine.Marten;

namespace Relief.Api.CareAgreements;

/// <summary>The caregiver as sent: a person (by name), a caregiver family (by id) or an organisation.</summary>
public sealed record CaregiverInput(
    [property: Required] CaregiverKind? Kind,
    [property: MaxLength(CaregiverInput.MaxNameLength)] string? Name,
    Guid? CaregiverFamilyId)
{
    public const int MaxNameLength = 100;
}

/// <summary>
/// Sign a care agreement (五养协议) for a household. A centralised-care agreement names the centre
/// stay (admission) it rests on.
/// </summary>
public sealed record SignCareAgreement(
    [property: Required] CareMode? Mode,
    [property: Required] CaregiverInput? Caregiver,
    [property: Required] CareTermsInput? Terms,
    Guid? CentreStayId,
    [property: Required] DateOnly? SignedOn) : IHasExample<SignCareAgreement>
{
    public static SignCareAgreement Example { get; } = new(CareMode.NeighbourCare,
        new CaregiverInput(CaregiverKind.Person, "李大娘", null),
        new CareTermsInput(new DateOnly(2020, 4, 1), new DateOnly(2021, 3, 31), ["daily visit", "meals"], 300m, []),
        null, new DateOnly(2020, 4, 1));
}

/// <summary>
/// What signing needs to know beyond the command: the household, whether the linked family exists,
/// and the centre stay a centralised-care agreement names.
/// </summary>
public sealed record SigningContext(HouseholdDetails? Household, CaregiverFamilyDetails? Family, CentreStay? CentreStay);

public static class SignCareAgreementEndpoint
{
    /// <summary>Which caregivers each kind of care allows.</summary>
    public static readonly IReadOnlyDictionary<CareMode, CaregiverKind[]> AllowedCaregivers =
        new Dictionary<CareMode, CaregiverKind[]>
        {
            [CareMode.CentralisedCare] = [CaregiverKind.Organisation],
            [CareMode.KinshipCare] = [CaregiverKind.Person, CaregiverKind.CaregiverFamily],
            [CareMode.NeighbourCare] = [CaregiverKind.Person, CaregiverKind.CaregiverFamily],
            [CareMode.CharityCare] = [CaregiverKind.Person, CaregiverKind.Organisation],
            [CareMode.AssignedHelperCare] = [CaregiverKind.Person, CaregiverKind.CaregiverFamily, CaregiverKind.Organisation],
        };

    public static async Task<SigningContext> LoadAsync(Guid householdId, SignCareAgreement command, IQuerySession session,
        CancellationToken token) =>
        new(await session.LoadAsync<HouseholdDetails>(householdId, token),
            command.Caregiver?.CaregiverFamilyId is { } familyId
                ? await session.LoadAsync<CaregiverFamilyDetails>(familyId, token) is { Registered: true } family ? family : null
                : null,
            command.CentreStayId is { } stayId ? await session.LoadAsync<CentreStay>(stayId, token) : null);

    public static ProblemDetails Validate(SignCareAgreement command, Guid householdId, SigningContext context, Caller caller,
        DateTimeOffset now)
    {
        if (context.Household is not { } household) return HouseholdRules.NotFound(householdId);
        if (TownshipScope.Access(household.Township, caller, "household") is { } forbidden) return forbidden;

        var errors = new FieldErrors();
        if (command.Mode is null) errors.Add("mode", "is required.");
        if (command.SignedOn is null) errors.Add("signedOn", "is required.");
        else if (command.SignedOn > ChinaTime.Today(now)) errors.Add("signedOn", "must not be in the future.");
        if (command.Terms is null) errors.Add("terms", "is required.");
        else command.Terms.Validate("terms.", errors);

        if (command.Caregiver is not { } caregiver)
        {
            errors.Add("caregiver", "is required.");
        }
        else
        {
            if (caregiver.Kind is null) errors.Add("caregiver.kind", "is required.");
            else if (command.Mode is { } mode && !AllowedCaregivers[mode].Contains(caregiver.Kind.Value))
                errors.Add("caregiver.kind", $"{mode} is signed by: {string.Join(", ", AllowedCaregivers[mode])}.");

            if (caregiver.Kind == CaregiverKind.CaregiverFamily)
            {
                if (caregiver.CaregiverFamilyId is null) errors.Add("caregiver.caregiverFamilyId", "is required for a caregiver family.");
                else if (context.Family is null) errors.Add("caregiver.caregiverFamilyId", "names no caregiver family.");
                else if (TownshipScope.Access(context.Family.Township, caller, "caregiver family") is { } familyForbidden)
                    return familyForbidden;
            }
            else
            {
                errors.RequireText("caregiver.name", caregiver.Name, CaregiverInput.MaxNameLength);
                if (caregiver.CaregiverFamilyId is not null)
                    errors.Add("caregiver.caregiverFamilyId", "is given only when the caregiver kind is CaregiverFamily.");
            }
        }

        if (command.Mode == CareMode.CentralisedCare && command.CentreStayId is null)
            errors.Add("centreStayId", "is required: centralised care rests on an admission to a care centre.");
        if (command.Mode is not null and not CareMode.CentralisedCare && command.CentreStayId is not null)
            errors.Add("centreStayId", "is given only for centralised care.");
        if (command.Mode == CareMode.CentralisedCare && command.CentreStayId is not null)
        {
            if (context.CentreStay is null) errors.Add("centreStayId", "names no stay in a care centre.");
            else if (context.CentreStay.HouseholdId != householdId) errors.Add("centreStayId", "is a stay of another household.");
        }

        if (errors.Any) return errors.ToProblem();

        return context.CentreStay is { } stay && (stay.Kind != StayKind.Admission || stay.Status != StayStatus.Active)
            ? Problems.Conflict(ProblemTypes.Conflict, "Centralised care rests on an active admission.",
                $"Stay {stay.Id} is a {stay.Kind} that is {stay.Status}; admit the resident first (a trial stay converts into an admission).")
            : WolverineContinue.NoProblems;
    }

    /// <summary>The kinds of care whose caregiver is, or becomes, a caregiver family (托养人家庭).</summary>
    public static readonly IReadOnlySet<CareMode> FamilyModes =
        new HashSet<CareMode> { CareMode.KinshipCare, CareMode.NeighbourCare, CareMode.AssignedHelperCare };

    /// <summary>
    /// Starts the agreement's stream. A kinship, neighbour or assigned-helper agreement signed by a
    /// person also makes that person's caregiver family (in the household's township and village),
    /// in the same transaction, and the agreement names it. The caregiver's name is sealed under that
    /// person's key as the family's head member (one person, one key: erasing the member erases the
    /// name here too), or else under a person key of its own that the agreement holds.
    /// </summary>
    [WolverinePost("/api/households/{householdId}/care-agreements"), Tags("Care agreements")]
    [Authorize(Scopes.CareWrite), Authorize(Owns.CareAgreements)]
    public static (Created, IStartStream, IStartStream?, IMartenOp?, IMartenOp?) Post(SignCareAgreement command, Guid householdId,
        SigningContext context, PersonalDataVault vault, DateTimeOffset now)
    {
        var id = Guid.CreateVersion7(now);
        var household = context.Household!;
        var input = command.Caregiver!;
        var name = string.IsNullOrWhiteSpace(input.Name) ? null : input.Name.Trim();
        var family = input.Kind == CaregiverKind.Person && FamilyModes.Contains(command.Mode!.Value)
            ? CaregiverFamilyStart.For(household.Township, household.Village, name!, vault, now)
            : null;
        PersonDataKey? ownKey = null;
        DataProtector? person = null;
        if (family is not null) person = vault.ForPerson(family.HeadMemberId, family.People[0]);
        else if (name is not null) (ownKey, person) = vault.NewPerson(Guid.CreateVersion7(now), id, now);
        var caregiver = new Caregiver(input.Kind!.Value, name is null ? null : person!.Protect(SealedFields.Name, name),
            family?.FamilyId ?? input.CaregiverFamilyId);

        var signed = new CareAgreementSigned(
            id, householdId, household.Township, command.Mode!.Value, caregiver,
            command.Terms!.ToTerms(command.Terms.StartsOn!.Value), command.CentreStayId, command.SignedOn!.Value);

        return (new Created(id, $"/api/care-agreements/{id}"), MartenOps.StartStream<CareAgreement>(id, signed),
            family?.Stream(), family?.StoreKey(), ownKey is null ? null : MartenOps.Store(ownKey));
    }
}
