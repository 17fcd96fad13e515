using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Problems;
using Relief.Api.Infrastructure.Security;
using Relief.Api.CareAgreements;
using Relief.Core.Calendar;
using Relief.Core.Identity;
using Wolverine.Http;

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
    HouseholdClosed? Closure,
    bool CoveredToday,
    IReadOnlyList<MemberResponse> Members,
    IReadOnlyList<HouseholdAgreement> Agreements);

/// <summary>A care agreement of the household, in short; the whole agreement is at its own route.</summary>
public sealed record HouseholdAgreement(
    Guid Id, CareMode Mode, Caregiver Caregiver, DateOnly StartsOn, DateOnly? LastDay, bool ActiveToday);

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

public sealed record MemberResponse(
    Guid MemberId,
    string Name,
    string? ResidentId,
    string? DisabilityCertificateNo,
    Relation Relation,
    DateOnly BirthDate,
    Gender Gender,
    string? Phone,
    DisabilityType? DisabilityType,
    int? DisabilityGrade,
    DependencyLevel? DependencyLevel);

/// <summary>
/// A record that a caller read a household's personal identifiers in full (PIPL: every disclosure
/// is accountable).
/// </summary>
public sealed class PersonalDataDisclosure
{
    public Guid Id { get; set; }
    public Guid HouseholdId { get; set; }
    public string Caller { get; set; } = "";
    public Department Department { get; set; }
    public string? Operator { get; set; }
    public string? CorrelationId { get; set; }
    public DateTimeOffset At { get; set; }
}

public static class GetHouseholdEndpoint
{
    public static async Task<(HouseholdDetails?, HouseholdProtector, IReadOnlyList<CareAgreementDetails>)> LoadAsync(
        Guid householdId, IQuerySession session, PersonalDataVault vault, CancellationToken token) =>
        (await session.LoadAsync<HouseholdDetails>(householdId, token),
            await vault.ForHousehold(session, householdId, token),
            await session.Query<CareAgreementDetails>().Where(a => a.HouseholdId == householdId)
                .OrderBy(a => a.SignedOn).ToListAsync(token));

    public static ProblemDetails Validate(HouseholdDetails? household, Guid householdId, Caller caller)
    {
        if (household is null) return HouseholdRules.NotFound(householdId);

        return caller.MayTouchTownship(household.Township)
            ? WolverineContinue.NoProblems
            : Problems.Forbidden($"This key is bound to the township '{caller.Township}'.");
    }

    /// <summary>
    /// A household with its members. Resident IDs and phones are masked unless the caller holds
    /// <c>pii:read</c>; every unmasked read is recorded.
    /// </summary>
    [WolverineGet("/api/households/{householdId}"), Tags("Households")]
    [Authorize(Scopes.HouseholdsRead)]
    public static HouseholdResponse Get(
        Guid householdId, HouseholdDetails household, HouseholdProtector protector,
        IReadOnlyList<CareAgreementDetails> agreements, Caller caller,
        TownshipDirectory townships, IDocumentSession session, HttpContext context, DateTimeOffset now)
    {
        var today = ChinaTime.Today(now);
        var view = protector.IsErased ? PersonalDataView.Erased
            : caller.Has(Scopes.PiiRead) ? PersonalDataView.Revealed
            : PersonalDataView.Masked;

        if (view == PersonalDataView.Revealed)
        {
            session.Store(new PersonalDataDisclosure
            {
                Id = Guid.CreateVersion7(now), HouseholdId = householdId, Caller = caller.Subject,
                Department = caller.Department, Operator = caller.Operator,
                CorrelationId = Infrastructure.Http.CorrelationMiddleware.Of(context), At = now,
            });
        }

        return new HouseholdResponse(household.Id, household.Version, household.Township,
            townships.NameOf(household.Township), household.Village, household.HeadName, household.Address,
            household.PovertyCause, household.RegisteredAt, household.LastChangedAt, view,
            household.Monitoring, household.MonitoringSince, household.Closure,
            agreements.Any(a => Active(a, today)),
            household.Members.Select(m => Show(m, protector, view)).ToList(),
            agreements.Select(a => new HouseholdAgreement(a.Id, a.Mode, a.Caregiver, a.StartsOn, a.LastDay, Active(a, today))).ToList());
    }

    private static bool Active(CareAgreementDetails agreement, DateOnly day) =>
        new CarePeriod(agreement.StartsOn, agreement.LastDay).Covers(day);

    private static MemberResponse Show(HouseholdMemberDetails details, HouseholdProtector protector, PersonalDataView view)
    {
        var member = details.Member;
        var residentId = protector.Reveal(MemberFields.ResidentId, member.ResidentId);
        var phone = protector.Reveal(MemberFields.Phone, member.Phone);
        if (view == PersonalDataView.Masked)
        {
            residentId = residentId is null ? null : ResidentId.Mask(residentId);
            phone = phone is null ? null : PhoneNumber.Mask(phone);
        }

        return new MemberResponse(details.MemberId, member.Name, residentId, member.DisabilityCertificateNo,
            member.Relation, member.BirthDate, member.Gender, phone, member.DisabilityType, member.DisabilityGrade,
            member.DependencyLevel);
    }
}
