using System.Reflection;
using Npgsql;
using Relief.Api.Audit.Corrections;
using Relief.Api.Infrastructure.Persistence;
using Relief.Api.Infrastructure.Security;

namespace Relief.Api.Tests.Infrastructure;

/// <summary>Rules of the code that hold for every module, checked over all of them at once.</summary>
public sealed class ConventionTests
{
    /// <summary>
    /// A view's <c>version</c> is what a client sends back with its next write. A view that ignores
    /// <see cref="EntryVoided"/> keeps the version from before a correction, and the next write is a
    /// 409 (CorrectionTests and CareCentreWriteModelTests show it for two views; this holds every one to it).
    /// </summary>
    [Fact]
    public void Every_view_that_shows_its_streams_version_follows_a_correction()
    {
        var views = typeof(Program).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && ProjectedView(t) is { } view && view.GetProperty("Version")?.PropertyType == typeof(int))
            .ToList();

        Assert.True(views.Count >= 9, $"found only {views.Count} versioned views");
        Assert.All(views, projection => Assert.Contains(projection.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance),
            m => m.Name == "Apply" && m.GetParameters().FirstOrDefault()?.ParameterType is { } first
                 && (first == typeof(EntryVoided) || first == typeof(JasperFx.Events.IEvent<EntryVoided>))));
    }

    /// <summary>
    /// <see cref="EntryVoided"/> lands on streams of every kind. A view or write model that applies it
    /// must not be made by it, or a void on another kind of stream leaves an empty one behind (an
    /// empty household in the list; an empty centre whose empty name then refused every later void:
    /// CorrectionTests). Each declares <c>Create(EntryVoided)</c> answering null.
    /// </summary>
    [Fact]
    public void Everything_that_applies_a_correction_is_never_made_by_one()
    {
        var voided = new EntryVoided(Guid.NewGuid(), 1, "HouseholdRegistered", "test", Department.PovertyAlleviationOffice, new DateOnly(2020, 10, 1));
        var appliers = typeof(Program).Assembly.GetTypes()
            .Where(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Any(m => m.Name == "Apply" && m.GetParameters().FirstOrDefault()?.ParameterType == typeof(EntryVoided)))
            .ToList();

        Assert.True(appliers.Count >= 11, $"found only {appliers.Count} views and write models that apply a correction");
        Assert.All(appliers, type =>
        {
            var create = type.GetMethod("Create", BindingFlags.Public | BindingFlags.Static, [typeof(EntryVoided)]);
            Assert.True(create is not null, $"{type.Name} applies EntryVoided but declares no Create(EntryVoided)");
            Assert.Null(create.Invoke(null, [voided]));
        });
    }

    /// <summary>
    /// An exception to the eligibility chain lands on streams of three kinds (a case, a class, a
    /// placement), as a correction lands on every kind: a view that applies it must not be made by it,
    /// or an exception on a class's stream would leave an empty policy case behind.
    /// </summary>
    [Fact]
    public void Everything_that_applies_an_eligibility_exception_is_never_made_by_one()
    {
        var granted = new Relief.Api.ExtendedPolicies.EligibilityExceptionGranted(Guid.NewGuid(),
            Relief.Api.ExtendedPolicies.EligibilitySubject.Enrolment, Guid.NewGuid(), "mucheng", new DateOnly(2020, 10, 1),
            Department.PovertyAlleviationOffice, "test");
        var appliers = typeof(Program).Assembly.GetTypes()
            .Where(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Any(m => m.Name == "Apply" && m.GetParameters().FirstOrDefault()?.ParameterType is { } first
                          && (first == granted.GetType() || first == typeof(JasperFx.Events.IEvent<>).MakeGenericType(granted.GetType()))))
            .ToList();

        Assert.True(appliers.Count >= 3, $"found only {appliers.Count} views that apply an eligibility exception");
        Assert.All(appliers, type =>
        {
            var create = type.GetMethod("Create", BindingFlags.Public | BindingFlags.Static, [granted.GetType()]);
            Assert.True(create is not null, $"{type.Name} applies EligibilityExceptionGranted but declares no Create(EligibilityExceptionGranted)");
            Assert.Null(create.Invoke(null, [granted]));
        });
    }

    [Fact]
    public void The_data_source_keeps_postgresqls_plans_unless_the_connection_string_says_otherwise()
    {
        var tuned = new NpgsqlConnectionStringBuilder(ReliefStore.Tuned("Host=127.0.0.1;Database=relief"));
        var told = new NpgsqlConnectionStringBuilder(ReliefStore.Tuned("Host=127.0.0.1;Database=relief;No Reset On Close=false;Max Auto Prepare=0"));

        Assert.True(tuned.NoResetOnClose);
        Assert.Equal(64, tuned.MaxAutoPrepare);
        Assert.False(told.NoResetOnClose);
        Assert.Equal(0, told.MaxAutoPrepare);
    }

    private static Type? ProjectedView(Type projection)
    {
        for (var t = projection.BaseType; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && t.Name.StartsWith("SingleStreamProjection", StringComparison.Ordinal)) return t.GetGenericArguments()[0];
        }

        return null;
    }
}
