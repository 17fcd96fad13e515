using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Relief.Api.Audit.Corrections;
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
        await subjects.PrefetchAsync(events, cancellation);
        var last = book.Horizon.LastSequence;
        foreach (var @event in events)
        {
            // A batch the daemon retries, or replays after a failed commit, is counted once.
            if (@event.Sequence <= book.Horizon.LastSequence) continue;
            book.Sequence = @event.Sequence;
            await CountAsync(@event, store, book, subjects, cancellation);
            last = @event.Sequence;
        }

        if (last == book.Horizon.LastSequence) return;
        subjects.Store();
        book.Store(last);
    }

    private static async Task CountAsync(IEvent @event, IDispatchStore store, DispatchBook book, Subjects subjects, CancellationToken token)
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

            case CaregiverWarned e:
                var household = await subjects.LoadAsync<DispatchHousehold>(e.HouseholdId, token);
                await OnceAsync(book, household.Township, e.WarnedOn, +1, token, M.CaregiverWarnings);
                break;

            case EntryVoided e:
                // A voided one-off fact no longer counts, from its own date (the void is its correction).
                if (await store.EventAsync(e.VoidedSequence, token) is { } voided && OneOff(voided.Data) is { } fact)
                    await OnceAsync(book, fact.Township, fact.Day, -1, token, fact.Metrics);
                break;

            default:
                if (OneOff(@event.Data) is { } once) await OnceAsync(book, once.Township, once.Day, +1, token, once.Metrics);
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

    /// <summary>A fact that counts once (or, voided, no more), from its date, in each of the figures named.</summary>
    private static async Task OnceAsync(DispatchBook book, string? township, DateOnly day, int delta, CancellationToken token,
        params string[] metrics)
    {
        foreach (var metric in metrics) await book.CountAsync(township, metric, day, delta, token);
    }

    /// <summary>The facts that count once from their date, with their township and figures; null for the others.</summary>
    private static (string? Township, DateOnly Day, string[] Metrics)? OneOff(object data) => data switch
    {
        TrainingClassScheduled e => (e.Township, e.StartsOn, [M.TrainingClasses]),
        JobPlaced e => (e.Township, e.PlacedOn, [M.JobPlacements, ChannelMetric(e.Channel)]),
        ExemplaryDeedMeetingHeld e => (e.Township, e.HeldOn, [M.ExemplaryDeedMeetings]),
        InspectionRecorded e => (e.Township, e.InspectedOn, [M.Inspections]),
        HouseholdEvaluated e => (e.Township, e.EvaluatedOn, [M.Evaluations]),
        HonourAwarded e => (e.Township, e.AwardedOn, [M.Rewards]),
        MaterialRewardGranted e => (e.Township, e.AwardedOn, [M.Rewards]),
        _ => null,
    };

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

    /// <summary>The subject an event is about, for loading the batch's subjects in one query per kind.</summary>
    private static (Type Kind, Guid Id)? SubjectOf(object data) => data switch
    {
        HouseholdRegistered e => (typeof(DispatchHousehold), e.HouseholdId),
        HouseholdDetailsChanged e => (typeof(DispatchHousehold), e.HouseholdId),
        HouseholdClosed e => (typeof(DispatchHousehold), e.HouseholdId),
        CareAgreementSigned e => (typeof(DispatchHousehold), e.HouseholdId),
        CareAgreementRenewed e => (typeof(DispatchHousehold), e.HouseholdId),
        CareAgreementAmended e => (typeof(DispatchHousehold), e.HouseholdId),
        CareAgreementEnded e => (typeof(DispatchHousehold), e.HouseholdId),
        CaregiverWarned e => (typeof(DispatchHousehold), e.HouseholdId),
        CareCentreRegistered e => (typeof(DispatchCentre), e.CentreId),
        ResidentAdmitted e => (typeof(DispatchCentre), e.CentreId),
        ResidentTransferredIn e => (typeof(DispatchCentre), e.CentreId),
        ResidentTransferredOut e => (typeof(DispatchCentre), e.CentreId),
        ResidentDischarged e => (typeof(DispatchCentre), e.CentreId),
        TrialStayStarted e => (typeof(DispatchCentre), e.CentreId),
        TrialStayConverted e => (typeof(DispatchCentre), e.CentreId),
        TrialStayEnded e => (typeof(DispatchCentre), e.CentreId),
        CaregiverFamilyRegistered e => (typeof(DispatchFamily), e.FamilyId),
        CaregiverFamilyMemberAdded e => (typeof(DispatchFamily), e.FamilyId),
        CaregiverFamilyMemberRemoved e => (typeof(DispatchFamily), e.FamilyId),
        FamilyDoctorAgreementSigned e => (typeof(DispatchFamily), e.FamilyId),
        FamilyDoctorAgreementEnded e => (typeof(DispatchFamily), e.FamilyId),
        NeedsSurveyed e => (typeof(DispatchFamily), e.FamilyId),
        PolicyCaseOpened e => (typeof(DispatchCase), e.CaseId),
        PolicyApplied e => (typeof(DispatchCase), e.CaseId),
        LoanFoundEligible e => (typeof(DispatchCase), e.CaseId),
        LoanFoundIneligible e => (typeof(DispatchCase), e.CaseId),
        VerificationStarted e => (typeof(DispatchCase), e.CaseId),
        PolicyGranted e => (typeof(DispatchCase), e.CaseId),
        PolicyCaseRejected e => (typeof(DispatchCase), e.CaseId),
        PolicyCaseClosed e => (typeof(DispatchCase), e.CaseId),
        TraineeEnrolled e => (typeof(DispatchTrainee), e.MemberId),
        TrainingCompleted e => (typeof(DispatchTrainee), e.MemberId),
        _ => null,
    };

    /// <summary>The subjects loaded in this batch, each stored once at the end.</summary>
    private sealed class Subjects(IDispatchStore operations)
    {
        private readonly Dictionary<(Type, Guid), IDispatchSubject> _loaded = [];

        /// <summary>Loads every subject the batch's events are about: one query per kind, not one per subject.</summary>
        public async Task PrefetchAsync(IReadOnlyList<IEvent> events, CancellationToken token)
        {
            var wanted = events.Select(e => SubjectOf(e.Data)).OfType<(Type Kind, Guid Id)>().Distinct()
                .GroupBy(s => s.Kind, s => s.Id)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<Guid>)g.ToList());
            await PrefetchAsync<DispatchHousehold>(wanted, h => h.Id, token);
            await PrefetchAsync<DispatchCentre>(wanted, c => c.Id, token);
            await PrefetchAsync<DispatchFamily>(wanted, f => f.Id, token);
            await PrefetchAsync<DispatchCase>(wanted, c => c.Id, token);
            await PrefetchAsync<DispatchTrainee>(wanted, t => t.Id, token);
        }

        private async Task PrefetchAsync<T>(Dictionary<Type, IReadOnlyList<Guid>> wanted, Func<T, Guid> idOf, CancellationToken token)
            where T : class, IDispatchSubject, new()
        {
            if (!wanted.TryGetValue(typeof(T), out var ids)) return;
            var found = (await operations.LoadManyAsync<T>(ids, token)).ToDictionary(idOf);
            // Subjects not stored yet start empty: their first event makes them.
            foreach (var id in ids) _loaded[(typeof(T), id)] = found.TryGetValue(id, out var subject) ? subject : new T();
        }

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
