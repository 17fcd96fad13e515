using Marten;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
using Wolverine.Http;

namespace Relief.Api.CareCentres;

/// <summary>
/// A stay as stored, and the key of its household, which seals what is said about the resident (a
/// reason, a service note); both null when there is no such stay.
/// </summary>
public sealed record StayWithKey(CentreStay? Stay, DataProtector? Household)
{
    public static async Task<StayWithKey> LoadAsync(Guid stayId, IQuerySession session, PersonalDataVault vault, CancellationToken token)
    {
        var stay = await session.LoadAsync<CentreStay>(stayId, token);
        return new StayWithKey(stay, stay is null ? null : await vault.ForHousehold(session, stay.HouseholdId, token));
    }
}

/// <summary>The household member a stay is asked for, with what the decision needs to know of them.</summary>
/// <param name="Household">The household's stored view, null when there is no such household.</param>
/// <param name="ActiveStays">The member's active stays in any centre.</param>
/// <param name="Person">The member's personal data, opened with their key; null when they are not a
/// member or were erased.</param>
/// <param name="Rules">The admission rules adopted (null before the first: the seed's rule applies).</param>
/// <param name="Record">The household's key, which seals the reason of an exception to the admission rule.</param>
public sealed record StayCandidate(HouseholdDetails? Household, IReadOnlyList<CentreStay> ActiveStays, MemberPersonalData? Person,
    AdmissionRules? Rules = null, DataProtector? Record = null)
{
    public static readonly StayCandidate None = new(null, [], null);

    /// <summary>
    /// Reads the household, its key (<see cref="Record"/>, which seals what is said about it), the
    /// member's active stays and the member's key in one round trip.
    /// </summary>
    public static async Task<StayCandidate> LoadAsync(Guid? householdId, Guid? memberId, IQuerySession session,
        PersonalDataVault vault, CancellationToken token)
    {
        if (householdId is not { } hid || memberId is not { } mid) return None;
        var batch = session.CreateBatchQuery();
        var householdQuery = batch.Load<HouseholdDetails>(hid);
        var keyQuery = batch.Load<PersonDataKey>(mid);
        var recordKeyQuery = batch.Load<HouseholdDataKey>(hid);
        var staysQuery = batch.Query<CentreStay>().Where(s => s.MemberId == mid && s.Status == StayStatus.Active).ToList();
        await batch.Execute(token);
        var household = await householdQuery;
        var record = household?.Members.FirstOrDefault(m => m.MemberId == mid)?.Member;
        var person = record is null
            ? null
            : vault.ForPerson(mid, await keyQuery).Open<MemberPersonalData>(MemberFields.Personal, record.Personal);
        var rules = await session.Events.AggregateStreamAsync<AdmissionRules>(AdmissionRules.StreamId, token: token);
        return new StayCandidate(household, await staysQuery, person, rules, vault.ForHousehold(hid, await recordKeyQuery));
    }

    /// <summary>True when the household has this member.</summary>
    public bool HasMember(Guid memberId) => Household?.Members.Any(m => m.MemberId == memberId) == true;
}

/// <summary>The rules every decision about a centre and its stays obeys.</summary>
public static class CentreRules
{
    /// <summary>The longest trial stay, in days, unless <c>Relief:CareCentres:MaxTrialDays</c> says otherwise.</summary>
    public const int DefaultMaxTrialDays = 30;

    public static int MaxTrialDays(IConfiguration configuration) =>
        configuration.GetValue<int?>("Relief:CareCentres:MaxTrialDays") ?? DefaultMaxTrialDays;

    /// <summary>404: there is no such care centre.</summary>
    public static ProblemDetails NotFound(Guid centreId) => Problems.NotFound("No such care centre.", $"There is no care centre {centreId}.");

    /// <summary><c>{centreId}</c> names a care centre on every write route.</summary>
    public static readonly StreamRoute Stream = StreamRoute.For<CareCentre>("centreId", NotFound);

