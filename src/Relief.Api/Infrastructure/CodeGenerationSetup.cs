using JasperFx.CodeGeneration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Wolverine;

namespace Relief.Api.Infrastructure;

/// <summary>How Wolverine's handler and endpoint code is generated: at start-up, or at build time.</summary>
public static class CodeGenerationSetup
{
    /// <summary>
    /// <c>Relief:CodeGeneration</c> = <c>Static</c>: Wolverine loads the handler and endpoint code
    /// generated at build time (<c>codegen write</c> in ops/Dockerfile and eng/publish) and never
    /// compiles at run time. The build regenerates that code every time, so an endpoint added
    /// later cannot be missing from a release (static mode would answer it 404). Anything else
    /// (the default, and always in development and tests): generated at start-up.
    /// </summary>
    public static void ConfigureReliefCodeGeneration(this WolverineOptions opts, IConfiguration configuration)
    {
        // ASP.NET authentication and authorization handlers are named …Handler and have Handle
        // methods, so Wolverine's conventions took them for message handlers. Dynamic mode never
        // noticed (nothing sends them a message); codegen write generated, and failed on, them.
        opts.Discovery.CustomizeHandlerDiscovery(q =>
        {
            q.Excludes.Implements<IAuthenticationHandler>();
            q.Excludes.Implements<IAuthorizationHandler>();
            q.Excludes.Implements<IAuthorizationMiddlewareResultHandler>();
        });

        if (!IsStatic(configuration)) return;
        opts.CodeGeneration.TypeLoadMode = TypeLoadMode.Static;
    }

    public static bool IsStatic(IConfiguration configuration) =>
        string.Equals(configuration["Relief:CodeGeneration"], nameof(TypeLoadMode.Static), StringComparison.OrdinalIgnoreCase);
}
