using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.CareAgreements;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Events;
using Relief.Core.Protection;

namespace Relief.Api.ExtendedPolicies;

// The eligibility chain of the eight extended policies (八延伸): they go to the families that took on
// care under a kinship, neighbour or assigned-helper agreement (亲情、邻里、包帮托养), and to no other,
// unless the department that owns exceptions grants one, with a reason.

/// <summary>What an exception to the eligibility chain is granted on.</summary>
public enum EligibilitySubject
{
    /// <summary>A policy case (<c>SubjectId</c> is the case).</summary>
    PolicyCase,
    /// <summary>An enrolment in a training class (<c>SubjectId</c> is the enrolment, on the class's stream).</summary>
    Enrolment,
    /// <summary>A job placement (<c>SubjectId</c> is the placement).</summary>
    JobPlacement,
}

/// <summary>
/// A policy case, an enrolment or a placement was recorded for a caregiver family that held no
/// kinship, neighbour or assigned-helper agreement in force on <c>GrantedOn</c>, by exception:
/// <c>GrantedBy</c> owns <c>eligibility-exceptions</c>, and <c>Reason</c> says why (free text about the
/// family, sealed under the family's key; events written before hold it as a plain string). Recorded in
/// the same transaction as the case, enrolment or placement it covers, right after it, on its stream.
/// </summary>
public sealed record EligibilityExceptionGranted(
    Guid SubjectId,
    EligibilitySubject Subject,
    Guid CaregiverFamilyId,
    string Township,
    DateOnly GrantedOn,
    Department GrantedBy,
    ProtectedValue Reason) : ITownshipEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => GrantedOn;
}

/// <summary>An exception as a request asks for it: the reason why the chain is set aside.</summary>
public sealed record EligibilityExceptionInput(string? Reason);

/// <summary>An exception as the views store it: its reason sealed under the family's key, as in the event.</summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix",
    Justification = "An exception granted to the eligibility chain, the domain's word; not a System.Exception.")]
public sealed record EligibilityException(DateOnly GrantedOn, Department GrantedBy, ProtectedValue Reason)
{
    public static EligibilityException Of(EligibilityExceptionGranted e) => new(e.GrantedOn, e.GrantedBy, e.Reason);
}

/// <summary>An exception to the eligibility chain as the API shows it.</summary>
/// <param name="GrantedOn">The business date the exception was granted on.</param>
/// <param name="GrantedBy">The department that granted it (it owns <c>eligibility-exceptions</c>).</param>
/// <param name="Reason">Why the chain was set aside, opened with the family's key: <c>[erased]</c> once the family was erased.</param>
public sealed record EligibilityExceptionResponse(DateOnly GrantedOn, Department GrantedBy, string Reason)
{
    /// <summary>The exception with its reason opened; <paramref name="keys"/> must hold the family's key.</summary>
    public static EligibilityExceptionResponse? Of(EligibilityException? e, KeyChain keys) =>
        e is null ? null : new(e.GrantedOn, e.GrantedBy, keys.Show(SealedFields.Reason, e.Reason));
}

/// <summary>The rule: which agreements qualify a family, and what a request outside the chain answers.</summary>
public static class EligibilityChain
{
    /// <summary>The longest reason of an exception.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>The kinds of care that make a family eligible (not charity care, not centralised care).</summary>
    public static IReadOnlySet<CareMode> QualifyingModes => SignCareAgreementEndpoint.FamilyModes;

    /// <summary>The family's qualifying agreement in force on <paramref name="day"/>, if it holds one.</summary>
    public static CareAgreementDetails? QualifyingOn(IEnumerable<CareAgreementDetails> agreements, DateOnly day) =>
        agreements.FirstOrDefault(a => QualifyingModes.Contains(a.Mode) && new CarePeriod(a.StartsOn, a.LastDay).Covers(day));

    /// <summary>400 when an exception is asked for without a reason (or with too long a one).</summary>
    public static void ValidateException(FieldErrors errors, EligibilityExceptionInput? exception)
    {
        if (exception is null) return;
        errors.RequireText("exception.reason", exception.Reason, MaxReasonLength);
    }

    /// <summary>
    /// The decision, pure: a family holding a qualifying agreement in force on <paramref name="day"/>
    /// passes without an exception (asking for one anyway is a 409: none is needed, and the report
    /// counts only real ones); a family without one is refused with 409
    /// <see cref="ProblemTypes.NoQualifyingAgreement"/>, unless an exception is asked for by a
    /// department that owns <see cref="Owns.EligibilityExceptions"/> (403 for any other).
    /// </summary>
    public static ProblemDetails? Check(Guid familyId, IReadOnlyCollection<CareAgreementDetails> agreements, DateOnly day,
        EligibilityExceptionInput? exception, Caller caller, OwnershipTable ownership, string what)
    {
        var qualifying = QualifyingOn(agreements, day);
        if (qualifying is not null)
        {
            return exception is null
                ? null
                : Problems.Conflict(ProblemTypes.Conflict, "No exception is needed.",
                    $"Caregiver family {familyId} holds the {qualifying.Mode} agreement {qualifying.Id} in force on {day:yyyy-MM-dd}; " +
                    "send the request without an exception.");
        }

        if (exception is null)
        {
            var held = agreements.Count == 0
                ? "holds no care agreement"
                : "holds only " + string.Join(", ", agreements.OrderBy(a => a.StartsOn).Select(a =>
                    $"{a.Mode} {a.StartsOn:yyyy-MM-dd}–{(a.LastDay is { } last ? last.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "")}"));
            return Problems.Conflict(ProblemTypes.NoQualifyingAgreement, "The family is outside the eligibility chain.",
                $"{what} goes only to a caregiver family holding a kinship, neighbour or assigned-helper agreement in force " +
                $"on {day:yyyy-MM-dd}; caregiver family {familyId} {held}. The owner of eligibility exceptions " +
                $"({string.Join(", ", ownership.OwnersOf(Owns.FactOf(Owns.EligibilityExceptions)))}) may grant one, with a reason.");
        }

        return ownership.MayRecord(caller.Department, Owns.FactOf(Owns.EligibilityExceptions))
            ? null
            : Problems.Forbidden(
                $"Only {string.Join(", ", ownership.OwnersOf(Owns.FactOf(Owns.EligibilityExceptions)))} may grant an exception " +
                $"to the eligibility chain; this key is {caller.Department}.");
    }

    /// <summary>
    /// The event an exception asked for records, or none; its reason sealed with the family's key,
    /// which <paramref name="family"/> gives (asked only when there is an exception).
    /// </summary>
    public static EligibilityExceptionGranted? Granted(EligibilityExceptionInput? exception, Guid subjectId,
        EligibilitySubject subject, Guid familyId, string township, DateOnly day, Caller caller, Func<DataProtector> family) =>
        exception is null
            ? null
            : new EligibilityExceptionGranted(subjectId, subject, familyId, township, day, caller.Department,
                family().SealText(SealedFields.Reason, exception.Reason!.Trim()));
}
