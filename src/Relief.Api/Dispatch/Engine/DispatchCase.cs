using Relief.Core.Protection;
using Relief.Api.CaregiverFamilies;
using Relief.Api.ExtendedPolicies;
using Relief.Api.ExtendedPolicies.Needs;
using M = Relief.Api.Dispatch.Engine.DispatchMetrics;

namespace Relief.Api.Dispatch.Engine;

/// <summary>A policy case: its stages with their dates and due dates.</summary>
public sealed class DispatchCase : IDispatchSubject
{
    /// <summary>The policy case an event is about, when it is one of its events.</summary>
    public static Guid? IdOf(object data) => data switch
    {
        PolicyCaseOpened e => e.CaseId,
        PolicyApplied e => e.CaseId,
        LoanFoundEligible e => e.CaseId,
        LoanFoundIneligible e => e.CaseId,
        VerificationStarted e => e.CaseId,
        PolicyGranted e => e.CaseId,
        PolicyCaseRejected e => e.CaseId,
        PolicyCaseClosed e => e.CaseId,
        _ => null,
    };
    public void Apply(object data)
    {
        switch (data)
        {
            case PolicyCaseOpened e: Apply(e); break;
            case PolicyApplied e: Apply(e); break;
            case LoanFoundEligible e: Apply(e); break;
            case LoanFoundIneligible e: Apply(e); break;
            case VerificationStarted e: Apply(e); break;
            case PolicyGranted e: Apply(e); break;
            case PolicyCaseRejected e: Apply(e); break;
            case PolicyCaseClosed e: Apply(e); break;
        }
    }

    public Guid Id { get; set; }
    public List<long>? Events { get; set; }
    public ExtendedPolicy Policy { get; set; }
    public string Township { get; set; } = "";

    /// <summary>The caregiver family the case is for (null: a household's own case): its needs follow the case.</summary>
    public Guid? FamilyId { get; set; }

    /// <summary>What the case's items are labelled by, without a name: the name is <see cref="LabelName"/>, sealed.</summary>
    public string Label { get; set; } = "";

    /// <summary>The family's or household's head name the label ends with, sealed (resolved when the list is read).</summary>
    public ProtectedValue? LabelName { get; set; }
    public DateOnly OpenedOn { get; set; }
    public List<DispatchStage> Stages { get; set; } = [];
    public DateOnly? PostEndsAfter { get; set; }

    public void Apply(PolicyCaseOpened e)
    {
        Id = e.CaseId;
        Policy = e.Policy;
        Township = e.Township;
        FamilyId = e.CaregiverFamilyId;
        OpenedOn = e.OpenedOn;
        Stages.Add(new DispatchStage(e.Stage, e.OpenedOn, e.DueOn));
    }

    public void Apply(PolicyApplied e) => Stages.Add(new DispatchStage(CaseStage.Applied, e.AppliedOn, e.DueOn));

    public void Apply(LoanFoundEligible e) => Stages.Add(new DispatchStage(CaseStage.Eligible, e.DecidedOn, e.DueOn));

    public void Apply(LoanFoundIneligible e) => Stages.Add(new DispatchStage(CaseStage.Ineligible, e.DecidedOn, null));

    public void Apply(VerificationStarted e) => Stages.Add(new DispatchStage(CaseStage.UnderVerification, e.StartedOn, e.DueOn));

    public void Apply(PolicyGranted e)
    {
        Stages.Add(new DispatchStage(CaseStage.Granted, e.GrantedOn, null));
        if (e.Facts.Post is { } post) PostEndsAfter = Days.After(post.EndsOn);
    }

    public void Apply(PolicyCaseRejected e) => Stages.Add(new DispatchStage(CaseStage.Rejected, e.RejectedOn, null));

    public void Apply(PolicyCaseClosed e) => Stages.Add(new DispatchStage(CaseStage.Closed, e.ClosedOn, null));

    private static bool IsFinal(CaseStage stage) =>
        stage is CaseStage.Granted or CaseStage.Rejected or CaseStage.Ineligible or CaseStage.Closed;

    /// <summary>The case as a measure for its family's needs (null before it is opened).</summary>
    public Measure? AsMeasure() =>
        Township.Length == 0 ? null
        : new Measure(Policy, MeasureKind.PolicyCase, Id, OpenedOn, FirstDayIn(CaseStage.Granted), !Stages.Any(s => IsFinal(s.Stage)));

    /// <summary>The loan case's course, for the funnel figures (null unless a loan case that was opened).</summary>
    public LoanCourse? AsLoanCourse()
    {
        if (Policy != ExtendedPolicy.FinancialLoan || Township.Length == 0) return null;
        var verifying = Stages.Select((stage, i) => (stage, left: i + 1 < Stages.Count ? Stages[i + 1].From : (DateOnly?)null))
            .Where(s => s.stage.Stage == CaseStage.UnderVerification)
            .Select(s => new DispatchTerm(s.stage.From, s.left)).ToList();
        return new LoanCourse(FirstDayIn(CaseStage.Applied), FirstDayIn(CaseStage.Ineligible), FirstDayIn(CaseStage.Granted), verifying);
    }

