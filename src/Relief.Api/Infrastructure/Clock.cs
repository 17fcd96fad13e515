using System.Reflection;
using System.Runtime.CompilerServices;
using JasperFx;
using JasperFx.CodeGeneration.Frames;
using JasperFx.CodeGeneration.Model;
using Wolverine.Http;
using Wolverine.Http.CodeGen;

namespace Relief.Api.Infrastructure;

/// <summary>
/// Fills every handler or endpoint parameter <c>DateTimeOffset now</c> from the registered
/// <see cref="TimeProvider"/>, so decisions stay pure and tests pin time with a fake clock.
/// Wolverine's own convention reads the static system clock instead.
/// </summary>
public sealed class ClockSource : IVariableSource
{
    public bool Matches(Type type) => type == typeof(DateTimeOffset);

    public Variable Create(Type type) => NewVariable();

    /// <summary>The current instant of the given clock.</summary>
    public static DateTimeOffset Now(TimeProvider clock) => clock.GetUtcNow();

    internal static Variable NewVariable() =>
        new MethodCall(typeof(ClockSource), nameof(Now)) { CommentText = "The current time, from TimeProvider" }
            .ReturnVariable!;
}

/// <summary>
/// The HTTP side of <see cref="ClockSource"/>: one reading of the clock per request, shared by
/// every <c>now</c> parameter of the endpoint's Load, Validate and handler methods.
/// </summary>
public sealed class ClockParameterStrategy : IParameterStrategy
{
    private readonly ConditionalWeakTable<HttpChain, Variable> _perChain = new();

    public bool TryMatch(HttpChain chain, IServiceContainer container, ParameterInfo parameter, out Variable? variable)
    {
        if (parameter.ParameterType == typeof(DateTimeOffset) && parameter.Name == "now")
        {
            variable = _perChain.GetValue(chain, _ => ClockSource.NewVariable());
            return true;
        }

        variable = null;
        return false;
    }
}
