using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Audit.Disclosures;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Relief.Api.CareAgreements;
using Relief.Api.CareCentres;
using Relief.Api.CaregiverFamilies;
using Relief.Core.Calendar;
using Relief.Core.Protection;
using Wolverine.Http;
using Wolverine.Marten;

namespace Relief.Api.Households;

/// <summary>A household as the API shows it.</summary>
public sealed record HouseholdResponse(
    Guid Id,
    int Version,
    string Township,
    string TownshipName,
    string Village,
    string HeadName,
    string Address,
    PovertyCause PovertyCause,
    DateTimeOffset RegisteredAt,
    DateTimeOffset LastChangedAt,
    PersonalDataView PersonalData,
    MonitoringStatus Monitoring,
    DateOnly? MonitoringSince,
    ClosureResponse? Closure,
    bool CoveredToday,
    IReadOnlyList<MemberResponse> Members,
    IReadOnlyList<HouseholdAgreement> Agreements,
    IReadOnlyList<HouseholdStay> Stays,
    IReadOnlyList<HouseholdCaregiverFamily> CaregiverFamilies);

/// <summary>
/// How the household left the safety net, as <see cref="HouseholdClosed"/> says, its note opened with the
/// household's key (<c>[erased]</c> once the household was erased).
/// </summary>
public sealed record ClosureResponse(Guid HouseholdId, ClosureReason Reason, DateOnly ClosedOn, string? Note)
{
    public static ClosureResponse? Of(HouseholdClosed? closure, KeyChain keys) =>
        closure is null ? null : new(closure.HouseholdId, closure.Reason, closure.ClosedOn, keys.ShowText(SealedFields.Note, closure.Note));
}

/// <summary>
/// A member's stay in a care centre (医养中心): a trial or an admission; <c>exception</c> is set when it
/// was given by exception to the admission rule.
/// </summary>
public sealed record HouseholdStay(
    Guid StayId, Guid CentreId, string CentreName, Guid MemberId, StayKind Kind, StayStatus Status, DateOnly From,
    DateOnly? Until, DateOnly? To, AdmissionExceptionResponse? Exception = null);

/// <summary>A caregiver family (托养人家庭) that holds one of the household's agreements.</summary>
public sealed record HouseholdCaregiverFamily(Guid Id, string HeadName, string Village, int Members);

/// <summary>Everything the household view reads besides the household itself.</summary>
public sealed record HouseholdRelations(
    IReadOnlyList<CareAgreementDetails> Agreements,
    IReadOnlyList<CentreStay> Stays,
    IReadOnlyDictionary<Guid, string> CentreNames,
    IReadOnlyList<CaregiverFamilyDetails> Families);

/// <summary>A care agreement of the household, in short; the whole agreement is at its own route.</summary>
public sealed record HouseholdAgreement(
    Guid Id, CareMode Mode, CaregiverResponse Caregiver, DateOnly StartsOn, DateOnly? LastDay, bool ActiveToday);

/// <summary>How the personal identifiers in a response are shown.</summary>
public enum PersonalDataView
{
    /// <summary>Resident IDs as <c>410823********0010</c>, phones as <c>138****8000</c>.</summary>
    Masked,
    /// <summary>In full: the caller holds <c>pii:read</c>, and the read was recorded.</summary>
    Revealed,
    /// <summary>The household's key was forgotten; the identifiers can never be read again.</summary>
    Erased,
}

/// <summary>
/// A member as the API shows it. <c>personalData</c> says how: <c>Erased</c> when the person's key
/// was forgotten (then the name is <c>[erased]</c> and nothing personal is shown).
/// </summary>
public sealed record MemberResponse(
    Guid MemberId,
    PersonalDataView PersonalData,
    string Name,
    string? ResidentId,
    string? DisabilityCertificateNo,
    Relation Relation,
    DateOnly? BirthDate,
    int? BirthYear,
    Gender Gender,
    string? Phone,
    DisabilityType? DisabilityType,
    int? DisabilityGrade,
    DependencyLevel? DependencyLevel);

