using System.Data.Common;
using Relief.Api.Audit.History;
using Relief.Api.Infrastructure.Persistence;
using Weasel.Core;
using Weasel.Core.Migrations;
using Weasel.Postgresql;

namespace Relief.Api.Audit;

/// <summary>
/// An expression index on <c>mt_events (data->>'householdId')</c> (the member every household event
/// names its household by: <see cref="EventFacts.HouseholdId"/>), so that a household's history
/// finds the events naming it (on its own and on shared streams) without reading every event.
/// Marten owns <c>mt_events</c>; this schema object only adds the index, idempotently.
/// </summary>
public sealed class HouseholdEventIndex : ISchemaObject
{
    public const string Name = "ix_mt_events_household_id";

    public DbObjectName Identifier { get; } = new PostgresqlObjectName(ReliefStore.Schema, Name, SchemaUtils.IdentifierUsage.General);

    public void WriteCreateStatement(Migrator migrator, TextWriter writer) =>
        writer.WriteLine($"create index if not exists {Name} on {StoredEvents.Table} ((data ->> '{EventFacts.HouseholdId}'));");

    public void WriteDropStatement(Migrator rules, TextWriter writer) =>
        writer.WriteLine($"drop index if exists {ReliefStore.Schema}.{Name};");

    public void ConfigureQueryCommand(Weasel.Core.DbCommandBuilder builder) =>
        builder.Append($"select count(*) from pg_indexes where schemaname = '{ReliefStore.Schema}' and indexname = '{Name}'");

    public async Task<ISchemaObjectDelta> CreateDeltaAsync(DbDataReader reader, CancellationToken ct)
    {
        var exists = await reader.ReadAsync(ct) && await reader.GetFieldValueAsync<long>(0, ct) > 0;
        return new SchemaObjectDelta(this, exists ? SchemaPatchDifference.None : SchemaPatchDifference.Create);
    }

    public IEnumerable<DbObjectName> AllNames()
    {
        yield return Identifier;
    }
}

/// <summary>
/// The index as a feature of its own: Marten creates the features added with <c>Storage.Add</c>
/// after its event tables, so on a fresh database <c>mt_events</c> exists when the index is made
/// (as one of <c>ExtendedSchemaObjects</c> it ran first and failed, 42P01). Marten is told to ignore
/// the index on <c>mt_events</c> (<c>Events.IgnoreIndex</c>), or each migration would drop what the
/// previous one created.
/// </summary>
public sealed class HouseholdEventIndexFeature(Migrator migrator) : FeatureSchemaBase("HouseholdEventIndex", migrator)
{
    protected override IEnumerable<ISchemaObject> schemaObjects()
    {
        yield return new HouseholdEventIndex();
    }
}
