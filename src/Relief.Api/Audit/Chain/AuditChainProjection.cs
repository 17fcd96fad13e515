using JasperFx.Events;
using Marten;
using JasperFx.Events.Projections;
using Marten.Events.Projections;
using Npgsql;
using Relief.Core.Audit;
using Relief.Core.Calendar;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Relief.Api.Audit.Chain;

/// <summary>
/// The async projection that writes the hash chain: for every stored event, in sequence order,
/// <c>hash = SHA-256(previous hash ‖ canonical(stored event and metadata))</c> in
/// <c>relief.audit_chain</c>, and for each day (China time, by recorded time) the last hash in
/// <c>relief.audit_anchors</c>. Run by the async daemon, rebuilt from zero by
/// <c>projections rebuild</c> (both tables are emptied on teardown).
/// <para>
/// The chain covers the rows as stored in <c>mt_events</c>, read with SQL, not the event objects the
/// daemon hands over: an upcaster or a serializer change must not change the chain, and the
/// verifier reads the same rows. For each page the daemon hands over, every stored row after the
/// last chained one up to the page's last event is chained, so events the daemon does not deliver
/// are covered too; sequence numbers of rolled-back transactions simply do not exist and are not
/// chained.
/// </para>
/// <para>
/// It never reads beyond the page. Up to the page's last event the daemon has made sure that every
/// sequence number is either committed or will never be; beyond it, a transaction may still be in
/// flight. Reading ahead once chained a later event over a hole that such a transaction filled when
/// it committed, and verification then called the late event an insertion (found by eng/faults).
/// </para>
/// <para>
/// With several counties the daemon runs this one projection against each county's database: each
/// database has a chain of its own, read from and written to that database.
/// </para>
/// </summary>
public sealed class AuditChainProjection : IProjection
{
    public const string ProjectionName = "AuditChain";
    public const string ChainTable = "audit_chain";
    public const string AnchorTable = "audit_anchors";
    private const int ReadBatch = 1_000;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Chain> _chains = new();

    private static string Schema => Infrastructure.Persistence.ReliefStore.Schema;

    /// <summary>Registers the projection with the daemon: async, archived events included, emptied on teardown.</summary>
    public static void Register(StoreOptions opts)
    {
        opts.Projections.Add(new AuditChainProjection(), ProjectionLifecycle.Async, ProjectionName, o =>
        {
            o.BatchSize = Infrastructure.Persistence.ReliefStore.LargePage;
            o.DeleteDataInTableOnTeardown($"{Schema}.{ChainTable}");
            o.DeleteDataInTableOnTeardown($"{Schema}.{AnchorTable}");
        });
        foreach (var source in opts.Projections.All.OfType<ProjectionBase>().Where(p => p.Name == ProjectionName))
        {
            source.IncludeArchivedEvents = true;
        }
    }