    /// <summary>404: the centre has no stay with this id.</summary>
    public static ProblemDetails StayNotFound(CareCentre centre, Guid stayId) => Problems.NotFound("No such stay.", $"{centre.Name} has no stay {stayId}.");

    /// <summary>
    /// The stay must hold a bed in this centre now and be of the given kind. A stay that is unknown to
    /// the centre's stream is a 404; one that ended or is of the other kind is a 409 saying so.
    /// </summary>
    public static ProblemDetails? ActiveStay(CareCentre centre, CentreStay? stay, Guid stayId, StayKind kind)
    {
        if (centre.Stays.TryGetValue(stayId, out var bed))
        {
            return bed.Kind == kind
                ? null
                : Problems.Conflict(ProblemTypes.Conflict, $"Not a {Name(kind)}.",
                    $"Stay {stayId} is a {Name(bed.Kind)} in {centre.Name}, not a {Name(kind)}.");
        }

        if (stay is null || stay.CentreId != centre.Id) return StayNotFound(centre, stayId);
        return Problems.Conflict(ProblemTypes.Conflict, "The stay is no longer active.",
            $"Stay {stayId} in {centre.Name} is {stay.Status} since {stay.To:yyyy-MM-dd}.");
    }

    /// <summary>409 when the centre has no free bed; the detail names the beds.</summary>
    public static ProblemDetails? FreeBed(CareCentre centre)
    {
        if (centre.Free > 0) return null;
        var trials = centre.Stays.Values.Count(s => s.Kind == StayKind.Trial);
        return Problems.Conflict(ProblemTypes.Conflict, "The centre is full.",
            $"All {centre.Beds} beds of {centre.Name} are occupied ({centre.Occupied - trials} residents, {trials} trial stays).");
    }

    /// <summary>
    /// Who may stay in a centre at all: a member of an open household, whose personal data can still be
    /// read, and who holds no other active stay in any centre. <paramref name="replacing"/> is a stay the
    /// new one replaces (a trial being converted). Whether the admission rule admits them is
    /// <see cref="Admissible"/>.
    /// </summary>
    /// <remarks>
    /// The "one active stay" check reads <see cref="CentreStay"/> documents. Within one centre the
    /// centre's stream version serialises it; two requests admitting the same person to two
    /// different centres at the very same moment are not serialised against each other (known gap:
    /// closing it needs a per-person stream or lock).
    /// </remarks>
    public static ProblemDetails? Eligible(StayCandidate candidate, Guid householdId, Guid memberId, Caller caller,
        Guid? replacing = null)
    {
        if (candidate.Household is null) return HouseholdRules.NotFound(householdId);
        if (TownshipScope.Access(candidate.Household.Township, caller, "household") is { } forbidden) return forbidden;

        if (candidate.Household.Closure is { } closure)
        {
            return Problems.Conflict(ProblemTypes.HouseholdClosed, "The household is closed.",
                $"Household {householdId} left the safety net on {closure.ClosedOn:yyyy-MM-dd} ({closure.Reason}).");
        }

        if (!candidate.HasMember(memberId))
        {
            return Problems.NotFound("No such member.", $"The household has no member {memberId}.");
        }

        if (candidate.Person is not { } member)
        {
            return Problems.Conflict(ProblemTypes.Conflict, "The member's personal data was erased.",
                $"Member {memberId}'s key was forgotten: the disability and dependency a stay rests on can no longer be read.");
        }

        var other = candidate.ActiveStays.FirstOrDefault(s => s.Id != replacing);
        return other is null
            ? null
            : Problems.Conflict(ProblemTypes.Conflict, "The member already has an active stay.",
                $"{member.Name} holds the active {Name(other.Kind)} {other.Id} in centre {other.CentreId} since {other.From:yyyy-MM-dd}; " +
                "end or discharge it first.");
    }

    /// <summary>The longest reason of an admission exception.</summary>
    public const int MaxExceptionReasonLength = 500;

