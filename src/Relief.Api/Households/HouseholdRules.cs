using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
using Wolverine.Http;

namespace Relief.Api.Households;

/// <summary>The rules every change to a household's members obeys.</summary>
public static class HouseholdRules
{
    /// <summary>A township key touches only its own township's households.</summary>
    public static ProblemDetails? Access(Household household, Caller caller) =>
        TownshipScope.Access(household.Township, caller, "household");

    /// <summary>
    /// A household a read names: 404 when there is none, 403 when it lies outside the caller's
    /// township; null when the caller may read it.
    /// </summary>
    public static ProblemDetails? Readable(HouseholdDetails? household, Guid householdId, Caller caller) =>
        household is null ? NotFound(householdId) : TownshipScope.Access(household.Township, caller, "household");

    /// <summary>404: there is no such household.</summary>
    public static ProblemDetails NotFound(Guid householdId) => Problems.NotFound("No such household.", $"There is no household {householdId}.");

    /// <summary>409: the household left the safety net (its stream is archived).</summary>
    public static ProblemDetails Closed(Guid householdId) => Problems.Conflict(ProblemTypes.HouseholdClosed, "The household is closed.",
        $"Household {householdId} left the safety net; its record is kept for auditors and takes no more changes.");

    /// <summary><c>{householdId}</c> names a household on every write route: unknown 404, closed 409.</summary>
    public static readonly StreamRoute Stream = StreamRoute.For<Household>("householdId", NotFound, Closed).WithInlineView<HouseholdDetails>();

    /// <summary>404 when the household has no such member.</summary>
    public static ProblemDetails? MemberExists(Household household, Guid memberId) =>
        household.Members.ContainsKey(memberId)
            ? null
            : Problems.NotFound("No such member.", $"The household has no member {memberId}.");

    /// <summary>409 when the member's own personal data was erased: nothing personal is recorded for them again.</summary>
    public static ProblemDetails? NotErased(Household household, Guid memberId, DataProtector person) =>
        household.ErasedMembers.Contains(memberId) || person.IsErased
            ? Problems.Conflict(ProblemTypes.Conflict, "The member's personal data was erased.",
                $"Member {memberId}'s key was forgotten at an erasure request; nothing personal can be recorded for them again.")
            : null;

    /// <summary>Validates a member as it would stand among the others (one head, no repeated resident ID).</summary>
    public static ProblemDetails ValidateMember(MemberInput? member, Household household, Guid? replacing,
        PersonalDataVault vault, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        if (member is null)
        {
            errors.Add("member", "is required.");
            return errors.ToProblem();
        }

        member.Validate("member.", errors, ChinaTime.Today(now));
        if (errors.Any) return errors.ToProblem();

        if (household.PersonalDataErased && (member.ResidentId is not null || member.Phone is not null))
        {
            return Problems.Conflict(ProblemTypes.Conflict, "The household's personal data was erased.",
                "No resident ID or phone number can be recorded for it any more; send the member without them.");
        }

        var others = household.Members.Where(m => m.Key != replacing).Select(m => m.Value).ToList();
        if (member.Relation == Relation.Head && others.Any(m => m.Relation == Relation.Head))
            errors.Add("member.relation", "The household already has a head.");

        return errors.ToProblem();
    }

}
