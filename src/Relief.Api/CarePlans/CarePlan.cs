using Relief.Api.Audit.Corrections;
using Relief.Api.CareAgreements;
using Relief.Core.Calendar;
using Relief.Core.Events;
using Relief.Core.Protection;

namespace Relief.Api.CarePlans;

// The care plan stream (一户一策): one living plan per household, versioned by its events, with the
// household's outreach (逐户走访) and follow-up (随访) visits.

/// <summary>Whether a person is willing to enter a care centre (入住意愿), as heard on an outreach visit.</summary>
public enum Willingness { Willing, Unwilling, Undecided }

/// <summary>What the household needs, as assessed (the plan's measures answer these).</summary>
public enum CareNeed
{
    /// <summary>Daily care: washing, dressing, moving about.</summary>
    DailyCare,
    /// <summary>Meals brought or cooked.</summary>
    Meals,
    /// <summary>Medical care and accompaniment to the clinic.</summary>
    MedicalCare,
    /// <summary>Rehabilitation.</summary>
    Rehabilitation,
    /// <summary>Nursing.</summary>
    Nursing,
    /// <summary>Company and comfort (精神慰藉).</summary>
    Companionship,
    /// <summary>Repair or adaptation of the house.</summary>
    Housing,
    /// <summary>Income: an extended policy for the caregiver family (八延伸).</summary>
    Income,
}

/// <summary>What a measure of the plan links to.</summary>
public enum MeasureKind
{
    /// <summary>A policy case (八延伸) of the household or of a caregiver family caring for it.</summary>
    PolicyCase,
    /// <summary>An enrolment in a training class (培训).</summary>
    Enrolment,
    /// <summary>A job placement (安置就业).</summary>
    Placement,
}

/// <summary>Where a plan stands; it follows from the events.</summary>
public enum PlanStatus
{
    /// <summary>Drafted, not yet in force.</summary>
    Draft,
    /// <summary>In force, its review not yet due.</summary>
    Active,
    /// <summary>In force, its review has fallen due (raised by Relief at the start of the review window).</summary>
    DueForReview,
    /// <summary>In force, its review date has passed without a review (raised by Relief the day after).</summary>
    Overdue,
}

/// <summary>A member's willingness heard on an outreach visit.</summary>
public sealed record MemberWillingness(Guid MemberId, Willingness Willingness);

/// <summary>
/// A member as assessed: willingness in clear (what the plan is decided on, like relation and
/// gender); the dependency level (失能) sealed under the member's own person key (<c>p-{memberId}</c>),
/// as in the member's record.
/// </summary>
public sealed record AssessedMember(Guid MemberId, Willingness Willingness, ProtectedValue Dependency);

/// <summary>One kind of care the plan chose, linked to the agreement or the centre stay that gives it.</summary>
public sealed record PlanCare(CareMode Mode, Guid? AgreementId, Guid? CentreStayId);

/// <summary>One measure of the plan: a policy case, an enrolment or a placement, by id.</summary>
public sealed record PlanMeasure(MeasureKind Kind, Guid Id);

/// <summary>The plan was drafted for a household (one plan per household).</summary>
public sealed record CarePlanDrafted(Guid PlanId, Guid HouseholdId, string Township, DateOnly DraftedOn)
    : IHouseholdEvent, ITownshipEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => DraftedOn;
}

/// <summary>
/// An outreach visit (逐户走访) heard each member's willingness to enter a centre. <c>Note</c> is
/// sealed under the household's key.
/// </summary>
public sealed record OutreachVisitRecorded(
    Guid PlanId, Guid HouseholdId, string Township, Guid VisitId, DateOnly VisitedOn,
    IReadOnlyList<MemberWillingness> Members, ProtectedValue? Note) : IHouseholdEvent, ITownshipEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => VisitedOn;
}

