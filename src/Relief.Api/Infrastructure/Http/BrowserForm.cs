namespace Relief.Api.Infrastructure.Http;

/// <summary>
/// Marks an endpoint that takes an HTML form (a browser page's login, logout or button), not JSON: its
/// body is held to the same size limit, and must be <c>application/x-www-form-urlencoded</c>
/// (<see cref="RequestGuardMiddleware"/>). Such an endpoint checks its own anti-forgery token.
/// </summary>
public sealed class BrowserForm
{
    public const string MediaType = "application/x-www-form-urlencoded";

    public static readonly BrowserForm Metadata = new();

    private BrowserForm()
    {
    }

    public static bool IsForm(string? contentType) =>
        !string.IsNullOrEmpty(contentType)
        && contentType.Split(';', 2)[0].Trim().Equals(MediaType, StringComparison.OrdinalIgnoreCase);
}
