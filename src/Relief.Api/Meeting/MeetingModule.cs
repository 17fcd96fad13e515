using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;

namespace Relief.Api.Meeting;

/// <summary>
/// The weekly dispatch meeting in a browser (周工作调度): staff sessions, read-only links, and the
/// pages under <c>/meeting</c>. Its schemes are named by its own policies only: the API's default
/// scheme (an API key or a bearer token in a header) never reads the session cookie or a link.
/// </summary>
public static class MeetingModule
{
    public static IHostApplicationBuilder AddMeeting(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(MeetingOptions.Section).Get<MeetingOptions>() ?? new MeetingOptions();
        if (options.IdleTimeout <= TimeSpan.Zero || options.AbsoluteTimeout < options.IdleTimeout)
            throw new InvalidOperationException($"{MeetingOptions.Section}: IdleTimeout must be positive and AbsoluteTimeout at least as long.");
        if (options.DefaultLinkLifetime <= TimeSpan.Zero || options.MaxLinkLifetime < options.DefaultLinkLifetime)
            throw new InvalidOperationException($"{MeetingOptions.Section}: DefaultLinkLifetime must be positive and MaxLinkLifetime at least as long.");
        builder.Services.AddSingleton(options);

        // One key ring for the session cookies, the form tokens and the links; shared by every node when configured.
        var protection = builder.Services.AddDataProtection().SetApplicationName("relief");
        if (!string.IsNullOrWhiteSpace(options.KeyDirectory)) protection.PersistKeysToFileSystem(new DirectoryInfo(options.KeyDirectory));

        builder.Services.AddAuthentication()
            .AddCookie(MeetingSessions.Scheme, o => MeetingSessions.Configure(o, options))
            .AddScheme<AuthenticationSchemeOptions, MeetingLinkHandler>(MeetingLinks.Scheme, null)
            .AddPolicyScheme(MeetingPages.ReaderScheme, "A meeting session or a link", o => o.ForwardDefaultSelector = context =>
                context.Request.Query.ContainsKey(MeetingLinks.Parameter) ? MeetingLinks.Scheme : MeetingSessions.Scheme);
        builder.Services.AddAuthorization(o =>
        {
            o.AddPolicy(MeetingPages.ReaderPolicy, p => p.AddAuthenticationSchemes(MeetingPages.ReaderScheme).RequireAuthenticatedUser());
            o.AddPolicy(MeetingPages.SessionPolicy, p => p.AddAuthenticationSchemes(MeetingSessions.Scheme).RequireAuthenticatedUser());
        });
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = MeetingPages.FormCookie;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.Path = MeetingRoutes.Root;
            o.FormFieldName = MeetingPages.FormTokenField;
            o.HeaderName = null;
            o.SuppressXFrameOptionsHeader = true;
        });
        builder.Services.ConfigureMarten(opts =>
        {
            opts.Schema.For<MeetingLink>().Index(l => l.Week);
            opts.Schema.For<MeetingSessionEnded>();
        });
        return builder;
    }
}