/// <summary>The household was assessed from an outreach visit: each member, and the household's needs.</summary>
public sealed record CarePlanAssessed(
    Guid PlanId, Guid HouseholdId, Guid VisitId, DateOnly AssessedOn, IReadOnlyList<AssessedMember> Members,
    IReadOnlyList<CareNeed> Needs) : IHouseholdEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => AssessedOn;
}

/// <summary>
/// The care chosen for the household (the whole choice): a centre stay and/or home modes, each
/// linked to what gives it. <c>NextFollowUpOn</c> is the follow-up visit now due when the plan is in force.
/// </summary>
public sealed record CareChosen(Guid PlanId, Guid HouseholdId, DateOnly ChosenOn, IReadOnlyList<PlanCare> Care, DateOnly? NextFollowUpOn)
    : IHouseholdEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => ChosenOn;
}

/// <summary>The plan's measures (the whole list).</summary>
public sealed record CarePlanMeasuresSet(Guid PlanId, Guid HouseholdId, DateOnly SetOn, IReadOnlyList<PlanMeasure> Measures)
    : IHouseholdEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => SetOn;
}

/// <summary>
/// The responsible cadre (帮扶责任人) of the plan from <c>AssignedOn</c>. Name and phone are sealed under
/// the cadre's own person key (<c>p-{CadreId}</c>), held by the plan, and erased with it.
/// </summary>
public sealed record ResponsibleCadreAssigned(
    Guid PlanId, Guid HouseholdId, Guid CadreId, ProtectedValue Name, ProtectedValue Phone, DateOnly AssignedOn)
    : IHouseholdEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => AssignedOn;
}

/// <summary>The cadre's key was forgotten (PIPL art. 47): their name and phone can never be read again.</summary>
public sealed record ResponsibleCadrePersonalDataErased(Guid PlanId, Guid HouseholdId, Guid CadreId, string Reason, DateTimeOffset ErasedAt)
    : IHouseholdEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => ChinaTime.Today(ErasedAt);
}

/// <summary>
/// The plan came into force. Its review is due by <c>NextReviewOn</c>, and falls due from
/// <c>ReviewDueFrom</c>; the first follow-up visit is due on <c>NextFollowUpOn</c>.
/// </summary>
public sealed record CarePlanActivated(
    Guid PlanId, Guid HouseholdId, string Township, DateOnly ActivatedOn, DateOnly NextReviewOn, DateOnly ReviewDueFrom,
    DateOnly? NextFollowUpOn) : IHouseholdEvent, ITownshipEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => ActivatedOn;
}

/// <summary>The plan was reviewed; the next review is due by <c>NextReviewOn</c>. <c>Note</c> is sealed under the household's key.</summary>
public sealed record CarePlanReviewed(
    Guid PlanId, Guid HouseholdId, DateOnly ReviewedOn, DateOnly NextReviewOn, DateOnly ReviewDueFrom, ProtectedValue? Note)
    : IHouseholdEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => ReviewedOn;
}

/// <summary>Raised by Relief: the review due by <c>ReviewOn</c> fell due on <c>DueFrom</c>.</summary>
public sealed record CarePlanReviewFellDue(Guid PlanId, Guid HouseholdId, DateOnly ReviewOn, DateOnly DueFrom)
    : IHouseholdEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => DueFrom;
}

/// <summary>Raised by Relief: the review due by <c>ReviewOn</c> was not made; overdue from <c>OverdueFrom</c>.</summary>
public sealed record CarePlanReviewOverdue(Guid PlanId, Guid HouseholdId, DateOnly ReviewOn, DateOnly OverdueFrom)
    : IHouseholdEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => OverdueFrom;
}

/// <summary>
/// A follow-up visit (随访) to a centre resident or a home-care household; the next is due on
/// <c>NextFollowUpOn</c>. <c>Note</c> is sealed under the household's key.
/// </summary>
public sealed record FollowUpVisitRecorded(
    Guid PlanId, Guid HouseholdId, Guid VisitId, DateOnly VisitedOn, DateOnly? NextFollowUpOn, ProtectedValue? Note)
    : IHouseholdEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => VisitedOn;
}