    private DateOnly? FirstDayIn(CaseStage stage) => Stages.FirstOrDefault(s => s.Stage == stage)?.From;

    public Contribution Contribution()
    {
        if (Township.Length == 0) return Engine.Contribution.None;
        var spans = new List<Span>();
        var items = new List<DispatchItem>();
        var decided = Stages.FirstOrDefault(s => IsFinal(s.Stage))?.From;
        spans.Add(new Span(M.PolicyCasesOpen, Township, OpenedOn, decided));

        for (var i = 0; i < Stages.Count; i++)
        {
            var stage = Stages[i];
            var left = i + 1 < Stages.Count ? Stages[i + 1].From : (DateOnly?)null;
            if (stage.DueOn is { } due && (left is null || left > due.AddDays(1)))
            {
                var overdueFrom = due.AddDays(1);
                spans.Add(new Span(M.PolicyCasesOverdue, Township, overdueFrom, left));
                items.Add(new DispatchItem($"overdue:{Id}:{i}", DispatchList.OverdueCase, Id, Township, Label, overdueFrom, left,
                    Policy.ToString(), stage.Stage.ToString(), due, LabelName));
            }
        }

        var granted = FirstDayIn(CaseStage.Granted);
        switch (Policy)
        {
            // A family's loans are counted by the family (a household, not a case: LoanCourse.Spans); a
            // household's own loan case, by itself.
            case ExtendedPolicy.FinancialLoan when FamilyId is null && AsLoanCourse() is { } course:
                spans.AddRange(LoanCourse.Spans([course], Township));
                break;
            case ExtendedPolicy.PublicWelfarePost when granted is { } post:
                spans.Add(new Span(M.PublicWelfarePosts, Township, post, PostEndsAfter));
                break;
            case ExtendedPolicy.Entrepreneurship when granted is { } day:
                spans.Add(new Span(M.EntrepreneurshipSupported, Township, day, null));
                break;
            case ExtendedPolicy.MedicalAssistance when granted is { } day:
                spans.Add(new Span(M.MedicalAssistanceGranted, Township, day, null));
                break;
            case ExtendedPolicy.SocialAssistance when granted is { } day:
                spans.Add(new Span(M.SocialAssistanceGranted, Township, day, null));
                break;
            case ExtendedPolicy.CharityAssistance when granted is { } day:
                spans.Add(new Span(M.CharityAssistanceGranted, Township, day, null));
                break;
        }

        return new Contribution(spans, items);
    }
}

/// <summary>A stage of a case, from the day it was entered, with its due date if it has a service time.</summary>
public sealed record DispatchStage(CaseStage Stage, DateOnly From, DateOnly? DueOn);

/// <summary>
/// How one loan case went: the day the intent was recorded (applied), found ineligible, granted, and its
/// spans under verification. The funnel counts households (户), so a family's cases are counted
/// together (<see cref="Spans"/>).
/// </summary>
public sealed record LoanCourse(DateOnly? IntentOn, DateOnly? IneligibleOn, DateOnly? GrantedOn, IReadOnlyList<DispatchTerm> Verifying)
{
    /// <summary>
    /// The loan figures of one family (or one household) from all its loan cases: an intent from its
    /// first, granted from its first grant, under verification while any case is, and ineligible from a
    /// finding of ineligibility until it applies again or is granted.
    /// </summary>
    public static IEnumerable<Span> Spans(IReadOnlyCollection<LoanCourse> loans, string township)
    {
        var intents = loans.Select(l => l.IntentOn).OfType<DateOnly>().Order().Cast<DateOnly?>().ToList();
        var granted = loans.Select(l => l.GrantedOn).OfType<DateOnly>().Order().Cast<DateOnly?>().FirstOrDefault();
        if (intents.FirstOrDefault() is { } first) yield return new Span(M.LoanIntents, township, first, null);
        if (granted is { } day) yield return new Span(M.LoansGranted, township, day, null);
        foreach (var (from, until) in Days.Union(loans.SelectMany(l => l.Verifying).Select(v => (v.From, v.Until))))
            yield return new Span(M.LoansVerifying, township, from, until);
        var ineligible = loans.Select(l => l.IneligibleOn).OfType<DateOnly>().Select(from =>
            (From: from, Until: Days.Earlier(intents.FirstOrDefault(i => i > from), granted > from ? granted : null)));
        foreach (var (from, until) in Days.Union(ineligible))
            if (until is null || until > from) yield return new Span(M.LoansIneligible, township, from, until);
    }
}
