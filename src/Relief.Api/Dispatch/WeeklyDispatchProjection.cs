using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Relief.Api.CareAgreements;
using Relief.Api.CareCentres;
using Relief.Api.CaregiverFamilies;
using Relief.Api.ExtendedPolicies;
using Relief.Api.ExtendedPolicies.Training;
using Relief.Api.Households;
using Relief.Api.Supervision;
using Relief.Core.Calendar;
using M = Relief.Api.Dispatch.DispatchMetrics;

namespace Relief.Api.Dispatch;

/// <summary>
/// The weekly dispatch report (周工作调度), an async projection over every stream, rebuildable from
/// zero. For each event it loads the subject the event is about (household, centre, caregiver family,
/// policy case, trainee), asks what the subject contributed to the report before and after the event,
/// and counts the difference on the business dates it falls on. One-off facts (a class, a placement,
/// a meeting, an inspection, an evaluation, a reward) count from their date. Events of closed
/// (archived) households are read too: they happened.
/// </summary>
public sealed class WeeklyDispatchProjection : IProjection
{
    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation) =>
        CountAsync(new MartenDispatchStore(operations), events, cancellation);

    /// <summary>Counts a batch of events into the store's documents (Marten's, or memory's for a report as known at an instant).</summary>
    public static async Task CountAsync(IDispatchStore store, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var book = await DispatchBook.OpenAsync(store, cancellation);
        var subjects = new Subjects(store);
        var last = book.Horizon.LastSequence;
        foreach (var @event in events)
        {
            // A batch the daemon retries, or replays after a failed commit, is counted once.
            if (@event.Sequence <= book.Horizon.LastSequence) continue;
            book.Sequence = @event.Sequence;
            await CountAsync(@event, book, subjects, cancellation);
            last = @event.Sequence;
        }

        if (last == book.Horizon.LastSequence) return;
        subjects.Store();
        book.Store(last);
    }

    private static async Task CountAsync(IEvent @event, DispatchBook book, Subjects subjects, CancellationToken token)
    {
        var recordedOn = ChinaTime.Today(@event.Timestamp);
        if (BusinessDateOf(@event.Data) is { } day) await book.AdvanceToAsync(day < recordedOn ? day : recordedOn, token);

        switch (@event.Data)
        {
            case HouseholdRegistered e:
                await subjects.ChangeAsync<DispatchHousehold>(book, e.HouseholdId, h => h.Apply(e, ChinaTime.Today(e.RegisteredAt)), token);
                break;
            case HouseholdDetailsChanged e:
                await subjects.ChangeAsync<DispatchHousehold>(book, e.HouseholdId, h => h.Apply(e), token);
                break;
            case HouseholdClosed e:
                await subjects.ChangeAsync<DispatchHousehold>(book, e.HouseholdId, h => h.Apply(e), token);
                break;
            case CareAgreementSigned e:
                await subjects.ChangeAsync<DispatchHousehold>(book, e.HouseholdId, h => h.Apply(e), token);
                break;
            case CareAgreementRenewed e:
                await subjects.ChangeAsync<DispatchHousehold>(book, e.HouseholdId, h => h.Apply(e), token);
                break;
            case CareAgreementAmended e:
                await subjects.ChangeAsync<DispatchHousehold>(book, e.HouseholdId, h => h.Apply(e), token);
                break;
            case CareAgreementEnded e:
                await subjects.ChangeAsync<DispatchHousehold>(book, e.HouseholdId, h => h.Apply(e), token);
                break;

            case CareCentreRegistered e:
                await subjects.ChangeAsync<DispatchCentre>(book, e.CentreId, c => c.Apply(e), token);
                break;
            case ResidentAdmitted e:
                await subjects.ChangeAsync<DispatchCentre>(book, e.CentreId, c => c.Apply(e), token);
                break;
            case ResidentTransferredIn e:
                await subjects.ChangeAsync<DispatchCentre>(book, e.CentreId, c => c.Apply(e), token);
                break;
            case ResidentTransferredOut e:
                await subjects.ChangeAsync<DispatchCentre>(book, e.CentreId, c => c.Apply(e), token);
                break;
            case ResidentDischarged e:
                await subjects.ChangeAsync<DispatchCentre>(book, e.CentreId, c => c.Apply(e), token);
                break;
            case TrialStayStarted e:
                await subjects.ChangeAsync<DispatchCentre>(book, e.CentreId, c => c.Apply(e), token);
                break;
            case TrialStayConverted e:
                await subjects.ChangeAsync<DispatchCentre>(book, e.CentreId, c => c.Apply(e), token);
                break;
            case TrialStayEnded e:
                await subjects.ChangeAsync<DispatchCentre>(book, e.CentreId, c => c.Apply(e), token);
                break;

            case CaregiverFamilyRegistered e:
                await subjects.ChangeAsync<DispatchFamily>(book, e.FamilyId, f => f.Apply(e, ChinaTime.Today(e.RegisteredAt)), token);
                break;
            case CaregiverFamilyMemberAdded e:
                await subjects.ChangeAsync<DispatchFamily>(book, e.FamilyId, f => f.Apply(e), token);
                break;
            case CaregiverFamilyMemberRemoved e:
                await subjects.ChangeAsync<DispatchFamily>(book, e.FamilyId, f => f.Apply(e), token);
                break;
            case FamilyDoctorAgreementSigned e:
                await subjects.ChangeAsync<DispatchFamily>(book, e.FamilyId, f => f.Apply(e), token);
                break;
            case FamilyDoctorAgreementEnded e:
                await subjects.ChangeAsync<DispatchFamily>(book, e.FamilyId, f => f.Apply(e), token);
                break;
            case NeedsSurveyed e:
                await subjects.ChangeAsync<DispatchFamily>(book, e.FamilyId, f => f.Apply(e), token);
                break;

            case PolicyCaseOpened e:
                var label = await subjects.LabelOfAsync(e.CaregiverFamilyId, e.HouseholdId, token);
                await subjects.ChangeAsync<DispatchCase>(book, e.CaseId, c =>
                {
                    c.Apply(e);
                    c.Label = label;
                }, token);
                break;
            case PolicyApplied e:
                await subjects.ChangeAsync<DispatchCase>(book, e.CaseId, c => c.Apply(e), token);
                break;
            case LoanFoundEligible e:
                await subjects.ChangeAsync<DispatchCase>(book, e.CaseId, c => c.Apply(e), token);
                break;
            case LoanFoundIneligible e:
                await subjects.ChangeAsync<DispatchCase>(book, e.CaseId, c => c.Apply(e), token);
                break;
            case VerificationStarted e:
                await subjects.ChangeAsync<DispatchCase>(book, e.CaseId, c => c.Apply(e), token);
                break;
            case PolicyGranted e:
                await subjects.ChangeAsync<DispatchCase>(book, e.CaseId, c => c.Apply(e), token);
                break;
            case PolicyCaseRejected e:
                await subjects.ChangeAsync<DispatchCase>(book, e.CaseId, c => c.Apply(e), token);
                break;
            case PolicyCaseClosed e:
                await subjects.ChangeAsync<DispatchCase>(book, e.CaseId, c => c.Apply(e), token);
                break;

            case TraineeEnrolled e:
                await subjects.ChangeAsync<DispatchTrainee>(book, e.MemberId, t => t.Apply(e), token);
                break;
            case TrainingCompleted e:
                await subjects.ChangeAsync<DispatchTrainee>(book, e.MemberId, t => t.Apply(e), token);
                break;

            case TrainingClassScheduled e:
                await OnceAsync(book, e.Township, e.StartsOn, token, M.TrainingClasses);
                break;
            case JobPlaced e:
                await OnceAsync(book, e.Township, e.PlacedOn, token, M.JobPlacements, ChannelMetric(e.Channel));
                break;
            case ExemplaryDeedMeetingHeld e:
                await OnceAsync(book, e.Township, e.HeldOn, token, M.ExemplaryDeedMeetings);
                break;
            case InspectionRecorded e:
                await OnceAsync(book, e.Township, e.InspectedOn, token, M.Inspections);
                break;
            case HouseholdEvaluated e:
                await OnceAsync(book, e.Township, e.EvaluatedOn, token, M.Evaluations);
                break;
            case CaregiverWarned e:
                var household = await subjects.LoadAsync<DispatchHousehold>(e.HouseholdId, token);
                await OnceAsync(book, household.Township, e.WarnedOn, token, M.CaregiverWarnings);
                break;
            case HonourAwarded e:
                await OnceAsync(book, e.Township, e.AwardedOn, token, M.Rewards);
                break;
            case MaterialRewardGranted e:
                await OnceAsync(book, e.Township, e.AwardedOn, token, M.Rewards);
                break;
        }
    }

    private static string ChannelMetric(PlacementChannel channel) => channel switch
    {
        PlacementChannel.EnterpriseMatching => M.JobPlacementsEnterpriseMatching,
        PlacementChannel.PublicWelfarePost => M.JobPlacementsPublicWelfarePost,
        PlacementChannel.Recommendation => M.JobPlacementsRecommendation,
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "a placement channel the report does not know"),
    };

    /// <summary>A fact that counts once, from its date, in each of the figures named.</summary>
    private static async Task OnceAsync(DispatchBook book, string? township, DateOnly day, CancellationToken token, params string[] metrics)
    {
        foreach (var metric in metrics) await book.CountAsync(township, metric, day, +1, token);
    }

    /// <summary>
    /// The day an event says something happened, which moves the report's latest week forward (never
    /// past the day it was recorded); null for events that carry no date of their own.
    /// </summary>
    private static DateOnly? BusinessDateOf(object data) => data switch
    {
        HouseholdRegistered e => ChinaTime.Today(e.RegisteredAt),
        HouseholdClosed e => e.ClosedOn,
        HouseholdMonitoringChanged e => e.Since,
        CareAgreementSigned e => e.SignedOn,
        CareAgreementRenewed e => e.RenewedOn,
        CareAgreementAmended e => e.EffectiveFrom,
        CareAgreementEnded e => e.EndedOn,
        CareCentreRegistered e => e.OpenedOn,
        ResidentAdmitted e => e.AdmittedOn,
        ResidentTransferredIn e => e.On,
        ResidentTransferredOut e => e.On,
        ResidentDischarged e => e.DischargedOn,
        TrialStayStarted e => e.From,
        TrialStayConverted e => e.AdmittedOn,
        TrialStayEnded e => e.EndedOn,
        CaregiverFamilyRegistered e => ChinaTime.Today(e.RegisteredAt),
        FamilyDoctorAgreementSigned e => e.SignedOn,
        FamilyDoctorAgreementEnded e => e.EndedOn,
        NeedsSurveyed e => e.SurveyedOn,
        PolicyCaseOpened e => e.OpenedOn,
        PolicyApplied e => e.AppliedOn,
        LoanFoundEligible e => e.DecidedOn,
        LoanFoundIneligible e => e.DecidedOn,
        VerificationStarted e => e.StartedOn,
        PolicyGranted e => e.GrantedOn,
        PolicyCaseRejected e => e.RejectedOn,
        PolicyCaseClosed e => e.ClosedOn,
        TraineeEnrolled e => e.EnrolledOn,
        TrainingCompleted e => e.CompletedOn,
        TraineeWithdrew e => e.WithdrewOn,
        TrainingClassScheduled e => e.StartsOn,
        JobPlaced e => e.PlacedOn,
        ExemplaryDeedMeetingHeld e => e.HeldOn,
        InspectionRecorded e => e.InspectedOn,
        FollowUpCompleted e => e.CompletedOn,
        HouseholdEvaluated e => e.EvaluatedOn,
        CaregiverWarned e => e.WarnedOn,
        HonourAwarded e => e.AwardedOn,
        MaterialRewardGranted e => e.AwardedOn,
        _ => null,
    };

    /// <summary>The subjects loaded in this batch, each stored once at the end.</summary>
    private sealed class Subjects(IDispatchStore operations)
    {
        private readonly Dictionary<(Type, Guid), IDispatchSubject> _loaded = [];

        public async Task<T> LoadAsync<T>(Guid id, CancellationToken token) where T : class, IDispatchSubject, new()
        {
            if (_loaded.TryGetValue((typeof(T), id), out var known)) return (T)known;
            var subject = await operations.LoadAsync<T>(id, token) ?? new T();
            _loaded[(typeof(T), id)] = subject;
            return subject;
        }

        /// <summary>Applies an event to a subject and counts the difference it makes to the report.</summary>
        public async Task ChangeAsync<T>(DispatchBook book, Guid id, Action<T> apply, CancellationToken token)
            where T : class, IDispatchSubject, new()
        {
            var subject = await LoadAsync<T>(id, token);
            var before = subject.Contribution();
            apply(subject);
            SetId(subject, id);
            var after = subject.Contribution();
            await CountDifferenceAsync(book, before, after, token);
        }

        public async Task<string> LabelOfAsync(Guid? familyId, Guid? householdId, CancellationToken token)
        {
            if (familyId is { } family)
            {
                var known = await LoadAsync<DispatchFamily>(family, token);
                return known.HeadName.Length > 0 ? $"托养人家庭 {known.HeadName}" : $"caregiver family {family}";
            }

            if (householdId is { } id)
            {
                var known = await LoadAsync<DispatchHousehold>(id, token);
                return known.HeadName.Length > 0 ? $"兜底户 {known.Village} · {known.HeadName}" : $"household {id}";
            }

            return "";
        }

        public void Store()
        {
            foreach (var subject in _loaded.Values) Store(subject);
        }

        private void Store(IDispatchSubject subject)
        {
            switch (subject)
            {
                case DispatchHousehold s when s.Id != Guid.Empty: operations.Store(s); break;
                case DispatchCentre s when s.Id != Guid.Empty: operations.Store(s); break;
                case DispatchFamily s when s.Id != Guid.Empty: operations.Store(s); break;
                case DispatchCase s when s.Id != Guid.Empty: operations.Store(s); break;
                case DispatchTrainee s when s.Id != Guid.Empty: operations.Store(s); break;
            }
        }

        private static void SetId(IDispatchSubject subject, Guid id)
        {
            switch (subject)
            {
                case DispatchHousehold s: s.Id = id; break;
                case DispatchCentre s: s.Id = id; break;
                case DispatchFamily s: s.Id = id; break;
                case DispatchCase s: s.Id = id; break;
                case DispatchTrainee s: s.Id = id; break;
            }
        }
    }

    /// <summary>What changed between two contributions of one subject, counted on the days it falls on.</summary>
    private static async Task CountDifferenceAsync(DispatchBook book, Contribution before, Contribution after, CancellationToken token)
    {
        var deltas = new Dictionary<(string? Township, string Metric, DateOnly Day), int>();
        void Add(Span span, int sign)
        {
            if (span.IsEmpty) return;
            var start = (span.Township, span.Metric, span.From);
            deltas[start] = deltas.GetValueOrDefault(start) + sign;
            if (span.Until is not { } until) return;
            var end = (span.Township, span.Metric, until);
            deltas[end] = deltas.GetValueOrDefault(end) - sign;
        }

        foreach (var span in before.Spans) Add(span, -1);
        foreach (var span in after.Spans) Add(span, +1);
        foreach (var ((township, metric, day), delta) in deltas.OrderBy(d => d.Key.Day))
        {
            if (delta != 0) await book.CountAsync(township, metric, day, delta, token);
        }

        foreach (var item in before.Items.Except(after.Items)) await book.RemoveAsync(item, token);
        foreach (var item in after.Items.Except(before.Items)) await book.AddAsync(item, token);
    }
}