/// <summary>The write model of a plan: what its changes are decided on.</summary>
public sealed class CarePlan
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public Guid HouseholdId { get; set; }
    public string Township { get; set; } = "";
    public DateOnly DraftedOn { get; set; }
    public List<Guid> OutreachVisits { get; set; } = [];
    public Dictionary<Guid, DateOnly> VisitDays { get; set; } = [];
    public bool Assessed { get; set; }
    public List<PlanCare> Care { get; set; } = [];
    public Guid? CadreId { get; set; }
    public List<Guid> ErasedCadres { get; set; } = [];
    public List<Guid> Cadres { get; set; } = [];
    public DateOnly? ActivatedOn { get; set; }
    public DateOnly? LastReviewedOn { get; set; }
    public DateOnly? NextReviewOn { get; set; }
    public DateOnly? ReviewDueFrom { get; set; }
    public DateOnly? LastFollowUpOn { get; set; }
    public DateOnly? NextFollowUpOn { get; set; }
    public PlanStatus Status { get; set; }

    /// <summary>A correction on a stream of another kind makes no plan.</summary>
    public static CarePlan? Create(EntryVoided e) => null;

    /// <summary>A correction is part of the stream: the version follows it.</summary>
    public void Apply(EntryVoided e)
    {
    }

    public static CarePlan Create(CarePlanDrafted e) => new()
    {
        Id = e.PlanId, HouseholdId = e.HouseholdId, Township = e.Township, DraftedOn = e.DraftedOn, Status = PlanStatus.Draft,
    };

    public void Apply(OutreachVisitRecorded e)
    {
        OutreachVisits.Add(e.VisitId);
        VisitDays[e.VisitId] = e.VisitedOn;
    }

    public void Apply(CarePlanAssessed e) => Assessed = true;

    public void Apply(CareChosen e)
    {
        Care = [.. e.Care];
        NextFollowUpOn = e.NextFollowUpOn;
    }

    public void Apply(CarePlanMeasuresSet e)
    {
    }

    public void Apply(ResponsibleCadreAssigned e)
    {
        CadreId = e.CadreId;
        Cadres.Add(e.CadreId);
    }

    public void Apply(ResponsibleCadrePersonalDataErased e) => ErasedCadres.Add(e.CadreId);

    public void Apply(CarePlanActivated e)
    {
        ActivatedOn = e.ActivatedOn;
        NextReviewOn = e.NextReviewOn;
        ReviewDueFrom = e.ReviewDueFrom;
        NextFollowUpOn = e.NextFollowUpOn;
        Status = PlanStatus.Active;
    }

    public void Apply(CarePlanReviewed e)
    {
        LastReviewedOn = e.ReviewedOn;
        NextReviewOn = e.NextReviewOn;
        ReviewDueFrom = e.ReviewDueFrom;
        Status = PlanStatus.Active;
    }

    public void Apply(CarePlanReviewFellDue e)
    {
        if (e.ReviewOn == NextReviewOn && Status == PlanStatus.Active) Status = PlanStatus.DueForReview;
    }

    public void Apply(CarePlanReviewOverdue e)
    {
        if (e.ReviewOn == NextReviewOn && Status is PlanStatus.Active or PlanStatus.DueForReview) Status = PlanStatus.Overdue;
    }

    public void Apply(FollowUpVisitRecorded e)
    {
        LastFollowUpOn = e.VisitedOn;
        NextFollowUpOn = e.NextFollowUpOn;
    }

    public bool IsActive => ActivatedOn is not null;

    /// <summary>The cadre in charge now, unless their key was forgotten.</summary>
    public bool HasCadre => CadreId is { } cadre && !ErasedCadres.Contains(cadre);
}