    /// <summary>400 when an exception is asked for without a reason (or with too long a one).</summary>
    public static void ValidateException(FieldErrors errors, AdmissionExceptionInput? exception)
    {
        if (exception is not null) errors.RequireText("exception.reason", exception.Reason, MaxExceptionReasonLength);
    }

    /// <summary>
    /// The admission rule in force on <paramref name="day"/> (<see cref="AdmissionRules"/>; the seed's
    /// before the first adopted) must admit the member to this kind of stay: else 409
    /// <see cref="ProblemTypes.NotAdmissible"/>, unless an exception is asked for by a department that owns
    /// <see cref="Owns.AdmissionExceptions"/> (403 for any other). An exception where the rule admits the
    /// member anyway is a 409: none is needed. Null when the member cannot be read (see <see cref="Eligible"/>).
    /// </summary>
    public static ProblemDetails? Admissible(StayCandidate candidate, StayKind kind, DateOnly day, AdmissionExceptionInput? exception,
        Caller caller, OwnershipTable ownership)
    {
        if (candidate.Person is not { } member) return null;
        var rule = AdmissionRules.InForceOn(candidate.Rules, day);
        var criteria = rule.For(kind);
        var since = rule.RuleId is null ? "the seed's rule" : $"the rule in force from {rule.EffectiveFrom:yyyy-MM-dd}";
        var owners = string.Join(", ", ownership.OwnersOf(Owns.FactOf(Owns.AdmissionExceptions)));
        if (criteria.Admits(member))
        {
            return exception is null
                ? null
                : Problems.Conflict(ProblemTypes.Conflict, "No exception is needed.",
                    $"{since} admits {member.Name} to a {Name(kind)} ({criteria.Describe()}); send the request without an exception.");
        }

        if (exception is null)
        {
            return Problems.Conflict(ProblemTypes.NotAdmissible, $"The admission rule refuses this {Name(kind)}.",
                $"On {day:yyyy-MM-dd} {since} gives a {Name(kind)} for {criteria.Describe()}; {member.Name} has " +
                $"disability {(member.DisabilityType is null ? "none" : $"{member.DisabilityType} grade {member.DisabilityGrade}")}, " +
                $"dependency {member.DependencyLevel?.ToString() ?? "not recorded"}. " +
                $"The owner of admission exceptions ({owners}) may grant one, with a reason.");
        }

        return ownership.MayRecord(caller.Department, Owns.FactOf(Owns.AdmissionExceptions))
            ? null
            : Problems.Forbidden($"Only {owners} may grant an exception to the admission rule; this key is {caller.Department}.");
    }

    /// <summary>The event an exception asked for records, or none; its reason sealed with <paramref name="household"/> (the household's key).</summary>
    public static AdmissionExceptionGranted? Granted(AdmissionExceptionInput? exception, Guid centreId, Guid stayId, Guid householdId,
        Guid memberId, StayKind kind, DateOnly day, Caller caller, DataProtector household) =>
        exception is null
            ? null
            : new AdmissionExceptionGranted(centreId, stayId, householdId, memberId, kind, day, caller.Department,
                household.SealText(SealedFields.Reason, exception.Reason!.Trim()));

    /// <summary>A business date: required, not after today (China time).</summary>
    public static void RequirePastDate(FieldErrors errors, string field, DateOnly? date, DateTimeOffset now)
    {
        if (date is null) errors.Add(field, "is required.");
        else if (date > ChinaTime.Today(now)) errors.Add(field, "must not be in the future.");
    }

    /// <summary>409 when an end or move is dated before the stay began.</summary>
    public static ProblemDetails? NotBefore(OccupiedBed bed, DateOnly date, string what) =>
        date >= bed.From
            ? null
            : Problems.Conflict(ProblemTypes.Conflict, $"The {what} is dated before the stay began.",
                $"The stay began on {bed.From:yyyy-MM-dd}; the {what} cannot be on {date:yyyy-MM-dd}.");

    public static string Name(StayKind kind) => kind == StayKind.Trial ? "trial stay" : "admission";
}
