using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;

namespace Relief.Api.Infrastructure.Tenancy;

/// <summary>
/// Marks a route that serves no county but the counties themselves (the county registry's admin
/// routes): the caller needs no county, and none is put on the request when it has none.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ProvinceWideAttribute : Attribute;

/// <summary>
/// Puts the caller's county on the request, from the caller's identity only: the <c>county</c> claim
/// of its API key or token. Never from a header, a route or a body. A credential without a county
/// belongs to the default county, except a token when Relief serves several counties (it must say
/// which), and a region's credential (<c>region</c> claim), which belongs to none and is 403 on every
/// route but the province-wide ones (its roll-ups). A county that is not served here is 403, before
/// anything is read or written; a write to a retired county is 409 <c>county-retired</c>. With the
/// registry, a credential bound to a township that is not one of its county's townships is 403.
/// </summary>
public sealed class CountyMiddleware(RequestDelegate next, Counties counties)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated == true)
        {
            var provinceWide = context.GetEndpoint()?.Metadata.GetMetadata<ProvinceWideAttribute>() is not null;
            // A region's credential belongs to no county: it reads its region's roll-ups and nothing of one county.
            var region = context.User.FindFirstValue(ReliefClaims.Region);
            if (region is not null && !provinceWide)
            {
                await ProblemDetailsSetup.WriteAsync(context, new ProblemDetails
                {
                    Type = ProblemTypes.Forbidden,
                    Title = "A region's credential reads no county's records.",
                    Detail = $"This credential reads the roll-ups of the region '{region}' (/api/region/…) only, never one county's records.",
                    Status = StatusCodes.Status403Forbidden,
                });
                return;
            }

            var county = region is null ? await CountyOfCaller(context.User, context.RequestAborted) : null;
            if (county is null && !provinceWide)
            {
                await ProblemDetailsSetup.WriteAsync(context, new ProblemDetails
                {
                    Type = ProblemTypes.Forbidden,
                    Title = "This credential's county is not served here.",
                    Detail = counties.IsMultiCounty
                        ? $"A credential names one of the counties served ({string.Join(", ", counties.All.Select(c => c.Code))}) in its '{ReliefClaims.County}' claim."
                        : $"This Relief serves county {counties.Default.Code} only.",
                    Status = StatusCodes.Status403Forbidden,
                });
                return;
            }

            // With the registry a county's townships are its own: a township credential must name one of them.
            if (county is not null && counties.IsRegistry && context.User.FindFirstValue(ReliefClaims.Township) is { } township
                && Credentials.RefusalIn(township, county.Townships) is { } refusal)
            {
                await ProblemDetailsSetup.WriteAsync(context, new ProblemDetails
                {
                    Type = ProblemTypes.Forbidden,
                    Title = "This credential's township is not one of its county's.",
                    Detail = $"{refusal} County {county.Code}'s townships: {string.Join(", ", county.Townships.All.Select(t => t.Code))}.",
                    Status = StatusCodes.Status403Forbidden,
                });
                return;
            }

            if (county is { Retired: true } && !provinceWide && !IsRead(context.Request.Method))
            {
                await ProblemDetailsSetup.WriteAsync(context, Problems.Conflict(ProblemTypes.CountyRetired,
                    "The county is retired.",
                    $"County {county.Code} was retired from the registry: its records are kept and can be read, and nothing more is written."));
                return;
            }

            if (county is not null) context.Features.Set(county);
        }

        await next(context);
    }

    private static bool IsRead(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    private async ValueTask<County?> CountyOfCaller(ClaimsPrincipal user, CancellationToken token)
    {
        var claimed = user.FindFirstValue(ReliefClaims.County);
        if (!string.IsNullOrEmpty(claimed)) return await counties.FindAsync(claimed, token);
        var isToken = user.FindFirstValue(ReliefClaims.Credential) != "api-key";
        return isToken && counties.IsMultiCounty ? null : counties.DefaultOrNone;
    }
}

/// <summary>The county of the request being served.</summary>
public static class CountyOf
{
    /// <summary>The caller's county (set by <see cref="CountyMiddleware"/> for every authenticated request).</summary>
    public static County Caller(HttpContext context) =>
        context.Features.Get<County>()
        ?? throw new InvalidOperationException("The request has no county: it is not authenticated, or CountyMiddleware is not in the pipeline.");

    /// <summary>The caller's county's data source: what every endpoint taking an <c>NpgsqlDataSource</c> gets.</summary>
    public static Npgsql.NpgsqlDataSource DataSource(HttpContext context) => Caller(context).DataSource;

    /// <summary>The caller's county's personal-data vault (its own key ring, else the shared one).</summary>
    public static PersonalData.PersonalDataVault Vault(HttpContext context) =>
        context.RequestServices.GetRequiredService<PersonalData.PersonalDataKeyRings>().For(context.Features.Get<County>()?.Code);

    /// <summary>
    /// The caller's county's townships: what every endpoint taking a <see cref="TownshipDirectory"/>
    /// gets; the configured ones on a route that serves no county.
    /// </summary>
    public static TownshipDirectory Townships(HttpContext context) =>
        context.Features.Get<County>()?.Townships ?? context.RequestServices.GetRequiredService<ConfiguredTownships>().Directory;
}
