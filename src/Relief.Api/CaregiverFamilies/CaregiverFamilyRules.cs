using Microsoft.AspNetCore.Mvc;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
using Wolverine.Http;

namespace Relief.Api.CaregiverFamilies;

/// <summary>The rules every change to a caregiver family obeys.</summary>
public static class CaregiverFamilyRules
{
    /// <summary>A family has at most this many members (the head included).</summary>
    public const int MaxMembers = 30;

    /// <summary>A township key touches only its own township's families.</summary>
    public static ProblemDetails? Access(CaregiverFamily family, Caller caller) => Access(family.Township, caller);

    /// <summary>A township key touches only its own township's families.</summary>
    public static ProblemDetails? Access(string township, Caller caller) =>
        TownshipScope.Access(township, caller, "family");

    /// <summary>404: there is no such caregiver family.</summary>
    public static ProblemDetails NotFound(Guid familyId) => Problems.NotFound("No such caregiver family.", $"There is no caregiver family {familyId}.");

    /// <summary><c>{familyId}</c> names a caregiver family on every write route.</summary>
    public static readonly StreamRoute Stream = StreamRoute.For<CaregiverFamily>("familyId", NotFound);

    /// <summary>404 when the family has no such (current) member.</summary>
    public static ProblemDetails? MemberExists(CaregiverFamily family, Guid memberId) =>
        family.Members.ContainsKey(memberId)
            ? null
            : Problems.NotFound("No such member.", $"The caregiver family has no member {memberId}.");

    /// <summary>409 when the member's own personal data was erased: nothing personal is recorded for them again.</summary>
    public static ProblemDetails? NotErased(CaregiverFamily family, Guid memberId, DataProtector person) =>
        family.ErasedMembers.Contains(memberId) || person.IsErased
            ? Problems.Conflict(ProblemTypes.Conflict, "The member's personal data was erased.",
                $"Member {memberId}'s key was forgotten at an erasure request; nothing personal can be recorded for them again.")
            : null;

    /// <summary>
    /// Validates a member as it would stand among the others: one head at most, no resident ID twice
    /// (found by opening the others' records with <paramref name="keys"/>, the family's members' keys).
    /// </summary>
    public static ProblemDetails ValidateMember(FamilyMemberInput? member, CaregiverFamily family, Guid? replacing,
        KeyChain keys, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        if (member is null)
        {
            errors.Add("member", "is required.");
            return errors.ToProblem();
        }

        var today = ChinaTime.Today(now);
        member.Validate("member.", errors, today);
        if (errors.Any) return errors.ToProblem();

        var others = family.Members.Where(m => m.Key != replacing).Select(m => m.Value).ToList();
        if (replacing is null && others.Count >= MaxMembers)
            errors.Add("member", $"The family already has {MaxMembers} members, the most it may have.");
        if (member.Relation == Relation.Head && others.Any(m => m.Relation == Relation.Head))
            errors.Add("member.relation", "The family already has a head.");

        if (member.NormalizedResidentId(today) is { } residentId
            && others.Any(m => keys.Open<FamilyMemberPersonalData>(MemberFields.Personal, m.Personal)?.ResidentId == residentId))
            errors.Add("member.residentId", "Another member of this family has this resident ID.");

        return errors.ToProblem();
    }

    /// <summary>A business date: required, not after today (China time).</summary>
    public static void RequirePastDate(FieldErrors errors, string field, DateOnly? date, DateTimeOffset now)
    {
        if (date is null) errors.Add(field, "is required.");
        else if (date > ChinaTime.Today(now)) errors.Add(field, "must not be in the future.");
    }

    /// <summary>The first problem of several, or "no problems".</summary>
    public static ProblemDetails First(params ProblemDetails?[] problems) =>
        problems.FirstOrDefault(p => p is not null && p != WolverineContinue.NoProblems) ?? WolverineContinue.NoProblems;
}
