using System.Reflection;
using Marten;
using Npgsql;
using Relief.Api.Audit.History;
using Relief.Api.ExtendedPolicies;
using Relief.Api.Notifications;
using Relief.Core.Calendar;
using Relief.Core.Events;

namespace Relief.Api.Tests.Audit;

/// <summary>
/// The facts every event declares once (<see cref="Relief.Core.Events"/>: its household, its township,
/// its business date), read by the weekly report in C# and by the audit's SQL from the members
/// behind them: the two never disagree, and a fact that reads no stored member fails by name.
/// </summary>
public sealed class EventFactTests(AppFixture fixture) : ApiTest(fixture)
{
    /// <summary>Events with a date of their own that is not the day they record something happened.</summary>
    private static readonly Type[] Undated =
        [typeof(CaseBecameOverdue), typeof(Relief.Api.Audit.Disclosures.PersonalDataDisclosed)];

    [Fact]
    public void Every_declared_fact_reads_a_member_its_event_stores_under_the_name_the_sql_reads()
    {
        // Reading the facts probes every event type; a fact that reads anything but one of its own
        // stored members (or names a household or a township by another member) throws, by its name.
        Assert.Equal("householdId", EventFacts.HouseholdId);
        Assert.Equal("township", EventFacts.Township);
        Assert.True(EventFacts.BusinessDates.Count >= 45, $"found only {EventFacts.BusinessDates.Count} dated events");
        Assert.All(EventFacts.BusinessDates, date =>
        {
            var member = date.EventType.GetProperties().SingleOrDefault(p => EventFacts.JsonName(p) == date.Member);
            Assert.True(member is not null, $"{date.EventType.Name} has no stored member {date.Member}");
        });
    }

    [Fact]
    public void Every_event_with_a_date_of_its_own_declares_its_business_date()
    {
        static bool Dated(PropertyInfo p) =>
            (p.PropertyType == typeof(DateOnly) && (p.Name.EndsWith("On", StringComparison.Ordinal) || p.Name is "Since" or "From"))
            || (p.PropertyType == typeof(DateTimeOffset) && p.Name.EndsWith("At", StringComparison.Ordinal));

        var forgotten = EventCatalogue.Types
            .Concat(EventCatalogue.Unpublished.Where(t => !t.Name.StartsWith("Webhook", StringComparison.Ordinal)))
            .Except(Undated)
            .Where(t => t.GetProperties().Any(Dated) && !typeof(IHasBusinessDate).IsAssignableFrom(t))
            .Select(t => t.Name)
            .ToList();
        Assert.Empty(forgotten);
    }

    [Fact]
    public async Task The_business_date_the_audit_reads_in_sql_is_the_one_each_stored_event_declares()
    {
        // Events of many kinds: a household with a neighbour's agreement and a caregiver family, a
        // centre with a resident and a trial stay, a policy case, a training class, an inspection, an
        // evaluation, a funding rule.
        var (household, _, _) = await Api.CaredForHousehold();
        var centre = await Api.CentreWithBeds(10);
        await Api.Admitted(centre, await Api.EligiblePerson(sequence: 1));
        await Api.OnTrial(centre, await Api.EligiblePerson(sequence: 2));
        await Api.FamilyWithLoanUnderVerification();
        var trainingClass = await Api.ScheduledClass();
        await Api.Enrolled(trainingClass, await Api.FamilyHead());
        await Api.RecordedInspection();
        await Api.Evaluated(household);
        await Api.AdoptedFundingRule();

        await using var session = Store.QuerySession();
        var events = await session.Events.QueryAllRawEvents().ToListAsync();
        await using var dataSource = NpgsqlDataSource.Create(AppFixture.ConnectionString);
        await using var command = dataSource.CreateCommand(
            $"select e.seq_id, {EventSql.BusinessDate}, e.type, e.data::text from {Relief.Api.Audit.StoredEvents.Table} e");
        var stored = new Dictionary<long, (DateOnly Sql, DateOnly Api)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var recordedAt = events.Single(e => e.Sequence == reader.GetInt64(0)).Timestamp;
                stored[reader.GetInt64(0)] = (reader.GetFieldValue<DateOnly>(1),
                    BusinessDateReader.Of(reader.GetString(2), reader.GetString(3), recordedAt));
            }
        }

        var dated = events.Where(e => e.Data is IHasBusinessDate).ToList();
        Assert.True(dated.Select(e => e.EventType).Distinct().Count() >= 12,
            $"only {dated.Select(e => e.EventType).Distinct().Count()} kinds of dated events were recorded");
        Assert.All(events, e =>
        {
            var declared = e.Data is IHasBusinessDate { BusinessDate: var day } ? day : ChinaTime.Today(e.Timestamp);
            Assert.True(declared == stored[e.Sequence].Sql, $"{e.EventTypeName}: SQL {stored[e.Sequence].Sql}, declared {declared}");
            Assert.True(declared == stored[e.Sequence].Api, $"{e.EventTypeName}: API {stored[e.Sequence].Api}, declared {declared}");
        });
    }
}
