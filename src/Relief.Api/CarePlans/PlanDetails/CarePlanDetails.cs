using Marten.Events.Aggregation;
using Relief.Api.Audit.Corrections;
using Relief.Core.Protection;

namespace Relief.Api.CarePlans.PlanDetails;

/// <summary>An outreach visit as the plan keeps it (its note sealed as in the event).</summary>
public sealed record OutreachVisit(Guid VisitId, DateOnly VisitedOn, IReadOnlyList<MemberWillingness> Members, ProtectedValue? Note);

/// <summary>The assessment in force (sealed dependency levels as in the event).</summary>
public sealed record Assessment(Guid VisitId, DateOnly AssessedOn, IReadOnlyList<AssessedMember> Members, IReadOnlyList<CareNeed> Needs);

/// <summary>A responsible cadre (帮扶责任人), name and phone sealed under the cadre's key; erased once forgotten.</summary>
public sealed record CadreRecord(Guid CadreId, ProtectedValue Name, ProtectedValue Phone, DateOnly AssignedOn, bool Erased);

/// <summary>A review made.</summary>
public sealed record PlanReview(DateOnly ReviewedOn, DateOnly NextReviewOn, ProtectedValue? Note);

/// <summary>A follow-up visit made (随访).</summary>
public sealed record FollowUpVisit(Guid VisitId, DateOnly VisitedOn, DateOnly? DueOn, ProtectedValue? Note);

/// <summary>The stored view of one plan, with its visits (inline: read right after a write).</summary>
public sealed class CarePlanDetails
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public Guid HouseholdId { get; set; }
    public string Township { get; set; } = "";
    public PlanStatus Status { get; set; }
    public DateOnly DraftedOn { get; set; }
    public List<OutreachVisit> OutreachVisits { get; set; } = [];
    public Assessment? Assessment { get; set; }
    public List<PlanCare> Care { get; set; } = [];
    public DateOnly? CareChosenOn { get; set; }
    public List<PlanMeasure> Measures { get; set; } = [];

    /// <summary>Every cadre the plan had, the current one last.</summary>
    public List<CadreRecord> Cadres { get; set; } = [];
    public DateOnly? ActivatedOn { get; set; }
    public DateOnly? NextReviewOn { get; set; }
    public DateOnly? ReviewDueFrom { get; set; }
    public List<PlanReview> Reviews { get; set; } = [];
    public List<FollowUpVisit> FollowUps { get; set; } = [];
    public DateOnly? NextFollowUpOn { get; set; }
}

public sealed partial class CarePlanDetailsProjection : SingleStreamProjection<CarePlanDetails, Guid>
{
    /// <summary>A correction is part of the stream: the view's version follows it, so the next write is accepted.</summary>
    public static void Apply(EntryVoided e, CarePlanDetails view)
    {
    }

    /// <summary>A correction on a stream of another kind makes no view.</summary>
    public static CarePlanDetails? Create(EntryVoided e) => null;

    public static CarePlanDetails Create(CarePlanDrafted e) => new()
    {
        Id = e.PlanId, HouseholdId = e.HouseholdId, Township = e.Township, DraftedOn = e.DraftedOn, Status = PlanStatus.Draft,
    };

    public static void Apply(OutreachVisitRecorded e, CarePlanDetails view) =>
        view.OutreachVisits.Add(new OutreachVisit(e.VisitId, e.VisitedOn, e.Members, e.Note));

    public static void Apply(CarePlanAssessed e, CarePlanDetails view) =>
        view.Assessment = new Assessment(e.VisitId, e.AssessedOn, e.Members, e.Needs);

    public static void Apply(CareChosen e, CarePlanDetails view)
    {
        view.Care = [.. e.Care];
        view.CareChosenOn = e.ChosenOn;
        view.NextFollowUpOn = e.NextFollowUpOn;
    }

    public static void Apply(CarePlanMeasuresSet e, CarePlanDetails view) => view.Measures = [.. e.Measures];

    public static void Apply(ResponsibleCadreAssigned e, CarePlanDetails view) =>
        view.Cadres.Add(new CadreRecord(e.CadreId, e.Name, e.Phone, e.AssignedOn, false));

    public static void Apply(ResponsibleCadrePersonalDataErased e, CarePlanDetails view) =>
        view.Cadres = view.Cadres.Select(c => c.CadreId == e.CadreId ? c with { Erased = true } : c).ToList();

    public static void Apply(CarePlanActivated e, CarePlanDetails view)
    {
        view.ActivatedOn = e.ActivatedOn;
        view.NextReviewOn = e.NextReviewOn;
        view.ReviewDueFrom = e.ReviewDueFrom;
        view.NextFollowUpOn = e.NextFollowUpOn;
        view.Status = PlanStatus.Active;
    }

    public static void Apply(CarePlanReviewed e, CarePlanDetails view)
    {
        view.Reviews.Add(new PlanReview(e.ReviewedOn, e.NextReviewOn, e.Note));
        view.NextReviewOn = e.NextReviewOn;
        view.ReviewDueFrom = e.ReviewDueFrom;
        view.Status = PlanStatus.Active;
    }

    public static void Apply(CarePlanReviewFellDue e, CarePlanDetails view)
    {
        if (e.ReviewOn == view.NextReviewOn && view.Status == PlanStatus.Active) view.Status = PlanStatus.DueForReview;
    }

    public static void Apply(CarePlanReviewOverdue e, CarePlanDetails view)
    {
        if (e.ReviewOn == view.NextReviewOn && view.Status is PlanStatus.Active or PlanStatus.DueForReview) view.Status = PlanStatus.Overdue;
    }

    public static void Apply(FollowUpVisitRecorded e, CarePlanDetails view)
    {
        view.FollowUps.Add(new FollowUpVisit(e.VisitId, e.VisitedOn, view.NextFollowUpOn, e.Note));
        view.NextFollowUpOn = e.NextFollowUpOn;
    }
}
