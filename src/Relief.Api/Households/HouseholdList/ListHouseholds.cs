using System.Text.Json.Serialization;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.CareAgreements;
using Relief.Api.Infrastructure.Problems;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
using Wolverine.Http;

namespace Relief.Api.Households;

/// <summary>A household in a list, with its coverage on the date asked.</summary>
public sealed record HouseholdListItem(
    Guid Id,
    string Township,
    string TownshipName,
    string Village,
    string HeadName,
    int Members,
    bool Covered,
    IReadOnlyList<CareMode> Modes);

/// <summary>A page of a list; <c>nextCursor</c> fetches the next page, null on the last.</summary>
public sealed record Page<T>(
    IReadOnlyList<T> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? NextCursor,
    DateOnly On);

public static class ListHouseholdsEndpoint
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static ProblemDetails Validate(string? township, string? cursor, int? limit, TownshipDirectory townships,
        Caller caller)
    {
        var errors = new FieldErrors();
        if (township is not null && townships.Find(township) is null) errors.Add("township", "is not a township of the county.");
        if (cursor is not null && !Guid.TryParse(cursor, out _)) errors.Add("cursor", "is not a cursor this list gave.");
        if (limit is < 1 or > MaxLimit) errors.Add("limit", $"is 1 to {MaxLimit}.");
        if (errors.Any) return errors.ToProblem();
        return township is not null && !caller.MayTouchTownship(townships.Find(township)!.Code)
            ? Problems.Forbidden($"This key is bound to the township '{caller.Township}'.")
            : WolverineContinue.NoProblems;
    }

    /// <summary>
    /// Households, oldest registration first, filtered by township, by the care mode of an agreement
    /// active on the date (<c>on</c>, default today in China) and by covered/uncovered on that date.
    /// Cursor pagination: pass back <c>nextCursor</c> as <c>cursor</c>. A township key sees its township only.
    /// Closed households are left out unless <c>includeClosed=true</c>.
    /// </summary>
    [WolverineGet("/api/households"), Tags("Households")]
    [Authorize(Scopes.HouseholdsRead)]
    public static async Task<Page<HouseholdListItem>> Get(
        [FromQuery] string? township, [FromQuery] CareMode? mode, [FromQuery] bool? covered, [FromQuery] DateOnly? on,
        [FromQuery] string? cursor, [FromQuery] int? limit, [FromQuery] bool? includeClosed,
        TownshipDirectory townships, Caller caller, IQuerySession session, DateTimeOffset now, CancellationToken token)
    {
        var day = on ?? ChinaTime.Today(now);
        var size = limit ?? DefaultLimit;
        var where = new List<string>();
        var parameters = new List<object>();
        if (includeClosed != true) where.Add("(data ->> 'closed')::boolean = false");

        var code = caller.Township ?? (township is null ? null : townships.Find(township)!.Code);
        if (code is not null)
        {
            where.Add("data ->> 'township' = ?");
            parameters.Add(code);
        }

        if (cursor is not null)
        {
            where.Add("id > ?");
            parameters.Add(Guid.Parse(cursor));
        }

        const string activeOn =
            "exists (select 1 from jsonb_array_elements(data -> 'agreements') a where (a ->> 'from')::date <= ? " +
            "and (a ->> 'to' is null or (a ->> 'to')::date >= ?)";
        if (mode is not null)
        {
            where.Add(activeOn + " and a ->> 'mode' = ?)");
            parameters.AddRange([day, day, mode.Value.ToString()]);
        }

        if (covered is not null)
        {
            where.Add((covered.Value ? "" : "not ") + activeOn + ")");
            parameters.AddRange([day, day]);
        }

        var sql = (where.Count == 0 ? "" : "where " + string.Join(" and ", where)) + " order by id limit ?";
        parameters.Add(size + 1);
        var rows = await session.QueryAsync<HouseholdSummary>(sql, token, [.. parameters]);

        var items = rows.Take(size).Select(r => new HouseholdListItem(r.Id, r.Township, townships.NameOf(r.Township),
            r.Village, r.HeadName, r.Members, r.CoveredOn(day), r.ModesOn(day))).ToList();
        return new Page<HouseholdListItem>(items, rows.Count > size ? items[^1].Id.ToString() : null, day);
    }
}
