using System.Reflection;
using System.Reflection.Emit;
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
            Department.PovertyAlleviationOffice, Relief.Core.Protection.ProtectedValue.LegacyPlaintext("test"));
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
    public void The_data_source_keeps_postgresqls_plans_and_a_small_pool_unless_the_connection_string_says_otherwise()
    {
        var tuned = new NpgsqlConnectionStringBuilder(ReliefStore.Tuned("Host=127.0.0.1;Database=relief"));
        var told = new NpgsqlConnectionStringBuilder(ReliefStore.Tuned(
            "Host=127.0.0.1;Database=relief;No Reset On Close=false;Max Auto Prepare=0;Maximum Pool Size=100"));
        var toldBySynonym = new NpgsqlConnectionStringBuilder(ReliefStore.Tuned("Host=127.0.0.1;Database=relief;MaxPoolSize=8"));

        Assert.True(tuned.NoResetOnClose);
        Assert.Equal(64, tuned.MaxAutoPrepare);
        Assert.Equal(32, tuned.MaxPoolSize);
        Assert.False(told.NoResetOnClose);
        Assert.Equal(0, told.MaxAutoPrepare);
        Assert.Equal(100, told.MaxPoolSize);
        Assert.Equal(8, toldBySynonym.MaxPoolSize);
    }

    /// <summary>
    /// <c>Infrastructure/</c> is the pipeline every module runs in and knows none of them: what a module
    /// needs from it, it declares (a stream route, a snapshot backfill), never the other way round. Every
    /// type the infrastructure names, in a signature, an attribute or its code, is outside the modules.
    /// </summary>
    [Fact]
    public void Infrastructure_references_no_module()
    {
        var infrastructure = typeof(Program).Assembly.GetTypes()
            .Where(t => t.Namespace is { } ns && (ns == InfrastructureNamespace || ns.StartsWith(InfrastructureNamespace + ".", StringComparison.Ordinal)))
            .ToList();

        Assert.True(infrastructure.Count >= 50, $"found only {infrastructure.Count} infrastructure types");
        var references = infrastructure
            .SelectMany(t => TypesNamedBy(t).Where(InModule).Select(m => $"{t.FullName} -> {m.FullName}"))
            .Distinct()
            .ToList();
        Assert.True(references.Count == 0, "Infrastructure references modules:\n" + string.Join("\n", references));
    }

    private const string InfrastructureNamespace = "Relief.Api.Infrastructure";

    /// <summary>A type of a module: in <c>Relief.Api.X</c> where X is not Infrastructure (Program is the composition root).</summary>
    private static bool InModule(Type type) =>
        type.Namespace is { } ns && ns.StartsWith("Relief.Api.", StringComparison.Ordinal)
        && ns != InfrastructureNamespace && !ns.StartsWith(InfrastructureNamespace + ".", StringComparison.Ordinal);

    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;

    /// <summary>Every type <paramref name="type"/> names: base and interfaces, members' signatures, attributes, and the operands of its IL.</summary>
    private static IEnumerable<Type> TypesNamedBy(Type type)
    {
        var named = new List<Type>();
        named.AddRange(type.GetCustomAttributesData().Select(a => a.AttributeType));
        if (type.BaseType is { } baseType) named.Add(baseType);
        named.AddRange(type.GetInterfaces());
        named.AddRange(type.GetFields(Declared).Select(f => f.FieldType));
        named.AddRange(type.GetProperties(Declared).Select(p => p.PropertyType));
        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (method is MethodInfo info) named.Add(info.ReturnType);
            named.AddRange(method.GetParameters().Select(p => p.ParameterType));
            named.AddRange(method.GetCustomAttributesData().Select(a => a.AttributeType));
            if (method.GetMethodBody() is { } body)
            {
                named.AddRange(body.LocalVariables.Select(l => l.LocalType));
                named.AddRange(OperandTypes(method, body.GetILAsByteArray() ?? []));
            }
        }

        return named.SelectMany(Expand);
    }

    /// <summary>A type with its element and generic arguments (<c>List&lt;Household&gt;</c> names Household).</summary>
    private static IEnumerable<Type> Expand(Type type)
    {
        yield return type;
        if (type.HasElementType && type.GetElementType() is { } element)
            foreach (var t in Expand(element)) yield return t;
        if (type.IsGenericType && !type.IsGenericTypeDefinition)
            foreach (var t in type.GetGenericArguments().SelectMany(Expand)) yield return t;
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>The types, methods and fields the IL of <paramref name="method"/> uses, as the types they belong to.</summary>
    private static IEnumerable<Type> OperandTypes(MethodBase method, byte[] il)
    {
        var module = method.Module;
        var typeArguments = method.DeclaringType?.IsGenericType == true ? method.DeclaringType.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var i = 0; i < il.Length;)
        {
            var code = il[i] == 0xFE ? OpCodesByValue[(short)(0xFE00 | il[i + 1])] : OpCodesByValue[il[i]];
            i += code.Size;
            switch (code.OperandType)
            {
                case OperandType.InlineType or OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok:
                    var member = module.ResolveMember(BitConverter.ToInt32(il, i), typeArguments, methodArguments);
                    switch (member)
                    {
                        case Type t: yield return t; break;
                        case FieldInfo f: yield return f.DeclaringType!; yield return f.FieldType; break;
                        case MethodBase m:
                            if (m.DeclaringType is { } declaring) yield return declaring;
                            if (m is MethodInfo mi) { yield return mi.ReturnType; foreach (var a in mi.IsGenericMethod ? mi.GetGenericArguments() : []) yield return a; }
                            foreach (var p in m.GetParameters()) yield return p.ParameterType;
                            break;
                    }

                    i += 4;
                    break;
                case OperandType.InlineSwitch:
                    i += 4 + 4 * BitConverter.ToInt32(il, i);
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    i += 8;
                    break;
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    i += 1;
                    break;
                case OperandType.InlineVar:
                    i += 2;
                    break;
                default:
                    i += 4;
                    break;
            }
        }
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
