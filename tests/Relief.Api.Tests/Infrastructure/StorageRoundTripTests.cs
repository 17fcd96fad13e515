using Marten;

namespace Relief.Api.Tests.Infrastructure;

/// <summary>
/// Proves the pinned Npgsql with Marten 9.59 and Relief's JSON policy: every kind of value the
/// project stores comes back from PostgreSQL exactly as it went in.
/// </summary>
public sealed class StorageRoundTripTests(AppFixture fixture) : ApiTest(fixture)
{
    public sealed class Sample
    {
        public Guid Id { get; set; }
        public DateOnly BirthDate { get; set; }
        public DateTimeOffset RecordedAt { get; set; }
        public DateTime LocalTime { get; set; }
        public TimeSpan Term { get; set; }
        public decimal MonthlySubsidy { get; set; }
        public decimal? Shortfall { get; set; }
        public DisabilityType Disability { get; set; }
        public DependencyLevel? Dependency { get; set; }
        public string Text { get; set; } = "";
        public Dictionary<DisabilityType, decimal> Rates { get; set; } = [];
        public long Big { get; set; }
    }

    public sealed record SampleRecorded(Guid SampleId, DateOnly On, decimal Amount, PovertyCause Cause, string Note);

    [Fact]
    public async Task Dates_decimals_enums_and_Chinese_text_round_trip_through_documents_and_events()
    {
        var sample = new Sample
        {
            Id = Guid.CreateVersion7(),
            BirthDate = new DateOnly(1948, 2, 29),
            RecordedAt = new DateTimeOffset(2020, 4, 1, 9, 30, 15, 123, TimeSpan.FromHours(8)),
            LocalTime = new DateTime(2020, 4, 1, 9, 30, 0, DateTimeKind.Utc),
            Term = TimeSpan.FromDays(365),
            MonthlySubsidy = 2600.00m,
            Shortfall = 1733.33m,
            Disability = DisabilityType.Psychiatric,
            Dependency = DependencyLevel.Partial,
            Text = "集中医养 · 亲情托养 — 五养八延伸 𠀀 \"quoted\" \\ backslash",
            Rates = new() { [DisabilityType.Physical] = 2600m, [DisabilityType.Intellectual] = 2300m },
            Big = long.MaxValue,
        };
        var recorded = new SampleRecorded(sample.Id, new DateOnly(2020, 12, 31), 0.01m, PovertyCause.LackOfMotivation, "武陟县");

        await using (var session = Store.LightweightSession())
        {
            session.Store(sample);
            session.Events.StartStream<Household>(sample.Id, recorded);
            await session.SaveChangesAsync();
        }

        await using var query = Store.QuerySession();
        var loaded = await query.LoadAsync<Sample>(sample.Id);
        Assert.NotNull(loaded);
        Assert.Equal(sample.BirthDate, loaded.BirthDate);
        Assert.Equal(sample.RecordedAt, loaded.RecordedAt);
        Assert.Equal(sample.LocalTime, loaded.LocalTime);
        Assert.Equal(sample.Term, loaded.Term);
        Assert.Equal(sample.MonthlySubsidy, loaded.MonthlySubsidy);
        Assert.Equal("2600.00", loaded.MonthlySubsidy.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(sample.Shortfall, loaded.Shortfall);
        Assert.Equal(sample.Disability, loaded.Disability);
        Assert.Equal(sample.Dependency, loaded.Dependency);
        Assert.Equal(sample.Text, loaded.Text);
        Assert.Equal(sample.Rates, loaded.Rates);
        Assert.Equal(sample.Big, loaded.Big);

        var events = await query.Events.FetchStreamAsync(sample.Id);
        Assert.Equal(recorded, Assert.Single(events).Data);

        var byText = await query.Query<Sample>().Where(s => s.Text.Contains("亲情托养")).SingleAsync();
        Assert.Equal(sample.Id, byText.Id);
        var raw = await query.Query<Sample>().Where(s => s.Disability == DisabilityType.Psychiatric).CountAsync();
        Assert.Equal(1, raw);
    }
}
