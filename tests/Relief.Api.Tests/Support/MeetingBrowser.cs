using System.Net;
using System.Text.RegularExpressions;
using Alba;

namespace Relief.Api.Tests.Support;

/// <summary>
/// A browser as far as the meeting's pages care, over the test host: it keeps the cookies the pages set
/// (their attributes are checked by the tests, not here), sends them back, follows no redirect, and reads
/// a page's form token. It never sends an API key or any other header of its own.
/// </summary>
public sealed partial class MeetingBrowser(IAlbaHost host)
{
    public const string SessionCookie = "__Host-relief-meeting";

    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Cookies => _cookies;

    /// <summary>The raw <c>Set-Cookie</c> headers of the last answer.</summary>
    public IReadOnlyList<string> LastSetCookies { get; private set; } = [];

    public void Set(string name, string value) => _cookies[name] = value;

    public void Forget(string name) => _cookies.Remove(name);

    public Task<HttpResponseMessage> Get(string url) => Send(new HttpRequestMessage(HttpMethod.Get, url));

    public Task<HttpResponseMessage> Post(string url, IEnumerable<KeyValuePair<string, string>> form) =>
        Send(new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) });

    /// <summary>The form token a page gives (the value of its first <c>__csrf</c> field).</summary>
    public async Task<string> Token(string url)
    {
        var page = await (await Get(url)).Content.ReadAsStringAsync();
        return TokenOf(page);
    }

    public static string TokenOf(string page) =>
        FormToken().Match(page) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new InvalidOperationException("no form token on the page");

    /// <summary>Signs in through the login form with <paramref name="key"/>; answers the form's answer.</summary>
    public async Task<HttpResponseMessage> Login(string key, string? returnUrl = null)
    {
        var token = await Token("/meeting/login");
        return await Post("/meeting/login", [new("__csrf", token), new("key", key), new("returnUrl", returnUrl ?? ""), new("lang", "zh")]);
    }

    /// <summary>Signs in and checks it worked.</summary>
    public async Task<MeetingBrowser> SignedIn(string key)
    {
        var response = await Login(key);
        if (response.StatusCode != HttpStatusCode.SeeOther) throw new InvalidOperationException($"login answered {response.StatusCode}");
        return this;
    }

    private async Task<HttpResponseMessage> Send(HttpRequestMessage request)
    {
        using var client = host.Server.CreateClient();
        if (_cookies.Count > 0) request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
        var response = await client.SendAsync(request);
        LastSetCookies = response.Headers.TryGetValues("Set-Cookie", out var set) ? set.ToList() : [];
        foreach (var header in LastSetCookies)
        {
            var pair = header.Split(';', 2)[0];
            var name = pair[..pair.IndexOf('=', StringComparison.Ordinal)];
            var value = pair[(name.Length + 1)..];
            if (value.Length == 0 || header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase)) _cookies.Remove(name);
            else _cookies[name] = value;
        }

        return response;
    }

    [GeneratedRegex("name=\"__csrf\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();
}
