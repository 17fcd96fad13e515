using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using JasperFx.Events;
using Relief.Api.Infrastructure.Json;
using Relief.Core.Calendar;
using Relief.Core.Events;

namespace Relief.Api.Audit.History;

/// <summary>The stored JSON member that carries an event type's business date, and whether it is an instant (its China date counts).</summary>
public sealed record BusinessDateMember(Type EventType, string StoredType, string Member, bool IsInstant);

/// <summary>
/// Where the facts every event declares (<see cref="Relief.Core.Events"/>: its household, its
/// township, its business date) sit in the JSON Marten stores, read from the event types themselves:
/// the audit's SQL is written from this, so a renamed member renames the SQL with it, and a fact
/// that does not read one of its event's own members fails here, by the event's name.
/// </summary>
public static class EventFacts
{
    private static readonly JsonNamingPolicy? Naming = StoredNaming();

    // Declared first: the properties below are computed from them, in this order.
    /// <summary>A probe: the member types a fact may read, and a distinct value of one of them for the i-th member.</summary>
    private sealed record Probe(Func<Type, bool> Fits, Func<Type, int, object> ValueOf, Func<object, object> AsFact);

    private static readonly Probe GuidProbe = new(t => t == typeof(Guid) || t == typeof(Guid?),
        (_, i) => new Guid(i + 1, 0, 0, new byte[8]), v => v);

    private static readonly Probe StringProbe = new(t => t == typeof(string), (_, i) => $"probe-{i}", v => v);

    private static readonly Probe DateProbe = new(t => t == typeof(DateOnly) || t == typeof(DateOnly?) || IsInstant(t),
        (t, i) => IsInstant(t) ? new DateTimeOffset(2101, 1, 1, 4, 0, 0, TimeSpan.Zero).AddDays(i) : new DateOnly(2001, 1, 1).AddDays(i),
        v => v is DateTimeOffset at ? ChinaTime.Today(at) : v);

    /// <summary>Every event type that declares one of the facts (the event records of this assembly).</summary>
    public static IReadOnlyList<Type> EventTypes { get; } = typeof(EventFacts).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && (typeof(IHouseholdEvent).IsAssignableFrom(t)
            || typeof(IHouseholdOrFamilyEvent).IsAssignableFrom(t) || typeof(ITownshipEvent).IsAssignableFrom(t)
            || typeof(IHasBusinessDate).IsAssignableFrom(t)))
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToList();

    /// <summary>The member every event about a household names it by (<c>householdId</c>).</summary>
    public static string HouseholdId { get; } = OneName("household",
        EventTypes.Where(t => typeof(IHouseholdEvent).IsAssignableFrom(t))
            .Select(t => MemberOf(t, e => ((IHouseholdEvent)e).HouseholdId, GuidProbe))
            .Concat(EventTypes.Where(t => typeof(IHouseholdOrFamilyEvent).IsAssignableFrom(t))
                .Select(t => MemberOf(t, e => ((IHouseholdOrFamilyEvent)e).HouseholdId, GuidProbe))));

    /// <summary>The member every event that says its township names it by (<c>township</c>).</summary>
    public static string Township { get; } = OneName("township",
        EventTypes.Where(t => typeof(ITownshipEvent).IsAssignableFrom(t))
            .Select(t => MemberOf(t, e => ((ITownshipEvent)e).Township, StringProbe)));

    /// <summary>The member of each dated event type that carries its business date, by the event's stored type name.</summary>
    public static IReadOnlyList<BusinessDateMember> BusinessDates { get; } = EventTypes
        .Where(t => typeof(IHasBusinessDate).IsAssignableFrom(t))
        .Select(t =>
        {
            var member = MemberOf(t, e => ((IHasBusinessDate)e).BusinessDate, DateProbe);
            return new BusinessDateMember(t, t.GetEventTypeName(), JsonName(member), IsInstant(member.PropertyType));
        })
        .ToList();

    private static readonly Dictionary<string, BusinessDateMember> ByStoredType =
        BusinessDates.ToDictionary(b => b.StoredType, StringComparer.Ordinal);

    /// <summary>The business date member of a stored event type (<c>mt_events.type</c>), or null when it has none.</summary>
    public static BusinessDateMember? BusinessDateOf(string storedType) => ByStoredType.GetValueOrDefault(storedType);

    /// <summary>The JSON name Marten stores a member under (Relief's one naming policy).</summary>
    public static string JsonName(PropertyInfo member) =>
        member.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? Naming?.ConvertName(member.Name) ?? member.Name;

    private static JsonNamingPolicy? StoredNaming()
    {
        var options = new JsonSerializerOptions();
        ReliefJson.Configure(options);
        return options.PropertyNamingPolicy;
    }

    private static string OneName(string fact, IEnumerable<PropertyInfo> members)
    {
        var names = members.Select(m => (Name: JsonName(m), Type: m.DeclaringType!.Name)).ToList();
        var distinct = names.Select(n => n.Name).Distinct(StringComparer.Ordinal).ToList();
        return distinct.Count == 1
            ? distinct[0]
            : throw new InvalidOperationException($"Every event names its {fact} by one member, which the audit's SQL reads; found " +
                string.Join(", ", names.Select(n => $"{n.Type}.{n.Name}")) + ".");
    }

    private static bool IsInstant(Type t) => t == typeof(DateTimeOffset) || t == typeof(DateTimeOffset?);

    /// <summary>
    /// Which of an event type's own members a fact reads: a blank event gets a different value in
    /// each member the fact could read, and the value the fact answers names the member.
    /// </summary>
    private static PropertyInfo MemberOf(Type type, Func<object, object?> fact, Probe probe)
    {
        var members = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && probe.Fits(p.PropertyType))
            .ToList();
        var blank = RuntimeHelpers.GetUninitializedObject(type);
        var given = members.Select((member, i) =>
        {
            var value = probe.ValueOf(member.PropertyType, i);
            member.SetValue(blank, value);
            return (Member: member, Fact: probe.AsFact(value));
        }).ToList();
        var answer = fact(blank);
        var read = given.Where(g => Equals(g.Fact, answer)).Select(g => g.Member).ToList();
        return read.Count == 1
            ? read[0]
            : throw new InvalidOperationException(
                $"{type.Name}: a declared event fact must read one of the event's own stored members, as it is; this one does not.");
    }
}