    public static IEnumerable<Table> Tables()
    {
        var chain = new Table(new PostgresqlObjectName(Schema, ChainTable, SchemaUtils.IdentifierUsage.General));
        chain.AddColumn<long>("seq_id").AsPrimaryKey();
        chain.AddColumn<Guid>("event_id").NotNull();
        chain.AddColumn<string>("previous_hash").NotNull();
        chain.AddColumn<string>("hash").NotNull();
        chain.AddColumn("recorded_at", "timestamptz").NotNull();
        chain.AddColumn("recorded_on", "date").NotNull();
        yield return chain;

        var anchors = new Table(new PostgresqlObjectName(Schema, AnchorTable, SchemaUtils.IdentifierUsage.General));
        anchors.AddColumn("day", "date").AsPrimaryKey();
        anchors.AddColumn<long>("last_sequence").NotNull();
        anchors.AddColumn<string>("hash").NotNull();
        anchors.AddColumn("recorded_at", "timestamptz").NotNull();
        yield return anchors;
    }

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        if (events.Count == 0) return;
        var database = operations.Database;
        var chain = _chains.GetOrAdd(database.Id.Identity, _ => new Chain(((PostgresqlDatabase)database).DataSource));
        await chain.Gate.WaitAsync(cancellation);
        try
        {
            await chain.ChainPage(operations, events.Min(e => e.Sequence), events.Max(e => e.Sequence), cancellation);
        }
        finally
        {
            chain.Gate.Release();
        }
    }

    /// <summary>The chain of one database: where it stands, read from that database's stored rows.</summary>
    private sealed class Chain(NpgsqlDataSource dataSource)
    {
        private long _lastSequence = -1;
        private Guid _lastEventId;
        private string _lastHash = HashChain.Genesis;
        private DateTimeOffset _lastRecordedAt = DateTimeOffset.UnixEpoch;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public async Task ChainPage(IDocumentOperations operations, long first, long last, CancellationToken token)
        {
            // Starting, replaying (a rebuild or a retried page), or the events were wiped (a test reset,
            // a restore): continue from the last committed link before this page, or from the genesis.
            if (_lastSequence < 0 || _lastSequence >= first || !await StillStored(token)) await RestartBefore(first, token);

            while (_lastSequence < last)
            {
                var rows = await StoredEvents.Range(dataSource, _lastSequence, last, ReadBatch, token);
                if (rows.Count == 0) return;
                Link(operations, rows);
            }
        }

        /// <summary>
        /// Links the rows onto the chain: one statement for all their links, and one anchor per day they
        /// fall on (the day's last link among them; an anchor only ever moves forward).
        /// </summary>
        private void Link(IDocumentOperations operations, List<StoredEvent> rows)
        {
            var sequences = new long[rows.Count];
            var ids = new Guid[rows.Count];
            var previous = new string[rows.Count];
            var hashes = new string[rows.Count];
            var recorded = new DateTimeOffset[rows.Count];
            var days = new DateOnly[rows.Count];
            var anchors = new Dictionary<DateOnly, int>();
            for (var i = 0; i < rows.Count; i++)
            {
                var e = rows[i];
                sequences[i] = e.Sequence;
                ids[i] = e.Chained.Id;
                previous[i] = _lastHash;
                hashes[i] = HashChain.Next(_lastHash, e.Chained);
                // A tombstone has no recorded time: its link takes the previous one's, and moves no anchor.
                if (e.HasRecordedTime) _lastRecordedAt = e.RecordedAt.ToUniversalTime();
                recorded[i] = _lastRecordedAt;
                days[i] = ChinaTime.Today(recorded[i]);
                if (e.HasRecordedTime) anchors[days[i]] = i;
                _lastSequence = e.Sequence;
                _lastEventId = e.Chained.Id;
                _lastHash = hashes[i];
            }

            operations.QueueSqlCommand(
                $"insert into {Schema}.{ChainTable} (seq_id, event_id, previous_hash, hash, recorded_at, recorded_on) " +
                "select * from unnest(?::bigint[], ?::uuid[], ?::text[], ?::text[], ?::timestamptz[], ?::date[]) " +
                "on conflict (seq_id) do update set event_id = excluded.event_id, previous_hash = excluded.previous_hash, " +
                "hash = excluded.hash, recorded_at = excluded.recorded_at, recorded_on = excluded.recorded_on",
                sequences, ids, previous, hashes, recorded, days);
            foreach (var (day, i) in anchors)
            {
                operations.QueueSqlCommand(
                    $"insert into {Schema}.{AnchorTable} as a (day, last_sequence, hash, recorded_at) values (?, ?, ?, ?) " +
                    "on conflict (day) do update set last_sequence = excluded.last_sequence, hash = excluded.hash, recorded_at = excluded.recorded_at " +
                    "where a.last_sequence <= excluded.last_sequence",
                    day, sequences[i], hashes[i], recorded[i]);
            }
        }

        private async Task<bool> StillStored(CancellationToken token)
        {
            if (_lastSequence == 0) return true;
            await using var command = dataSource.CreateCommand(
                $"select exists (select 1 from {StoredEvents.Table} where seq_id = $1 and id = $2)");
            command.Parameters.AddWithValue(_lastSequence);
            command.Parameters.AddWithValue(_lastEventId);
            return (bool)(await command.ExecuteScalarAsync(token))!;
        }

        private async Task RestartBefore(long sequence, CancellationToken token)
        {
            await using var command = dataSource.CreateCommand(
                $"select seq_id, event_id, hash, recorded_at from {Schema}.{ChainTable} where seq_id < $1 order by seq_id desc limit 1");
            command.Parameters.AddWithValue(sequence);
            await using var reader = await command.ExecuteReaderAsync(token);
            if (await reader.ReadAsync(token))
            {
                _lastSequence = reader.GetInt64(0);
                _lastEventId = reader.GetGuid(1);
                _lastHash = reader.GetString(2);
                _lastRecordedAt = reader.GetFieldValue<DateTimeOffset>(3);
            }
            else
            {
                _lastSequence = 0;
                _lastEventId = Guid.Empty;
                _lastHash = HashChain.Genesis;
                _lastRecordedAt = DateTimeOffset.UnixEpoch;
            }
        }
    }
}
