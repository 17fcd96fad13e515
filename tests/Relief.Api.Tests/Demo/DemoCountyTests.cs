using System.Globalization;
using System.Text.Json;
using JasperFx.Events.Daemon;
using Marten;
using Relief.Api.Demo;
using Relief.Api.Tests.Support;
using F = Relief.Api.Demo.DemoFigures;

namespace Relief.Api.Tests.Demo;

/// <summary>
/// The demo county, built through the API from April to October 2020, against the seed article's
/// figures (../shared/domain.md): the best acceptance test of the weekly dispatch report.
/// </summary>
public sealed class DemoCountyTests(AppFixture fixture) : ApiTest(fixture)
{
    private async Task<JsonElement> DemoReport()
    {
        Fixture.ClockAt(new DateTimeOffset(2020, 4, 1, 0, 0, 0, TimeSpan.Zero));
        var demo = new DemoCounty(Host.Server.CreateClient(), now => Clock.SetUtcNow(now));
        await demo.BuildAsync(CancellationToken.None);
        return await Api.WeeklyDispatch("latest");
    }

    [Fact]
    public async Task The_latest_report_of_the_demo_county_reproduces_every_figure_of_the_seed_article_and_a_rebuild_changes_none()
    {
        var report = await DemoReport();
        var live = await EveryWeek();

        Assert.Equal(F.LastWeek.ToString(), report.GetProperty("week").GetString());
        Assert.Equal(F.Households, report.County("households").Value);
        Assert.Equal(F.Households, report.County("householdsCovered").Value);
        Assert.Equal(0, report.Listed("householdsWithoutAgreement"));
        Assert.Equal(F.CareCentres, report.County("careCentres").Value);
        Assert.Equal(F.CentreResidents, report.County("centreResidents").Value);
        Assert.Equal(F.CaregiverFamilies, report.County("caregiverFamilies").Value);
        Assert.Equal(F.CaregiverFamilyPeople, report.County("caregiverFamilyPeople").Value);
        Assert.Equal(F.CaregiverFamilies, report.County("familyDoctorFamilies").Value);
        Assert.Equal(F.CaregiverFamilyPeople, report.County("familyDoctorPeople").Value);
        Assert.Equal(F.LoanIntents, report.County("loanIntents").Value);
        Assert.Equal(F.LoansIneligible, report.County("loansIneligible").Value);
        Assert.Equal(F.LoansUnderVerification, report.County("loansVerifying").Value);
        Assert.Equal(F.LoansGranted, report.County("loansGranted").Value);
        Assert.Equal(F.TrainingClasses, report.County("trainingClasses").Value);
        Assert.Equal(F.PeopleTrained, report.County("peopleTrained").Value);
        Assert.Equal(F.JobPlacements, report.County("jobPlacements").Value);
        Assert.Equal(F.ExemplaryDeedMeetings, report.County("exemplaryDeedMeetings").Value);
        // 一户一策: every household has a plan in force, visited, followed up in October, none overdue.
        Assert.Equal(F.CarePlans, report.County("carePlansActive").Value);
        Assert.Equal(0, report.County("householdsWithoutCarePlan").Value);
        Assert.Equal(0, report.County("carePlansOverdue").Value);
        Assert.Equal(F.Households, report.County("outreachVisits").Value);
        Assert.Equal(F.Households, report.County("followUpVisits").Value);
        Assert.Equal(0, report.County("followUpVisitsDue").Value);
        // Due for review at the week's end: the plans whose review window (30 days before its date) has opened, as the plans say.
        var weekEnd = DateOnly.Parse(report.GetProperty("to").GetString()!, CultureInfo.InvariantCulture);
        var reviewDates = new List<DateOnly>();
        string? cursor = null;
        do
        {
            var page = await Api.Send(HttpMethod.Get, "/api/care-plans?limit=200" + (cursor is null ? "" : $"&cursor={cursor}"), null);
            reviewDates.AddRange(page.GetProperty("items").EnumerateArray().Select(p => DateOnly.Parse(p.GetProperty("nextReviewOn").GetString()!, CultureInfo.InvariantCulture)));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        Assert.Equal(F.CarePlans, reviewDates.Count);
        var due = reviewDates.Count(on => on.AddDays(-30) <= weekEnd && weekEnd <= on);
        Assert.True(due > 0);
        Assert.Equal(due, report.County("carePlansDueForReview").Value);

        // The new figures (issue 18): every family surveyed, needs unmet, the two rounds, the happiness surveys, the third
        // quarter's evaluations missing (the grace ran out on 2020-10-31) for the households not evaluated.
        Assert.Equal(F.VerificationRoundsOpen, report.County("verificationRoundsOpen").Value);
        Assert.Equal(F.VerificationRoundsClosed, report.County("verificationRoundsClosed").Value);
        Assert.Equal(F.HappinessSurveyedHouseholds, report.County("happinessHouseholds").Value);
        Assert.InRange(report.County("happinessIndex").Value, 1, 100);
        Assert.True(report.County("needsUnmet").Value > F.LoanIntents - F.LoansGranted, "the loans not granted and the medical aid no case follows");
        Assert.Equal(0, report.County("evaluationsDue").Value);
        Assert.True(report.County("evaluationsMissing").Value > 0);

        // The townships add up to the county, figure by figure (the happiness index is a mean, not a count).
        foreach (var metric in Relief.Api.Dispatch.Engine.DispatchMetrics.All.Where(m => m is not ("trainingClasses" or "happinessIndex")))
        {
            var townships = report.GetProperty("townships").EnumerateArray().Sum(t => t.GetProperty(metric).GetProperty("value").GetInt32());
            Assert.True(report.County(metric).Value == townships, $"{metric}: county {report.County(metric).Value}, townships {townships}");
        }

        // The weeks from April to October show the county growing, week on week.
        Assert.Equal(30, live.Count);
        Assert.True(live.Count(w => JsonDocument.Parse(w.Report).RootElement.County("households").Change > 0) >= 20);
        // Each week's lists hold as many lines as the week counts.
        Assert.All(live, w => Assert.Equal(JsonDocument.Parse(w.Report).RootElement.Listed("overdueCases") +
                                           JsonDocument.Parse(w.Report).RootElement.Listed("householdsWithoutAgreement"), w.Lines.Count));

        // `projections rebuild`: every read model from zero; the weekly reports come out the same.
        var daemon = await Store.BuildProjectionDaemonAsync();
        await daemon.RebuildProjectionAsync("WeeklyDispatch", CancellationToken.None);
        Assert.Equal(live, await EveryWeek());

        // Last (a full read records a disclosure, which moves the audit anchor the reports show): the seed's two exemplars, each honoured at an exemplary-deed meeting for the care their family gives.
        foreach (var (kind, head, mode) in new[] { ("FilialPiety", "王成林", "KinshipCare"), ("GoodNeighbour", "王秋平", "NeighbourCare") })
        {
            var honour = Assert.Single((await Api.Send(HttpMethod.Get, $"/api/honours?kind={kind}", null)).GetProperty("items").EnumerateArray());
            Assert.Equal(JsonValueKind.String, honour.GetProperty("meetingId").ValueKind);
            var family = await Api.Send(HttpMethod.Get, $"/api/caregiver-families/{honour.GetProperty("caregiverFamilyId").GetGuid()}", null);
            Assert.Equal(head, family.GetProperty("headName").GetString());
            Assert.All(family.GetProperty("members").EnumerateArray(), m => Assert.StartsWith("王", m.GetProperty("name").GetString()));
            Assert.Equal(mode, Assert.Single(family.GetProperty("agreements").EnumerateArray()).GetProperty("mode").GetString());
        }
    }

    /// <summary>Every week's report and the lines of its lists, as the API answers them.</summary>
    private async Task<List<WeekRead>> EveryWeek()
    {
        await Api.ProjectionsCaughtUp();
        var reports = new List<WeekRead>();
        for (var week = Relief.Core.Calendar.IsoWeek.Of(F.FirstDay); week <= F.LastWeek; week = week.Next())
        {
            var report = await Api.Send(HttpMethod.Get, $"/api/reports/weekly-dispatch/{week}", null, Keys.Reports);
            var lines = (await Api.WeeklyDispatchList(report, "overdueCases", limit: 7))
                .Concat(await Api.WeeklyDispatchList(report, "householdsWithoutAgreement", limit: 7))
                .Select(l => l.GetRawText()).ToList();
            reports.Add(new WeekRead(report.GetRawText(), lines));
        }

        return reports;
    }

    private sealed record WeekRead(string Report, List<string> Lines)
    {
        public bool Equals(WeekRead? other) => other is not null && Report == other.Report && Lines.SequenceEqual(other.Lines);
        public override int GetHashCode() => Report.GetHashCode();
    }
}

/// <summary>When `dotnet run -- demo` refuses to run.</summary>
public sealed class DemoCommandTests
{
    private static Microsoft.Extensions.Hosting.Internal.HostingEnvironment In(string name) => new() { EnvironmentName = name };

    [Fact]
    public void The_demo_runs_in_Development_on_an_empty_database_only()
    {
        Assert.Null(DemoCommand.Refusal(In("Development"), databaseHoldsEvents: false));
        Assert.Contains("--reset", DemoCommand.Refusal(In("Development"), databaseHoldsEvents: true));
        Assert.Contains("Development only", DemoCommand.Refusal(In("Production"), databaseHoldsEvents: false));
        Assert.Contains("Development only", DemoCommand.Refusal(In("Staging"), databaseHoldsEvents: true));
    }
}
