using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Marten;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.DataProtection;
using Npgsql;
using Relief.Api.Audit.Chain;
using Relief.Api.CarePlans;
using Relief.Api.CarePlans.PlanDetails;
using Relief.Api.Dispatch.Engine;
using Relief.Api.Dispatch.Report;
using Relief.Api.ExtendedPolicies.Needs;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Security;
using Relief.Api.Infrastructure.Tenancy;
using Relief.Api.Meeting.Pages;
using Relief.Core.Calendar;
using M = Relief.Api.Dispatch.Engine.DispatchMetrics;

namespace Relief.Api.Meeting;

/// <summary>A week in the index: its days and the figures of the reader's scope.</summary>
public sealed record WeekLine(string Week, DateOnly From, DateOnly To, IReadOnlyDictionary<string, FigureValue> Figures);

/// <summary>A row of a list page: its key (a data attribute) and its cells, as text.</summary>
public sealed record ListRow(string Key, IReadOnlyList<string> Cells);

/// <summary>
/// The meeting's pages under <c>/meeting</c>: the login, the index of weeks, the county page of a week
/// (<see cref="DispatchPageView"/>), a page per township, the lists behind the figures, and a week's
/// read-only links. Every page is one self-contained HTML document rendered on the server (no script),
/// printable on A4, under a policy that lets it load its own style sheet and post its forms to Relief,
/// nothing else. Every form carries an anti-forgery token, checked before anything happens.
/// </summary>
public static class MeetingPages
{
    public const string ReaderScheme = "MeetingReader";
    public const string ReaderPolicy = "meeting:reader";
    public const string SessionPolicy = "meeting:session";
    public const string FormCookie = "relief-meeting-form";
    public const string FormTokenField = "__csrf";

    /// <summary>The index's headline figures.</summary>
    public static readonly IReadOnlyList<string> Headline =
        [M.Households, M.HouseholdsCovered, M.HouseholdsWithoutCarePlan, M.PolicyCasesOverdue, M.NeedsUnmet, M.HappinessIndex];

    /// <summary>The trend charts of a township's page.</summary>
    public static readonly IReadOnlyList<string> TownshipTrends =
        [M.Households, M.HouseholdsCovered, M.CaregiverFamilies, M.CarePlansActive, M.HouseholdsWithoutCarePlan, M.PolicyCasesOverdue,
            M.NeedsUnmet, M.HappinessIndex];

    /// <summary>The pages' one style sheet: the printable report's, the frame's, and the print rules for A4.</summary>
    public static readonly string Style = DispatchPage.Style + """
        nav#meeting-nav { display: flex; flex-wrap: wrap; gap: 16px; align-items: center; border-bottom: 1px solid #ccc; padding-bottom: 6px; margin-bottom: 12px; font-size: 13px; }
        nav#meeting-nav form { display: inline; margin: 0; }
        a { color: #1f5fa8; } button, input, select { font: inherit; padding: 2px 8px; }
        form.login { max-width: 360px; } form.login label { display: block; margin: 12px 0 4px; } form.login input[type=password] { width: 100%; }
        .error { color: #b0413e; font-weight: bold; }
        table.list { width: 100%; }
        @media print { .screen-only, nav, form { display: none !important; } a { color: inherit; text-decoration: none; }
          table.list { break-inside: auto; } table.list tr { break-inside: avoid; } thead { display: table-header-group; } }

        """;

