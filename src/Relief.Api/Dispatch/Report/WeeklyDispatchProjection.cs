using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Relief.Api.Audit.Corrections;
using Relief.Api.Dispatch.Engine;
using Relief.Api.ExtendedPolicies;
using Relief.Api.ExtendedPolicies.Needs;
using Relief.Api.ExtendedPolicies.Training;
using Relief.Api.Supervision;
using Relief.Core.Calendar;
using Relief.Core.Events;
using Relief.Core.Protection;
using M = Relief.Api.Dispatch.Engine.DispatchMetrics;

namespace Relief.Api.Dispatch.Report;

/// <summary>
/// The weekly dispatch report (周工作调度), an async projection over every stream, rebuildable from
/// zero. For each event it loads the subject the event is about (household, centre, caregiver family,
/// policy case, trainee), asks what the subject contributed to the report before and after the event,
/// and counts the difference on the business dates it falls on. One-off facts (a class, a placement,
/// a meeting, an inspection, an evaluation, a reward) count from their date. Events of closed
/// (archived) households are read too: they happened.
/// </summary>
public sealed class WeeklyDispatchProjection(EvaluationSchedule schedule) : IProjection
{
    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation) =>
        CountAsync(new MartenDispatchStore(operations), events, schedule, cancellation);

    /// <summary>
    /// Counts a batch of events into the store's documents (Marten's, or memory's for a report as known at an
    /// instant), with the evaluation schedule in force.
    /// </summary>
    public static async Task CountAsync(IDispatchStore store, IReadOnlyList<IEvent> events, EvaluationSchedule schedule,
        CancellationToken cancellation)
    {
        // Everything the page names, in one round trip: the bookkeeping, the weeks the events were
        // recorded in (the latest written week is one of them, unless the page is a late one), and
        // the subjects.
        var loads = store.Loads();
        var horizon = loads.Horizon();
        var weeks = loads.Weeks(events.Select(e => IsoWeek.Of(ChinaTime.Today(e.Timestamp)).ToString()).Distinct().ToList());
        var subjects = new Subjects(store, schedule);
        subjects.Ask(loads, events);
        await loads.SendAsync(cancellation);
        var book = DispatchBook.Open(store, await horizon, await weeks);
        await subjects.ReceiveAsync();
        var last = book.Horizon.LastSequence;
        DateOnly? recordedOn = null;
        foreach (var @event in events)
        {
            // A batch the daemon retries, or replays after a failed commit, is counted once.
            if (@event.Sequence <= book.Horizon.LastSequence) continue;
            // The weeks as known at the end of each day the events were recorded on (a batch may span days).
            var day = ChinaTime.Today(@event.Timestamp);
            if (recordedOn is { } previous && previous != day) book.Revise(previous);
            recordedOn = day;
            book.Sequence = @event.Sequence;
            await CountAsync(@event, store, book, subjects, cancellation);
            last = @event.Sequence;
        }

        if (last == book.Horizon.LastSequence) return;
        book.Revise(recordedOn!.Value);
        subjects.Store();
        book.Store(last);
    }

    private static async Task CountAsync(IEvent @event, IDispatchStore store, DispatchBook book, Subjects subjects, CancellationToken token)
    {
        var recordedOn = ChinaTime.Today(@event.Timestamp);
        // The day an event says something happened moves the report's latest week forward, never past
        // the day it was recorded.
        if (@event.Data is IHasBusinessDate { BusinessDate: var day }) await book.AdvanceToAsync(day < recordedOn ? day : recordedOn, token);

        // An event may be about several subjects (a placement: its family's needs; an evaluation: its
        // household's schedule) and count once besides (a placement, an evaluation).
        foreach (var kind in Kinds.Where(k => k.IdOf(@event.Data) is not null))
        {
            (string, ProtectedValue?)? label = kind.Type == typeof(DispatchCase) && @event.Data is PolicyCaseOpened opened
                ? await subjects.LabelOfAsync(opened.CaregiverFamilyId, opened.HouseholdId, token)
                : null;
            await subjects.ChangeAsync(book, kind, kind.IdOf(@event.Data)!.Value, @event.Sequence, subject =>
            {
                subject.Apply(@event.Data);
                if (label is { } named) (((DispatchCase)subject).Label, ((DispatchCase)subject).LabelName) = named;
            }, token);
        }

        switch (@event.Data)
        {
            case CaregiverWarned e:
                var household = await subjects.LoadAsync<DispatchHousehold>(e.HouseholdId, token);
                await OnceAsync(book, household.Township, e.WarnedOn, +1, token, M.CaregiverWarnings);
                break;

            case EntryVoided e:
                // A voided one-off fact no longer counts, from its own date (the void is its correction);
                // a subject's voided event is taken out of the subject, which is folded again without it.
                if ((await store.EventsAsync([e.VoidedSequence], token)).SingleOrDefault() is not { } voided) break;
                if (OneOff(voided.Data) is { } fact) await OnceAsync(book, fact.Township, fact.Day, -1, token, fact.Metrics);
                else if (voided.Data is CaregiverWarned warned)
                {
                    var warnedHousehold = await subjects.LoadAsync<DispatchHousehold>(warned.HouseholdId, token);
                    await OnceAsync(book, warnedHousehold.Township, warned.WarnedOn, -1, token, M.CaregiverWarnings);
                }

                foreach (var subjectKind in Kinds.Where(k => k.IdOf(voided.Data) is not null))
                    await subjects.VoidAsync(book, subjectKind, subjectKind.IdOf(voided.Data)!.Value, e.VoidedSequence, token);
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

    /// <summary>The facts that count once from their date (their business date), with their township and figures; null for the others.</summary>
    private static (string? Township, DateOnly Day, string[] Metrics)? OneOff(object data) =>
        data is ITownshipEvent { Township: var township } and IHasBusinessDate { BusinessDate: var day } && OneOffMetrics(data) is { } metrics
            ? (township, day, metrics)
            : null;

    private static string[]? OneOffMetrics(object data) => data switch
    {
        TrainingClassScheduled => [M.TrainingClasses],
        JobPlaced e => [M.JobPlacements, ChannelMetric(e.Channel)],
        EligibilityExceptionGranted => [M.EligibilityExceptions],
        ExemplaryDeedMeetingHeld => [M.ExemplaryDeedMeetings],
        InspectionRecorded => [M.Inspections],
        HouseholdEvaluated => [M.Evaluations],
        HonourAwarded => [M.Rewards],
        MaterialRewardGranted => [M.Rewards],
        _ => null,
    };

    /// <summary>A kind of subject: which events are its own, and how its documents are loaded and stored.</summary>
    private sealed record SubjectKind(
        Type Type,
        Func<object, Guid?> IdOf,
        Func<IDispatchSubject> New,
        Func<IDispatchStore, IReadOnlyList<Guid>, CancellationToken, Task<IReadOnlyList<IDispatchSubject>>> LoadMany,
        Func<IDispatchLoads, IReadOnlyList<Guid>, Task<IReadOnlyList<IDispatchSubject>>> Ask,
        Action<IDispatchStore, IDispatchSubject> Store)
    {
        public static SubjectKind Of<T>(Func<object, Guid?> idOf) where T : class, IDispatchSubject, new() =>
            new(typeof(T), idOf, () => new T { Events = [] }, async (store, ids, token) => (await store.LoadManyAsync<T>(ids, token)).Cast<IDispatchSubject>().ToList(),
                async (loads, ids) => (await loads.Subjects<T>(ids)).Cast<IDispatchSubject>().ToList(),
                (store, subject) => store.Store((T)subject));
    }

    /// <summary>
    /// Subjects an event reads without being one of their events: the family or household a case is
    /// opened for (its label), the household of a caregiver's warning (its township).
    /// </summary>
    private static IEnumerable<(Type Kind, Guid Id)> ReadBy(object data) => data switch
    {
        PolicyCaseOpened { CaregiverFamilyId: { } family } => [(typeof(DispatchFamily), family)],
        PolicyCaseOpened { HouseholdId: { } household } => [(typeof(DispatchHousehold), household)],
        CaregiverWarned e => [(typeof(DispatchHousehold), e.HouseholdId)],
        _ => [],
    };

    /// <summary>Every kind of subject of the report.</summary>
    private static readonly IReadOnlyList<SubjectKind> Kinds =
    [
        SubjectKind.Of<DispatchHousehold>(DispatchHousehold.IdOf),
        SubjectKind.Of<DispatchCentre>(DispatchCentre.IdOf),
        SubjectKind.Of<DispatchFamily>(DispatchFamily.IdOf),
        SubjectKind.Of<DispatchCase>(DispatchCase.IdOf),
        SubjectKind.Of<DispatchTrainee>(DispatchTrainee.IdOf),
        SubjectKind.Of<DispatchRound>(DispatchRound.IdOf),
    ];

    /// <summary>The subjects loaded in this batch, each stored once at the end.</summary>
    private sealed class Subjects(IDispatchStore store, EvaluationSchedule schedule)
    {
        private readonly Dictionary<(Type, Guid), (SubjectKind Kind, IDispatchSubject Subject)> _loaded = [];

        private readonly List<(SubjectKind Kind, List<Guid> Ids, Task<IReadOnlyList<IDispatchSubject>> Found)> _asked = [];

        /// <summary>
        /// What each subject changed in this batch contributes as it now stands: its next event's
        /// "before", so that a subject's contribution is worked out once per event, not twice.
        /// </summary>
        private readonly Dictionary<(Type, Guid), Contribution> _counted = [];

        private Contribution Counted(Type kind, Guid id, IDispatchSubject subject) =>
            _counted.TryGetValue((kind, id), out var counted) ? counted : subject.Contribution();

        private Contribution Recount(Type kind, Guid id, IDispatchSubject subject) => _counted[(kind, id)] = subject.Contribution();

        /// <summary>
        /// Asks for every subject the batch's events are about or read (<see cref="ReadBy"/>), with the
        /// page's other loads: one round trip for all of them, not one per kind or per subject.
        /// </summary>
        public void Ask(IDispatchLoads loads, IReadOnlyList<IEvent> events)
        {
            var named = events.SelectMany(e => Kinds.Where(k => k.IdOf(e.Data) is not null).Select(k => (k.Type, k.IdOf(e.Data)!.Value))
                .Concat(ReadBy(e.Data))).ToList();
            foreach (var kind in Kinds)
            {
                var ids = named.Where(n => n.Item1 == kind.Type).Select(n => n.Item2).Distinct().ToList();
                if (ids.Count > 0) _asked.Add((kind, ids, kind.Ask(loads, ids)));
            }
        }

        /// <summary>Takes in what <see cref="Ask"/> asked for, once the loads are sent.</summary>
        public async Task ReceiveAsync()
        {
            foreach (var (kind, ids, found) in _asked)
            {
                var byId = (await found).ToDictionary(s => s.Id);
                // Subjects not stored yet start empty: their first event makes them.
                foreach (var id in ids) _loaded[(kind.Type, id)] = (kind, Prepared(byId.GetValueOrDefault(id) ?? kind.New()));
            }

            _asked.Clear();
        }

        /// <summary>A subject the batch did not prefetch (the household of a warning, the family a case names).</summary>
        public async Task<T> LoadAsync<T>(Guid id, CancellationToken token) where T : class, IDispatchSubject, new()
        {
            if (_loaded.TryGetValue((typeof(T), id), out var known)) return (T)known.Subject;
            var kind = Kinds.Single(k => k.Type == typeof(T));
            var subject = await store.LoadAsync<T>(id, token) ?? (T)kind.New();
            _loaded[(typeof(T), id)] = (kind, Prepared(subject));
            return subject;
        }

        /// <summary>What a subject needs from configuration: the evaluation schedule, for a household.</summary>
        private IDispatchSubject Prepared(IDispatchSubject subject)
        {
            if (subject is DispatchHousehold household) household.Schedule = schedule;
            return subject;
        }

        /// <summary>
        /// A family's needs follow its policy cases: after a case changes, the family's measure of it is
        /// set to the case as it stands (removed when the case no longer exists), and the difference counted.
        /// </summary>
        private async Task TrackCaseAsync(DispatchBook book, DispatchCase before, DispatchCase after, CancellationToken token)
        {
            if ((after.FamilyId ?? before.FamilyId) is not { } familyId) return;
            var family = await LoadAsync<DispatchFamily>(familyId, token);
            var counted = Counted(typeof(DispatchFamily), familyId, family);
            family.Track(before.Id == Guid.Empty ? after.Id : before.Id, after.AsMeasure(), after.AsLoanCourse());
            family.Id = familyId;
            await CountDifferenceAsync(book, counted, Recount(typeof(DispatchFamily), familyId, family), token);
        }

        /// <summary>Applies an event to a (prefetched) subject and counts the difference it makes to the report.</summary>
        public async Task ChangeAsync(DispatchBook book, SubjectKind kind, Guid id, long sequence, Action<IDispatchSubject> apply,
            CancellationToken token)
        {
            var subject = _loaded[(kind.Type, id)].Subject;
            var before = Counted(kind.Type, id, subject);
            apply(subject);
            subject.Id = id;
            subject.Events?.Add(sequence);
            await CountDifferenceAsync(book, before, Recount(kind.Type, id, subject), token);
            if (subject is DispatchCase policyCase) await TrackCaseAsync(book, policyCase, policyCase, token);
        }

        /// <summary>
        /// Takes a voided event out of its subject: folds the subject again from its other events and
        /// counts the difference, on the days it falls on (a voided registration no longer counts from
        /// its own day on). A subject stored before it kept its events' sequences has none to fold
        /// from; its voids count once the report is rebuilt (docs/operations.md §5).
        /// </summary>
        public async Task VoidAsync(DispatchBook book, SubjectKind kind, Guid id, long voided, CancellationToken token)
        {
            if (!_loaded.TryGetValue((kind.Type, id), out var loaded))
            {
                loaded = (kind, (await kind.LoadMany(store, [id], token)).SingleOrDefault() ?? kind.New());
                _loaded[(kind.Type, id)] = loaded;
            }

            var subject = loaded.Subject;
            if (subject.Events is not { } events || !events.Contains(voided)) return;
            var kept = events.Where(sequence => sequence != voided).ToList();
            var refolded = Prepared(kind.New());
            foreach (var @event in await store.EventsAsync(kept, token)) refolded.Apply(@event.Data);
            refolded.Id = id;
            refolded.Events = kept;
            // A case's label names its family or household as they were when it was opened.
            if (subject is DispatchCase before && refolded is DispatchCase after) (after.Label, after.LabelName) = (before.Label, before.LabelName);
            // A family's policy cases are not its own events: they stay as the cases stand.
            if (subject is DispatchFamily family && refolded is DispatchFamily again)
            {
                foreach (var measure in family.Measures.Values.Where(m => m.Kind == MeasureKind.PolicyCase))
                    again.Track(measure.Id, measure, family.Loans.GetValueOrDefault(measure.Id));
            }

            _loaded[(kind.Type, id)] = (kind, refolded);
            await CountDifferenceAsync(book, Counted(kind.Type, id, subject), Recount(kind.Type, id, refolded), token);
            if (subject is DispatchCase voidedCase && refolded is DispatchCase refoldedCase)
            {
                refoldedCase.FamilyId ??= voidedCase.FamilyId;
                await TrackCaseAsync(book, voidedCase, refoldedCase, token);
            }
        }

        /// <summary>A case's label without the name, and the head's name it ends with, sealed (never stored in clear).</summary>
        public async Task<(string Label, ProtectedValue? Name)> LabelOfAsync(Guid? familyId, Guid? householdId, CancellationToken token)
        {
            if (familyId is { } family)
            {
                var known = await LoadAsync<DispatchFamily>(family, token);
                return known.Township.Length > 0 ? ("托养人家庭 ", known.HeadName) : ($"caregiver family {family}", null);
            }

            if (householdId is { } id)
            {
                var known = await LoadAsync<DispatchHousehold>(id, token);
                return known.Township.Length > 0 ? ($"兜底户 {known.Village} · ", known.HeadName) : ($"household {id}", null);
            }

            return ("", null);
        }

        /// <summary>Queues every subject that exists (an event made it) for storage.</summary>
        public void Store()
        {
            foreach (var (kind, subject) in _loaded.Values.Where(l => l.Subject.Id != Guid.Empty)) kind.Store(store, subject);
        }
    }

    /// <summary>What changed between two contributions of one subject, counted on the days it falls on.</summary>
    private static async Task CountDifferenceAsync(DispatchBook book, Contribution before, Contribution after, CancellationToken token)
    {
        // Most events leave a subject's contribution as it was (a household's details changed): nothing to count.
        if (before.Spans.SequenceEqual(after.Spans) && before.Items.SequenceEqual(after.Items)) return;
        var deltas = new Dictionary<(string? Township, string Metric, DateOnly Day), int>();
        void Add(Span span, int sign)
        {
            if (span.IsEmpty) return;
            var start = (span.Township, span.Metric, span.From);
            deltas[start] = deltas.GetValueOrDefault(start) + sign * span.Weight;
            if (span.Until is not { } until) return;
            var end = (span.Township, span.Metric, until);
            deltas[end] = deltas.GetValueOrDefault(end) - sign * span.Weight;
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
