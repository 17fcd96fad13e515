using System.Runtime.CompilerServices;
using JasperFx.Events;
using Microsoft.Extensions.Logging;
using Npgsql;
using Relief.Api.Infrastructure.Persistence;

namespace Relief.Api.Tests.Infrastructure;

/// <summary>A refused concurrent write is an answered 409, not an error in the operators' log.</summary>
public sealed class MartenLogTests(AppFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public void The_store_logs_through_reliefs_logger()
    {
        Assert.IsType<ReliefMartenLogger>(Store.Options.Logger());
    }

    [Theory]
    [InlineData("MT003", LogLevel.Information)]
    [InlineData("23505", LogLevel.Information)]
    [InlineData("40001", LogLevel.Information)]
    [InlineData("42P01", LogLevel.Error)]
    [InlineData("57014", LogLevel.Error)]
    public void A_concurrency_refusal_is_one_information_line_and_anything_else_an_error(string sqlState, LogLevel expected)
    {
        var log = new ListLogger();
        var marten = new ReliefMartenLogger(log);
        var failure = new InvalidOperationException("Marten command failed",
            new PostgresException("refused", "ERROR", "ERROR", sqlState));

        marten.StartSession(null!).LogFailure(new NpgsqlCommand("select 1"), failure);

        var entry = Assert.Single(log.Entries);
        Assert.Equal(expected, entry.Level);
        Assert.Equal(expected == LogLevel.Error, entry.Exception is not null);
    }

    [Fact]
    public void A_stale_stream_version_as_marten_reports_it_is_one_information_line()
    {
        var log = new ListLogger();
        var stale = (Exception)RuntimeHelpers.GetUninitializedObject(typeof(EventStreamUnexpectedMaxEventIdException));

        new ReliefMartenLogger(log).LogFailure(new NpgsqlBatch(), stale);

        Assert.Equal(LogLevel.Information, Assert.Single(log.Entries).Level);
    }

    private sealed class ListLogger : ILogger
    {
        public List<(LogLevel Level, Exception? Exception)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, exception));
    }
}
