using System.Reflection;
using JasperFx.Events;
using Relief.Api.Notifications;

namespace Relief.Api.Tests.Notifications;

/// <summary>No event a write model applies is forgotten by the webhook catalogue.</summary>
public sealed class EventCatalogueTests
{
    private static IEnumerable<Type> AppliedEvents() =>
        typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.Name is "Apply" or "Create" && m.GetParameters().Length >= 1)
            .Select(m => m.GetParameters()[0].ParameterType)
            .Select(p => p.IsGenericType && p.GetGenericTypeDefinition() == typeof(IEvent<>) ? p.GetGenericArguments()[0] : p)
            .Where(p => p.Namespace?.StartsWith("Relief.Api", StringComparison.Ordinal) == true)
            .Distinct();

    [Fact]
    public void Every_event_a_write_model_applies_is_published_or_deliberately_not()
    {
        var decided = EventCatalogue.Types.Concat(EventCatalogue.Unpublished).ToHashSet();

        var forgotten = AppliedEvents().Where(t => !decided.Contains(t)).Select(t => t.FullName).Order().ToList();

        Assert.Empty(forgotten);
        Assert.Contains(typeof(Relief.Api.Households.HouseholdRegistered), AppliedEvents());
    }
}
