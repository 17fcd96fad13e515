using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Marten.Events.Archiving;
using Relief.Api.Dispatch.Engine;
using Relief.Api.Dispatch.Report;
using Relief.Api.Tests.Support;

namespace Relief.Api.Tests.Dispatch;

/// <summary>
/// The report's lists: counted in the report, read a page at a time from its links; and the same
/// documents whichever way the projection's events are cut into pages.
/// </summary>
public sealed class WeeklyDispatchListTests(AppFixture fixture) : ApiTest(fixture)
{

    [Fact]
    public async Task A_list_is_read_page_by_page_in_the_reports_order_and_a_township_key_reads_its_own_township()
    {
        // Five households without an agreement: three in Mucheng, two in Sanyang, over two days.
        var first = await Api.RegisteredHousehold(Requests.Household("sanyang"));
        var second = await Api.RegisteredHousehold(Requests.Household("mucheng"));
        Clock.Advance(TimeSpan.FromDays(1));
        var third = await Api.RegisteredHousehold(Requests.Household("mucheng"));
        var fourth = await Api.RegisteredHousehold(Requests.Household("sanyang"));
        var fifth = await Api.RegisteredHousehold(Requests.Household("mucheng"));

        var report = await Api.WeeklyDispatch("2020-W40");
        var township = await Api.WeeklyDispatch("2020-W40", Keys.Mucheng);
        var lines = await Api.WeeklyDispatchList(report, "householdsWithoutAgreement", limit: 2);
        var firstPage = await Api.Send(HttpMethod.Get, "/api/reports/weekly-dispatch/2020-W40/households-without-agreement?limit=2", null, Keys.Reports);
        var muchengLines = await Api.WeeklyDispatchList(township, "householdsWithoutAgreement", Keys.Mucheng, limit: 2);
        var sanyang = await Api.Send(HttpMethod.Get, "/api/reports/weekly-dispatch/2020-W40/households-without-agreement?township=sanyang",
            null, Keys.Reports);

        Assert.Equal(5, report.Listed("householdsWithoutAgreement"));
        Assert.Equal(0, report.Listed("overdueCases"));
        Assert.Equal(5, report.County("households").Value);
        // Longest without an agreement first, then by township (then by household): the same order however it is paged.
        var sameDayMucheng = new[] { third, fifth }.OrderBy(id => id.ToString(), StringComparer.Ordinal);
        Assert.Equal([second, first, .. sameDayMucheng, fourth], lines.Select(l => l.GetProperty("householdId").GetGuid()));
        Assert.Equal(["2020-10-01", "2020-10-01", "2020-10-02", "2020-10-02", "2020-10-02"], lines.Select(l => l.GetProperty("since").GetString()));
        Assert.Equal(["mucheng", "sanyang", "mucheng", "mucheng", "sanyang"], lines.Select(l => l.GetProperty("township").GetString()));
        Assert.Equal(2, firstPage.GetProperty("items").GetArrayLength());
        Assert.NotNull(firstPage.GetProperty("nextCursor").GetString());
        // A township key: its own township's count and lines.
        Assert.Equal(3, township.Listed("householdsWithoutAgreement"));
        Assert.Equal(3, muchengLines.Count);
        Assert.All(muchengLines, l => Assert.Equal("mucheng", l.GetProperty("township").GetString()));
        Assert.Equal([first, fourth], sanyang.GetProperty("items").EnumerateArray().Select(l => l.GetProperty("householdId").GetGuid()));
        Assert.True(sanyang.GetProperty("nextCursor").ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task A_list_page_refuses_a_bad_cursor_a_bad_limit_another_township_and_a_week_not_written()
    {
        await Api.RegisteredHousehold(Requests.Household("mucheng"));
        await Api.ProjectionsCaughtUp();
        const string list = "/api/reports/weekly-dispatch/2020-W40/households-without-agreement";

        var cursor = await Send(HttpMethod.Get, $"{list}?cursor=not-a-cursor", key: Keys.Reports);
        var limit = await Send(HttpMethod.Get, $"{list}?limit=0", key: Keys.Reports);
        var week = await Send(HttpMethod.Get, "/api/reports/weekly-dispatch/2020-W99/overdue-cases", key: Keys.Reports);
        var otherTownship = await Send(HttpMethod.Get, $"{list}?township=sanyang", key: Keys.Mucheng);
        var notWritten = await Send(HttpMethod.Get, "/api/reports/weekly-dispatch/2021-W10/overdue-cases", key: Keys.Reports);
        var noScope = await Send(HttpMethod.Get, list, key: null, headers: new Dictionary<string, string>
        {
            ["Authorization"] = $"Bearer {Tokens.Issue("someone", "CivilAffairs", "care:write")}",
        });

        Assert.Equal(HttpStatusCode.BadRequest, cursor.StatusCode);
        Assert.True((await Json(cursor)).GetProperty("errors").TryGetProperty("cursor", out _));
        Assert.Equal(HttpStatusCode.BadRequest, limit.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, week.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherTownship.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notWritten.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, noScope.StatusCode);
    }

    /// <summary>
    /// The daemon hands the projection its events a page at a time. Whatever the cut — one event a page
    /// (each household's registration, agreement, end, renaming and closure in different pages), or a
    /// few, or all at once — the week documents and the lists come out the same as the daemon's.
    /// </summary>
    [Fact]
    public async Task Counting_the_events_in_pages_of_any_size_writes_the_same_weeks_and_lists_as_the_daemon()
    {
        var (ended, agreement) = await Api.HouseholdWithNeighbourAgreement("mucheng");
        await Api.Send(HttpMethod.Post, $"/api/care-agreements/{agreement}/end",
            new JsonObject { ["version"] = 1, ["endedOn"] = "2020-10-01", ["reason"] = "托养人外出务工" });
        var renamed = await Api.RegisteredHousehold(Requests.Household("sanyang"));
        await Api.FamilyWithLoanUnderVerification("sanyang");
        Clock.Advance(TimeSpan.FromDays(10));
        var version = (await Api.Household(renamed)).GetProperty("version").GetInt32();
        await Api.Send(HttpMethod.Put, $"/api/households/{renamed}", new JsonObject
        {
            ["version"] = version, ["village"] = "西关村", ["headName"] = "李四", ["address"] = "西关村二组 3 号", ["povertyCause"] = "Disability",
        });
        Clock.Advance(TimeSpan.FromDays(14));
        version = (await Api.Household(ended)).GetProperty("version").GetInt32();
        await Api.Send(HttpMethod.Post, $"/api/households/{ended}/closure",
            new JsonObject { ["version"] = version, ["reason"] = "Deceased", ["closedOn"] = Clock.GetUtcNow().AddDays(-3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) });
        await Api.HouseholdWithNeighbourAgreement("sanyang");
        await Api.ProjectionsCaughtUp();

        await using var session = Store.QuerySession();
        var events = await session.Events.QueryAllRawEvents().Where(e => e.MaybeArchived()).OrderBy(e => e.Sequence).ToListAsync();
        var horizon = (await session.LoadAsync<DispatchHorizon>(DispatchHorizon.TheId))!;
        var weeks = new List<WeeklyDispatch>();
        for (var w = Relief.Core.Calendar.IsoWeek.Parse(horizon.FirstWeek!); w <= Relief.Core.Calendar.IsoWeek.Parse(horizon.LastWeek!); w = w.Next())
            weeks.Add((await session.LoadAsync<WeeklyDispatch>(w.ToString()))!);
        var daemon = new List<string>();
        var listed = new List<DispatchItem>();
        foreach (var week in weeks)
        {
            daemon.Add(Canonical(Counted(week)));
            foreach (var list in Enum.GetValues<DispatchList>())
            {
                var items = await DispatchListQuery.ReadAsync(session, week, list, null, null, null, CancellationToken.None);
                listed.AddRange(items);
                daemon.Add(Canonical(items));
            }
        }

        // The scenario spans weeks and left something on each list: the overdue case, the household
        // whose agreement ended (until its closure), the renamed household under its new name.
        Assert.True(weeks.Count >= 4);
        Assert.Contains(listed, i => i.List == DispatchList.OverdueCase);
        Assert.Contains(listed, i => i.SubjectId == ended && i.Until is not null);
        // The stored items name no one; the name is resolved when the list is read.
        Assert.DoesNotContain(listed, i => i.Label.Contains("李四") || i.Label.Contains("张三"));
        var vault = Host.Services.GetRequiredService<Relief.Api.Infrastructure.PersonalData.PersonalDataKeyRings>().Shared;
        var resolved = await DispatchLabels.ResolveAsync(listed, revealNames: true, session, vault, CancellationToken.None);
        Assert.Contains(resolved, i => i.SubjectId == renamed && i.Label == "西关村 · 李四");
        Assert.DoesNotContain(resolved, i => i.SubjectId == renamed && i.Label.Contains("张三"));
        // A reader without pii:read sees the name masked by the one rule, as on the meeting's pages.
        var masked = await DispatchLabels.ResolveAsync(listed, revealNames: false, session, vault, CancellationToken.None);
        Assert.Contains(masked, i => i.SubjectId == renamed && i.Label == "西关村 · 李*");

        foreach (var pageSize in new[] { 1, 2, 3, 5, events.Count })
        {
            var memory = new MemoryDispatchStore(session);
            foreach (var page in events.Chunk(pageSize)) await WeeklyDispatchProjection.CountAsync(memory, page, Relief.Api.Supervision.EvaluationSchedule.Default, CancellationToken.None);
            var counted = new List<string>();
            foreach (var week in weeks)
            {
                var doc = memory.Week(week.Id);
                Assert.NotNull(doc);
                counted.Add(Canonical(Counted(doc!)));
                foreach (var list in Enum.GetValues<DispatchList>()) counted.Add(Canonical(memory.Listed(doc, list)));
            }

            var differ = daemon.Zip(counted).FirstOrDefault(p => p.First != p.Second);
            Assert.True(daemon.SequenceEqual(counted), $"pages of {pageSize}: daemon {differ.First} / counted {differ.Second}");
        }
    }

    /// <summary>
    /// A week's figures without the zeros: a figure that was never counted and one counted back to 0
    /// read the same (0, no change); which of the two a week stores depends on how its events were paged.
    /// </summary>
    private static object Counted(WeeklyDispatch week)
    {
        static Dictionary<string, Figure> NonZero(Dictionary<string, Figure> figures) =>
            figures.Where(f => f.Value.Value != 0 || f.Value.Change != 0).ToDictionary();
        return new
        {
            week.Id, week.From, week.To, week.LastSequence,
            County = NonZero(week.County),
            Townships = week.Townships.ToDictionary(t => t.Key, t => NonZero(t.Value)).Where(t => t.Value.Count > 0).ToDictionary(),
        };
    }
}