    /// <summary>Written into each page (a saved copy keeps it): its own style sheet by hash, forms to Relief only.</summary>
    public static readonly string PagePolicy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)))}'; base-uri 'none'; form-action 'self'";

    /// <summary>The answer's header: the page's policy, and no frame may hold it.</summary>
    public static readonly string ContentSecurityPolicy = $"{PagePolicy}; frame-ancestors 'none'";

    public static WebApplication MapMeeting(this WebApplication app)
    {
        var pages = app.MapGroup(MeetingRoutes.Root).ExcludeFromDescription();
        pages.MapGet("/login", LoginPage).AllowAnonymous();
        pages.MapPost("/login", Login).AllowAnonymous().WithMetadata(BrowserForm.Metadata);
        pages.MapPost("/logout", Logout).RequireAuthorization(SessionPolicy).WithMetadata(BrowserForm.Metadata);
        pages.MapGet("", Index).RequireAuthorization(SessionPolicy);
        pages.MapGet("/latest", Latest).RequireAuthorization(SessionPolicy);
        pages.MapGet("/{week}", County).RequireAuthorization(ReaderPolicy);
        pages.MapGet("/{week}/townships/{township}", Township).RequireAuthorization(ReaderPolicy);
        pages.MapGet("/{week}/lists/{list}", List).RequireAuthorization(ReaderPolicy);
        pages.MapGet("/{week}/links", Links).RequireAuthorization(SessionPolicy);
        pages.MapPost("/{week}/links", IssueLink).RequireAuthorization(SessionPolicy).WithMetadata(BrowserForm.Metadata);
        pages.MapPost("/{week}/links/{id}/revoke", RevokeLink).RequireAuthorization(SessionPolicy).WithMetadata(BrowserForm.Metadata);
        return app;
    }

    // ---- Login and logout ----

    private static async Task<IResult> LoginPage(HttpContext context, string? returnUrl)
    {
        if ((await context.AuthenticateAsync(MeetingSessions.Scheme)).Succeeded) return Results.Redirect(SafeReturn(returnUrl, context));
        return await Page<LoginView>(context, StatusCodes.Status200OK, FrameOf(context, null, forms: true), new()
        {
            [nameof(LoginView.ReturnUrl)] = SafeReturn(returnUrl, context),
        });
    }

    /// <summary>
    /// The form's token first (400 without a valid one: nothing else is read), then the key: unknown, 401;
    /// unable to read the report, 403; both answer the login page again, and set no session.
    /// </summary>
    private static async Task<IResult> Login(HttpContext context, IAntiforgery antiforgery, ApiKeyRegistry keys, Counties counties, TimeProvider clock)
    {
        if (await FormRefusal(context, antiforgery) is { } refused) return refused;
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var text = ReportText.Of(form["lang"]);
        var returnUrl = SafeReturn(form["returnUrl"], context);
        var presented = form["key"].ToString();
        var key = presented.Length is > 0 and <= 256 ? keys.Find(presented) : null;
        var frame = FrameOf(context, null, forms: true) with { Text = text };
        if (key is null)
        {
            return await Page<LoginView>(context, StatusCodes.Status401Unauthorized, frame, new()
            {
                [nameof(LoginView.ReturnUrl)] = returnUrl,
                [nameof(LoginView.Error)] = text.Say("密钥无效。", "The key is not valid."),
            });
        }

        if (!MeetingSessions.MayReadReport(key))
        {
            return await Page<LoginView>(context, StatusCodes.Status403Forbidden, frame, new()
            {
                [nameof(LoginView.ReturnUrl)] = returnUrl,
                [nameof(LoginView.Error)] = text.Say("此密钥无权查看周工作调度。", "This key may not read the weekly dispatch report."),
            });
        }

        await context.SignInAsync(MeetingSessions.Scheme, MeetingSessions.PrincipalOf(key, clock.GetUtcNow(), Guid.CreateVersion7(), counties),
            new AuthenticationProperties { IsPersistent = false, AllowRefresh = true });
        return SeeOther(returnUrl);
    }

    /// <summary>Ends the session: recorded in the county (no copy of the cookie opens anything after), and the cookie deleted.</summary>
    private static async Task<IResult> Logout(HttpContext context, IAntiforgery antiforgery, IDocumentSession session, MeetingOptions options,
        TimeProvider clock)
    {
        if (await FormRefusal(context, antiforgery) is { } refused) return refused;
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var now = clock.GetUtcNow();
        if (Guid.TryParse(context.User.FindFirst(MeetingSessions.SessionClaim)?.Value, out var id))
        {
            session.Store(new MeetingSessionEnded { Id = id, Subject = Caller.From(context).Subject, EndedAt = now });
            var forgotten = now - options.AbsoluteTimeout;
            session.DeleteWhere<MeetingSessionEnded>(e => e.EndedAt < forgotten);
            await session.SaveChangesAsync(context.RequestAborted);
        }

        await context.SignOutAsync(MeetingSessions.Scheme);
        return SeeOther($"{MeetingRoutes.Login}?lang={ReportText.Of(form["lang"]).Code}");
    }

    /// <summary>Where a login goes next: a meeting page of this site only, else the index (in the page's language).</summary>
    private static string SafeReturn(string? returnUrl, HttpContext context)
    {
        if (returnUrl is { Length: > 0 and <= 2048 } url && url.StartsWith(MeetingRoutes.Root, StringComparison.Ordinal)
            && !url.StartsWith(MeetingRoutes.Login, StringComparison.Ordinal)
            && !url.Contains('\\', StringComparison.Ordinal) && !url.Any(char.IsControl)
            && Uri.IsWellFormedUriString(url, UriKind.Relative))
            return url;
        return $"{MeetingRoutes.Root}?lang={ReportText.Of(context.Request.Query["lang"]).Code}";
    }

    // ---- The index ----

    private static async Task<IResult> Index(HttpContext context, IQuerySession session, TownshipDirectory townships, TimeProvider clock,
        CancellationToken token)
    {
        var (viewer, frame, refused) = await ReaderAsync(context, session, forms: true, token);
        if (refused is not null) return refused;
        var today = ChinaTime.Today(clock.GetUtcNow());
        var docs = await session.Query<WeeklyDispatch>().Where(x => x.From <= today).OrderByDescending(x => x.From).Take(53).ToListAsync(token);
        var bound = viewer!.Caller.Township;
        var weeks = docs.Select(doc =>
        {
            var report = WeeklyDispatchReport.Of(doc, townships, bound);
            return new WeekLine(doc.Id, doc.From, doc.To, bound is null ? report.County : FiguresOf(report.Townships.Single()));
        }).ToList();
        return await Page<IndexView>(context, StatusCodes.Status200OK, frame!, new()
        {
            [nameof(IndexView.Weeks)] = weeks,
            [nameof(IndexView.Township)] = bound,
            [nameof(IndexView.Scope)] = bound is null ? null : townships.NameOf(bound),
        });
    }

    private static async Task<IResult> Latest(HttpContext context, IQuerySession session, TimeProvider clock, CancellationToken token)
    {
        var (_, frame, refused) = await ReaderAsync(context, session, forms: true, token);
        if (refused is not null) return refused;
        var doc = await GetLatestWeeklyDispatchEndpoint.LoadAsync(session, clock.GetUtcNow(), token);
        return doc is null
            ? await Refusal(context, frame!, StatusCodes.Status404NotFound, frame!.Text.Say("尚无报告。", "No report yet."))
            : Results.Redirect(frame!.Href(MeetingRoutes.Week(doc.Id)));
    }

    // ---- The county page ----

    private static async Task<IResult> County(HttpContext context, string week, IQuerySession session, TownshipDirectory townships,
        OwnershipTable ownership, PersonalDataVault vault, NpgsqlDataSource dataSource, TimeProvider clock, CancellationToken token)
    {
        var (viewer, frame, refused) = await ReaderAsync(context, session, forms: null, token);
        if (refused is not null) return refused;
        var (doc, missing) = await WeekAsync(context, frame!, week, session, token);
        if (missing is not null) return missing;
        // A township-bound reader sees its own township only: its page.
        if (viewer!.Caller.Township is { } bound) return Results.Redirect(frame!.Href(MeetingRoutes.Township(doc!.Id, bound)));

        var report = WeeklyDispatchReport.Of(doc!, townships, null) with
        {
            AuditAnchor = await AuditAnchors.ForDate(dataSource, DateOnly.MaxValue, token),
        };
        var trend = (await TrendAsync(session, doc!, token)).Select(w => WeeklyDispatchReport.Of(w, townships, null)).ToList();
        var overdue = (await ItemsAsync(session, vault, viewer, doc!, DispatchList.OverdueCase, null, token))
            .Select(i => WeeklyDispatchReport.OverdueLine(i, doc!.To, ownership)).ToList();
        var uncovered = (await ItemsAsync(session, vault, viewer, doc!, DispatchList.HouseholdWithoutAgreement, null, token))
            .Select(WeeklyDispatchReport.UncoveredLine).ToList();
        var html = await DispatchPage.RenderAsync(report, trend, overdue, uncovered, townships,
            await CareModes.AtAsync(session, doc!.To, null, token), frame!.Text, frame with { Week = doc.Id }, MeetingLists.CountsOf(doc, null));
        return Html(context, StatusCodes.Status200OK, html);
    }

    // ---- A township's page ----

    private static async Task<IResult> Township(HttpContext context, string week, string township, IQuerySession session,
        TownshipDirectory townships, TimeProvider clock, CancellationToken token)
    {
        var (viewer, frame, refused) = await ReaderAsync(context, session, forms: null, token);
        if (refused is not null) return refused;
        var (doc, missing) = await WeekAsync(context, frame!, week, session, token);
        if (missing is not null) return missing;
        if (await TownshipAsync(context, frame!, viewer!, township, townships) is { } notHers) return notHers;
        var code = townships.Find(township)!.Code;

        var report = WeeklyDispatchReport.Of(doc!, townships, code);
        var trend = (await TrendAsync(session, doc!, token)).Select(w => WeeklyDispatchReport.Of(w, townships, code))
            .Select(r => r with { County = FiguresOf(r.Townships.Single()) }).ToList();
        return await Page<TownshipView>(context, StatusCodes.Status200OK, frame! with { Week = doc!.Id }, new()
        {
            [nameof(TownshipView.Report)] = report,
            [nameof(TownshipView.Township)] = code,
            [nameof(TownshipView.Name)] = townships.NameOf(code),
            [nameof(TownshipView.Figures)] = FiguresOf(report.Townships.Single()),
            [nameof(TownshipView.Trend)] = trend,
            [nameof(TownshipView.CareModes)] = await CareModes.AtAsync(session, doc.To, code, token),
            [nameof(TownshipView.ListCounts)] = MeetingLists.CountsOf(doc, code),
        });
    }

    // ---- The lists ----

    private static async Task<IResult> List(HttpContext context, string week, string list, string? township, IQuerySession session,
        TownshipDirectory townships, OwnershipTable ownership, PersonalDataVault vault, TimeProvider clock, CancellationToken token)
    {
        var (viewer, frame, refused) = await ReaderAsync(context, session, forms: null, token);
        if (refused is not null) return refused;
        var (doc, missing) = await WeekAsync(context, frame!, week, session, token);
        if (missing is not null) return missing;
        var text = frame!.Text;
        if (MeetingLists.Find(list) is not { } shown)
            return await Refusal(context, frame, StatusCodes.Status404NotFound, text.Say("没有这个名单。", "There is no such list."));
        if (township is not null && await TownshipAsync(context, frame, viewer!, township, townships) is { } notHers) return notHers;
        var code = viewer!.Caller.Township ?? townships.Find(township)?.Code;

        var (headers, rows) = shown.Slug switch
        {
            "overdue-cases" => await OverdueRowsAsync(session, vault, viewer, doc!, code, text, townships, ownership, token),
            "households-without-agreement" => await UncoveredRowsAsync(session, vault, viewer, doc!, code, text, townships, token),
            "households-without-plan" => await WithoutPlanRowsAsync(session, vault, viewer, code, text, townships, token),
            _ => await UnmetNeedRowsAsync(session, vault, viewer, code, text, townships, ownership, clock.GetUtcNow(), token),
        };
        return await Page<ListView>(context, StatusCodes.Status200OK, frame with { Week = doc!.Id }, new()
        {
            [nameof(ListView.List)] = shown,
            [nameof(ListView.Week)] = doc.Id,
            [nameof(ListView.WeekEnd)] = doc.To,
            [nameof(ListView.Today)] = ChinaTime.Today(clock.GetUtcNow()),
            [nameof(ListView.WeekCount)] = MeetingLists.CountsOf(doc, code)[shown.Slug],
            [nameof(ListView.Township)] = code,
            [nameof(ListView.Scope)] = code is null ? text.Say("全县", "County") : townships.NameOf(code),
            [nameof(ListView.Headers)] = headers,
            [nameof(ListView.Rows)] = rows,
        });
    }

    private static async Task<(IReadOnlyList<string>, IReadOnlyList<ListRow>)> OverdueRowsAsync(IQuerySession session, PersonalDataVault vault,
        MeetingViewer viewer, WeeklyDispatch doc, string? code, ReportText text, TownshipDirectory townships, OwnershipTable ownership,
        CancellationToken token)
    {
        var lines = (await ItemsAsync(session, vault, viewer, doc, DispatchList.OverdueCase, code, token))
            .Select(i => WeeklyDispatchReport.OverdueLine(i, doc.To, ownership));
        return ([text.Say("政策", "Policy"), text.Say("环节", "Stage"), text.Say("乡镇", "Township"), text.Say("对象", "Subject"),
                text.Say("期限", "Due"), text.Say("逾期天数", "Days overdue"), text.Say("责任部门", "Owners")],
            lines.Select(l => new ListRow(l.CaseId.ToString(), [text.Policy(l.Policy), text.Stage(l.Stage), townships.NameOf(l.Township), l.Subject,
                text.Date(l.DueOn), ReportText.Number(l.DaysOverdue), string.Join("、", l.Owners.Select(text.DepartmentName))])).ToList());
    }

    private static async Task<(IReadOnlyList<string>, IReadOnlyList<ListRow>)> UncoveredRowsAsync(IQuerySession session, PersonalDataVault vault,
        MeetingViewer viewer, WeeklyDispatch doc, string? code, ReportText text, TownshipDirectory townships, CancellationToken token)
    {
        var lines = (await ItemsAsync(session, vault, viewer, doc, DispatchList.HouseholdWithoutAgreement, code, token))
            .Select(WeeklyDispatchReport.UncoveredLine);
        return ([text.Say("乡镇", "Township"), text.Say("户", "Household"), text.Say("自", "Since")],
            lines.Select(l => new ListRow(l.HouseholdId.ToString(), [townships.NameOf(l.Township), l.Subject, text.Date(l.Since)])).ToList());
    }

    /// <summary>The open households without a plan in force now (none, or a draft): as <c>/api/care-plans/households-without</c> lists them.</summary>
    private static async Task<(IReadOnlyList<string>, IReadOnlyList<ListRow>)> WithoutPlanRowsAsync(IQuerySession session, PersonalDataVault vault,
        MeetingViewer viewer, string? code, ReportText text, TownshipDirectory townships, CancellationToken token)
    {
        var plans = (await CarePlanLists.PlansAsync(code, session, token)).ToDictionary(p => p.HouseholdId);
        var households = (await CarePlanLists.OpenHouseholdsAsync(code, session, token))
            .Where(h => plans.GetValueOrDefault(h.Id) is not { ActivatedOn: not null })
            .OrderBy(h => h.Township, StringComparer.Ordinal).ThenBy(h => h.Village, StringComparer.Ordinal).ThenBy(h => h.Id).ToList();
        var keys = await vault.Keys(session, households.Select(h => h.HeadName), token);
        return ([text.Say("乡镇", "Township"), text.Say("村", "Village"), text.Say("户主", "Head"), text.Say("一户一策", "Care plan")],
            households.Select(h => new ListRow(h.Id.ToString(), [townships.NameOf(h.Township), h.Village,
                viewer.Name(keys.Show(SealedFields.HeadName, h.HeadName)),
                plans.GetValueOrDefault(h.Id) is { Status: PlanStatus.Draft } ? text.Say("草稿", "draft") : text.Say("无", "none")])).ToList());
    }

    /// <summary>The needs of the latest surveys not met now: as <c>/api/needs/unmet</c> lists them.</summary>
    private static async Task<(IReadOnlyList<string>, IReadOnlyList<ListRow>)> UnmetNeedRowsAsync(IQuerySession session, PersonalDataVault vault,
        MeetingViewer viewer, string? code, ReportText text, TownshipDirectory townships, OwnershipTable ownership, DateTimeOffset now,
        CancellationToken token)
    {
        var (families, measures) = await NeedMeasures.LoadAsync(session, code, null, token);
        var unmet = UnmetNeeds.Of(families, measures, ownership, code, null, null, now);
        var byId = families.ToDictionary(f => f.Id);
        var keys = await vault.Keys(session, families.Select(f => f.HeadName), token);
        string Family(Guid id) => byId.GetValueOrDefault(id) is { } f
            ? $"{f.Village} · {viewer.Name(keys.Show(SealedFields.HeadName, f.HeadName))}"
            : id.ToString();
        return ([text.Say("乡镇", "Township"), text.Say("托养人家庭", "Caregiver family"), text.Say("政策", "Policy"), text.Say("状态", "State"),
                text.Say("排查日期", "Surveyed"), text.Say("责任部门", "Owners")],
            unmet.Items.Select(n => new ListRow($"{n.FamilyId}:{n.Policy}", [townships.NameOf(n.Township), Family(n.FamilyId),
                text.Policy(n.Policy.ToString()), text.Need(n.Status), text.Date(n.SurveyedOn),
                string.Join("、", n.Owners.Select(text.DepartmentName))])).ToList());
    }

    // ---- Links ----

    private static async Task<IResult> Links(HttpContext context, string week, IQuerySession session, TownshipDirectory townships,
        MeetingOptions options, TimeProvider clock, CancellationToken token)
    {
        var (viewer, frame, refused) = await LinkIssuerAsync(context, session, token);
        if (refused is not null) return refused;
        var (doc, missing) = await WeekAsync(context, frame!, week, session, token);
        if (missing is not null) return missing;
        return await LinksPage(context, frame! with { Week = doc!.Id }, viewer!, doc.Id, session, townships, options, clock, null, token);
    }

    /// <summary>
    /// Issues a link to one week's pages, for the county or a township (a township-bound issuer: its own), for
    /// 1 hour up to <see cref="MeetingOptions.MaxLinkLifetime"/>; records it (to list and revoke it) and shows it once.
    /// </summary>
    private static async Task<IResult> IssueLink(HttpContext context, string week, IDocumentSession session, TownshipDirectory townships,
        MeetingOptions options, IDataProtectionProvider protection, TimeProvider clock, CancellationToken token)
    {
        if (await FormRefusal(context, antiforgery: context.RequestServices.GetRequiredService<IAntiforgery>()) is { } bad) return bad;
        var (viewer, frame, refused) = await LinkIssuerAsync(context, session, token);
        if (refused is not null) return refused;
        var (doc, missing) = await WeekAsync(context, frame!, week, session, token);
        if (missing is not null) return missing;
        var form = await context.Request.ReadFormAsync(token);
        frame = frame! with { Text = ReportText.Of(form["lang"]), Week = doc!.Id };
        var text = frame.Text;

        var maxHours = (int)options.MaxLinkLifetime.TotalHours;
        var hoursText = form["hours"].ToString();
        var hours = hoursText.Length == 0 ? (int)options.DefaultLinkLifetime.TotalHours
            : int.TryParse(hoursText, NumberStyles.None, CultureInfo.InvariantCulture, out var h) ? h : -1;
        if (hours < 1 || hours > maxHours)
            return await Refusal(context, frame, StatusCodes.Status400BadRequest, text.Say($"有效小时数应为 1 至 {maxHours}。", $"The hours must be 1 to {maxHours}."));
        var asked = form["township"].ToString();
        var township = asked.Length == 0 ? null : townships.Find(asked)?.Code;
        if (asked.Length > 0 && township is null)
            return await Refusal(context, frame, StatusCodes.Status400BadRequest, text.Say("没有这个乡镇。", "There is no such township."));
        if (township is not null && !viewer!.MayRead(township))
            return await Refusal(context, frame, StatusCodes.Status403Forbidden, text.Say("只能为本乡镇发链接。", "You may issue links for your own township only."));
        township ??= viewer!.Caller.Township;

        var now = clock.GetUtcNow();
        var link = new MeetingLink
        {
            Id = Guid.CreateVersion7(), Week = doc.Id, Township = township, IssuedBy = viewer!.Caller.Subject, IssuedAt = now,
            ExpiresAt = now.AddHours(hours),
        };
        session.Store(link);
        await session.SaveChangesAsync(token);
        var grant = new MeetingLinkGrant(link.Id, link.Week, township, CountyOf.Caller(context).Code, MeetingLinks.WeekPagesScope, link.ExpiresAt);
        var path = township is null ? MeetingRoutes.Week(doc.Id) : MeetingRoutes.Township(doc.Id, township);
        var origin = options.PublicOrigin?.TrimEnd('/') ?? $"{context.Request.Scheme}://{context.Request.Host}";
        var url = $"{origin}{path}?lang={text.Code}&{MeetingLinks.Parameter}={Uri.EscapeDataString(MeetingLinks.Protect(protection, grant))}";
        return await LinksPage(context, frame, viewer, doc.Id, session, townships, options, clock, url, token);
    }

    /// <summary>Revokes a link of the week (one the issuer may see): it opens nothing from then on.</summary>
    private static async Task<IResult> RevokeLink(HttpContext context, string week, string id, IDocumentSession session, TimeProvider clock,
        CancellationToken token)
    {
        if (await FormRefusal(context, context.RequestServices.GetRequiredService<IAntiforgery>()) is { } bad) return bad;
        var (viewer, frame, refused) = await LinkIssuerAsync(context, session, token);
        if (refused is not null) return refused;
        var form = await context.Request.ReadFormAsync(token);
        frame = frame! with { Text = ReportText.Of(form["lang"]) };
        var link = Guid.TryParse(id, out var linkId) ? await session.LoadAsync<MeetingLink>(linkId, token) : null;
        if (link is null || link.Week != week || (viewer!.Caller.Township is { } bound && link.Township != bound))
            return await Refusal(context, frame, StatusCodes.Status404NotFound, frame.Text.Say("没有这个链接。", "There is no such link."));
        if (link.RevokedAt is null)
        {
            link.RevokedAt = clock.GetUtcNow();
            link.RevokedBy = viewer.Caller.Subject;
            session.Store(link);
            await session.SaveChangesAsync(token);
        }

        return SeeOther($"{MeetingRoutes.Links(week)}?lang={frame.Text.Code}");
    }

    private static async Task<IResult> LinksPage(HttpContext context, MeetingFrame frame, MeetingViewer viewer, string week, IQuerySession session,
        TownshipDirectory townships, MeetingOptions options, TimeProvider clock, string? issued, CancellationToken token)
    {
        var bound = viewer.Caller.Township;
        var links = await session.Query<MeetingLink>().Where(l => l.Week == week && (bound == null || l.Township == bound))
            .OrderByDescending(l => l.IssuedAt).ToListAsync(token);
        return await Page<LinksView>(context, issued is null ? StatusCodes.Status200OK : StatusCodes.Status201Created, frame, new()
        {
            [nameof(LinksView.Week)] = week,
            [nameof(LinksView.Links)] = links,
            [nameof(LinksView.Townships)] = townships,
            [nameof(LinksView.Now)] = clock.GetUtcNow(),
            [nameof(LinksView.DefaultHours)] = (int)options.DefaultLinkLifetime.TotalHours,
            [nameof(LinksView.MaxHours)] = (int)options.MaxLinkLifetime.TotalHours,
            [nameof(LinksView.Issued)] = issued,
        });
    }

    private static async Task<(MeetingViewer?, MeetingFrame?, IResult?)> LinkIssuerAsync(HttpContext context, IQuerySession session,
        CancellationToken token)
    {
        var (viewer, frame, refused) = await ReaderAsync(context, session, forms: true, token);
        if (refused is not null) return (null, null, refused);
        return viewer!.MayIssueLinks
            ? (viewer, frame, null)
            : (null, null, await Refusal(context, frame!, StatusCodes.Status403Forbidden,
                frame!.Text.Say($"发链接需要 {Scopes.ReportsRead} 权限。", $"Issuing links needs the scope {Scopes.ReportsRead}.")));
    }

    // ---- What every page shares ----

    /// <summary>
    /// The reader of a page and its frame, or the page that refuses it: a reader who may not read the
    /// report (403); a link revoked or unknown in its county (401). <paramref name="forms"/>: the page has
    /// forms (a session's pages: null means "when the reader is a session").
    /// </summary>
    private static async Task<(MeetingViewer?, MeetingFrame?, IResult?)> ReaderAsync(HttpContext context, IQuerySession session, bool? forms,
        CancellationToken token)
    {
        var viewer = MeetingViewer.From(context);
        var frame = FrameOf(context, viewer, forms ?? !viewer.IsLink);
        if (GetWeeklyDispatchEndpoint.Access(viewer.Caller) is not null)
            return (null, null, await Refusal(context, frame, StatusCodes.Status403Forbidden,
                frame.Text.Say("无权查看周工作调度。", "You may not read the weekly dispatch report.")));
        if (await viewer.RevocationAsync(session, token) is not null)
            return (null, null, await Refusal(context, frame with { Viewer = null }, StatusCodes.Status401Unauthorized,
                frame.Text.Say("此链接已撤销或已失效。", "This link was revoked or is no longer valid.")));
        return (viewer, frame, null);
    }

    private static async Task<(WeeklyDispatch?, IResult?)> WeekAsync(HttpContext context, MeetingFrame frame, string week, IQuerySession session,
        CancellationToken token)
    {
        if (!IsoWeek.TryParse(week, out var isoWeek))
            return (null, await Refusal(context, frame, StatusCodes.Status400BadRequest,
                frame.Text.Say("周的写法如 2020-W40。", "A week is written as 2020-W40.")));
        var doc = await session.LoadAsync<WeeklyDispatch>(isoWeek.ToString(), token);
        return doc is null
            ? (null, await Refusal(context, frame, StatusCodes.Status404NotFound,
                frame.Text.Say($"{frame.Text.Week(isoWeek.ToString())}尚无报告。", $"No report for {frame.Text.Week(isoWeek.ToString())} yet.")))
            : (doc, null);
    }

    /// <summary>A township the reader may open, or the page that refuses it: unknown, 404; another's, 403.</summary>
    private static async Task<IResult?> TownshipAsync(HttpContext context, MeetingFrame frame, MeetingViewer viewer, string township,
        TownshipDirectory townships)
    {
        if (townships.Find(township) is not { } found)
            return await Refusal(context, frame, StatusCodes.Status404NotFound, frame.Text.Say("没有这个乡镇。", "There is no such township."));
        return viewer.MayRead(found.Code)
            ? null
            : await Refusal(context, frame, StatusCodes.Status403Forbidden,
                frame.Text.Say($"只能查看{townships.NameOf(viewer.Caller.Township!)}。", $"You may read {townships.NameOf(viewer.Caller.Township!)} only."));
    }

    /// <summary>A list's items at the week's end, names shown as the reader may see them.</summary>
    private static async Task<IReadOnlyList<DispatchItem>> ItemsAsync(IQuerySession session, PersonalDataVault vault, MeetingViewer viewer,
        WeeklyDispatch doc, DispatchList list, string? township, CancellationToken token) =>
        await DispatchLabels.ResolveAsync(await DispatchListQuery.ReadAsync(session, doc, list, township, null, null, token), viewer.SeesNames,
            session, vault, token);

    private static async Task<IReadOnlyList<WeeklyDispatch>> TrendAsync(IQuerySession session, WeeklyDispatch doc, CancellationToken token)
    {
        var earliest = doc.From.AddDays(-7 * (DispatchPage.TrendWeeks - 1));
        return await session.Query<WeeklyDispatch>().Where(x => x.From >= earliest && x.From <= doc.From).OrderBy(x => x.From).ToListAsync(token);
    }

    private static Dictionary<string, FigureValue> FiguresOf(TownshipFigures township) =>
        M.All.ToDictionary(m => m, m => township[m]);

    private static MeetingFrame FrameOf(HttpContext context, MeetingViewer? viewer, bool forms) =>
        new(ReportText.Of(context.Request.Query[ReportText.Parameter]), viewer,
            forms ? context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context).RequestToken : null,
            context.Request.Path, context.Request.QueryString.Value);

    /// <summary>400 without a valid anti-forgery token (the form's and its cookie's): before anything is read or done.</summary>
    private static async Task<IResult?> FormRefusal(HttpContext context, IAntiforgery antiforgery)
    {
        try
        {
            await antiforgery.ValidateRequestAsync(context);
            return null;
        }
        catch (AntiforgeryValidationException)
        {
            var frame = new MeetingFrame(ReportText.Of(context.Request.Query[ReportText.Parameter]), null, null, MeetingRoutes.Login);
            return await Refusal(context, frame, StatusCodes.Status400BadRequest,
                frame.Text.Say("表单已失效，请返回重新提交。", "The form has expired or did not come from this site: go back and send it again."));
        }
    }

    private static Task<IResult> Refusal(HttpContext context, MeetingFrame frame, int status, string message) =>
        Page<RefusalView>(context, status, frame, new()
        {
            [nameof(RefusalView.Status)] = status,
            [nameof(RefusalView.Message)] = message,
        });

    /// <summary>A refusal written by an authentication handler (a link that opens nothing), outside any endpoint.</summary>
    public static async Task WriteRefusal(HttpContext context, int status, string message)
    {
        var frame = new MeetingFrame(ReportText.Of(context.Request.Query[ReportText.Parameter]), null, null, context.Request.Path);
        var html = await DispatchPage.RenderAsync<RefusalView>(new Dictionary<string, object?>
        {
            [nameof(RefusalView.Frame)] = frame,
            [nameof(RefusalView.Status)] = status,
            [nameof(RefusalView.Message)] = message,
        });
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        await context.Response.WriteAsync(html, context.RequestAborted);
    }

    private static async Task<IResult> Page<TComponent>(HttpContext context, int status, MeetingFrame frame, Dictionary<string, object?> parameters)
        where TComponent : IComponent
    {
        parameters["Frame"] = frame;
        return Html(context, status, await DispatchPage.RenderAsync<TComponent>(parameters));
    }

    private static IResult Html(HttpContext context, int status, string html)
    {
        context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    /// <summary>After a form: 303, so that the browser reads the next page with GET.</summary>
    private static SeeOtherResult SeeOther(string location) => new(location);

    private sealed class SeeOtherResult(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}