public static class GetHouseholdEndpoint
{
    /// <summary>
    /// The household, its key, agreements and stays in one round trip (a batched query), then the
    /// centres and caregiver families they name in a second one, only when there are any.
    /// </summary>
    public static async Task<(HouseholdDetails?, KeyChain, HouseholdRelations)> LoadAsync(
        Guid householdId, IQuerySession session, PersonalDataVault vault, CancellationToken token)
    {
        var batch = session.CreateBatchQuery();
        var household = batch.Load<HouseholdDetails>(householdId);
        var key = batch.Load<HouseholdDataKey>(householdId);
        var peopleQuery = batch.Query<PersonDataKey>().Where(k => k.HolderId == householdId).ToList();
        var agreementsQuery = batch.Query<CareAgreementDetails>().Where(a => a.HouseholdId == householdId)
            .OrderBy(a => a.SignedOn).ToList();
        var staysQuery = batch.Query<CentreStay>().Where(s => s.HouseholdId == householdId).OrderBy(s => s.From).ToList();
        await batch.Execute(token);
        var (agreements, stays) = (await agreementsQuery, await staysQuery);

        var details = await household;
        var held = await peopleQuery;
        var centreIds = stays.Select(s => s.CentreId).Distinct().ToArray();
        var familyIds = agreements.Select(a => a.Caregiver.CaregiverFamilyId).OfType<Guid>().Distinct().ToArray();
        // The keys sealed values name that the household does not hold: a head who moved away, the
        // caregivers of its agreements.
        var (_, named) = PersonalDataVault.KeysOf(
            agreements.Select(a => a.Caregiver.Name).Append(details?.HeadName));
        var otherIds = named.Where(id => held.All(k => k.Id != id)).ToArray();
        IReadOnlyList<CentreDetails> centres = [];
        IReadOnlyList<CaregiverFamilyDetails> families = [];
        IReadOnlyList<PersonDataKey> otherPeople = [];
        if (centreIds.Length > 0 || familyIds.Length > 0 || otherIds.Length > 0)
        {
            var more = session.CreateBatchQuery();
            var centresQuery = centreIds.Length == 0 ? null : more.LoadMany<CentreDetails>().ById(centreIds);
            var familiesQuery = familyIds.Length == 0 ? null : more.LoadMany<CaregiverFamilyDetails>().ById(familyIds);
            var otherKeysQuery = familyIds.Length == 0 && otherIds.Length == 0
                ? null
                : more.Query<PersonDataKey>().Where(k => familyIds.Contains(k.HolderId) || otherIds.Contains(k.Id)).ToList();
            await more.Execute(token);
            if (centresQuery is not null) centres = await centresQuery;
            if (familiesQuery is not null) families = await familiesQuery;
            if (otherKeysQuery is not null) otherPeople = await otherKeysQuery;
        }

        var people = (details?.Members.Select(m => m.MemberId) ?? [])
            .Concat(named)
            .Concat(families.SelectMany(f => f.PeopleNamed));
        return (details, vault.Chain([householdId], (await key) is { } found ? [found] : [], people,
                held.Concat(otherPeople).DistinctBy(k => k.Id)),
            new HouseholdRelations(agreements, stays, centres.ToDictionary(c => c.Id, c => c.Name), families));
    }

    public static ProblemDetails Validate(HouseholdDetails? household, Guid householdId, Caller caller)
    {
        if (household is null) return HouseholdRules.NotFound(householdId);

        return TownshipScope.Access(household.Township, caller, "household") ?? WolverineContinue.NoProblems;
    }

    /// <summary>
    /// A household with its members. Resident IDs and phones are masked unless the caller holds
    /// <c>pii:read</c>; every unmasked read is recorded.
    /// </summary>
    [WolverineGet("/api/households/{householdId}"), Tags("Households")]
    [Authorize(Scopes.HouseholdsRead)]
    public static (HouseholdResponse, IMartenOp) Get(
        Guid householdId, HouseholdDetails household, KeyChain keys,
        HouseholdRelations relations, Caller caller,
        TownshipDirectory townships, HttpContext context, DateTimeOffset now)
    {
        var today = ChinaTime.Today(now);
        var view = ViewFor(keys.Record(householdId), caller);
        var members = household.Members.Select(m => Show(m, keys, caller.Has(Scopes.PiiRead))).ToList();
        var disclosure = PersonalDataDisclosure.RecordIf(members.Any(m => m.PersonalData == PersonalDataView.Revealed),
            PersonalDataOwner.Household, householdId, caller, context, now);

        return (new HouseholdResponse(household.Id, household.Version, household.Township,
            townships.NameOf(household.Township), household.Village, keys.Show(SealedFields.HeadName, household.HeadName),
            keys.Show(SealedFields.Address, household.Address),
            household.PovertyCause, household.RegisteredAt, household.LastChangedAt, view,
            household.Monitoring, household.MonitoringSince, ClosureResponse.Of(household.Closure, keys),
            relations.Agreements.Any(a => Active(a, today)),
            members,
            relations.Agreements.Select(a =>
                new HouseholdAgreement(a.Id, a.Mode, CaregiverResponse.Of(a.Caregiver, keys), a.StartsOn, a.LastDay, Active(a, today))).ToList(),
            relations.Stays.Select(s => new HouseholdStay(s.Id, s.CentreId, relations.CentreNames.GetValueOrDefault(s.CentreId, ""),
                s.MemberId, s.Kind, s.Status, s.From, s.Until, s.To, AdmissionExceptionResponse.Of(s.Exception, keys))).ToList(),
            relations.Families.Select(f => new HouseholdCaregiverFamily(f.Id, f.CurrentHeadName(keys), f.Village, f.Members.Count)).ToList()), disclosure);
    }

    private static bool Active(CareAgreementDetails agreement, DateOnly day) =>
        new CarePeriod(agreement.StartsOn, agreement.LastDay).Covers(day);

    /// <summary>How a caller sees a record's personal data: erased, revealed (pii:read) or masked.</summary>
    public static PersonalDataView ViewFor(DataProtector record, Caller caller) =>
        record.IsErased ? PersonalDataView.Erased
        : caller.Has(Scopes.PiiRead) ? PersonalDataView.Revealed
        : PersonalDataView.Masked;

    /// <summary>
    /// A member as the API shows it: the sealed record opened with the person's own key, then shown
    /// in full (<paramref name="reveal"/>: the caller holds <c>pii:read</c>), or masked by the one
    /// rule (<see cref="PersonalDataMask"/>: identifiers cut, the birth date to its year); nothing but
    /// relation and gender once the person's key was forgotten. Each person is erased on their own:
    /// a member added after the household's erasure has a key, and shows.
    /// </summary>
    public static MemberResponse Show(HouseholdMemberDetails details, KeyChain keys, bool reveal)
    {
        var member = details.Member;
        var personal = keys.Open<MemberPersonalData>(MemberFields.Personal, member.Personal);
        var view = reveal ? PersonalDataView.Revealed : PersonalDataView.Masked;
        if (personal is null)
        {
            return new MemberResponse(details.MemberId, PersonalDataView.Erased, PersonalDataMask.Erased, null, null, member.Relation, null, null,
                member.Gender, null, null, null, null);
        }

        var masked = view == PersonalDataView.Masked;
        return new MemberResponse(details.MemberId, view, personal.Name,
            Masked(personal.ResidentId, masked, PersonalDataMask.ResidentId),
            Masked(personal.DisabilityCertificateNo, masked, PersonalDataMask.Certificate),
            member.Relation, masked ? null : personal.BirthDate, personal.BirthDate.Year, member.Gender,
            Masked(personal.Phone, masked, PersonalDataMask.Phone),
            personal.DisabilityType, personal.DisabilityGrade, personal.DependencyLevel);
    }

    private static string? Masked(string? value, bool masked, Func<string, string> mask) =>
        value is null ? null : masked ? mask(value) : value;
}
