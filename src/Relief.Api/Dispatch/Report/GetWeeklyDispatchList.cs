using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Dispatch.Engine;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
using Wolverine.Http;

namespace Relief.Api.Dispatch.Report;

/// <summary>
/// The report's lists a page at a time: the overdue cases and the households without an agreement a
/// week shows at its end, in the report's order (most overdue first; longest without an agreement
/// first; then by township). The report itself carries each list's count and a link here.
/// </summary>
public static class GetWeeklyDispatchListEndpoint
{
    private const string Tag = "Weekly dispatch";

    /// <summary>The stored week (null when malformed or not written yet: <see cref="Validate"/> answers those).</summary>
    public static Task<WeeklyDispatch?> LoadAsync(string week, IQuerySession session, CancellationToken token) =>
        GetWeeklyDispatchEndpoint.LoadAsync(week, session, token);

    public static ProblemDetails Validate(string week, string? township, string? cursor, string? limit, Caller caller,
        TownshipDirectory townships, WeeklyDispatch? doc)
    {
        // The report's own scope rule first, then every malformed value at once, the township scope,
        // and last the report's own 404 for a week not written yet.
        var errors = new FieldErrors();
        if (!IsoWeek.TryParse(week, out _)) errors.Add("week", "must be an ISO week such as 2020-W40.");
        if (township is not null && townships.Find(township) is null) errors.Add("township", "is not a township of the county.");
        if (cursor is not null && ListCursor.Parse(cursor) is null) errors.Add("cursor", "is not a cursor this list gave.");
        QueryValues.ValidatePaging(null, limit, errors);
        return Problems.FirstOf(GetWeeklyDispatchEndpoint.Access(caller), errors.ToProblem(),
            TownshipScope.Check(township, caller, townships), GetWeeklyDispatchEndpoint.Validate(week, caller, doc));
    }

    /// <summary>The policy cases overdue at the week's end, most overdue first. Cursor pagination (<c>nextCursor</c> → <c>cursor</c>).</summary>
    [WolverineGet("/api/reports/weekly-dispatch/{week}/overdue-cases"), Tags(Tag)]
    [Authorize]
    public static async Task<Page<OverdueCaseLine>> GetOverdueCases(string week, WeeklyDispatch doc, string? township, string? cursor,
        string? limit, Caller caller, TownshipDirectory townships, OwnershipTable ownership, IQuerySession session, PersonalDataVault vault,
        CancellationToken token)
    {
        var (items, next) = await PageAsync(caller, session, vault, doc, DispatchList.OverdueCase, TownshipScope.Of(township, caller, townships), cursor,
            limit, token);
        return new Page<OverdueCaseLine>(items.Select(i => WeeklyDispatchReport.OverdueLine(i, doc.To, ownership)).ToList(), next);
    }

    /// <summary>The households without an agreement in force at the week's end, longest first. Cursor pagination (<c>nextCursor</c> → <c>cursor</c>).</summary>
    [WolverineGet("/api/reports/weekly-dispatch/{week}/households-without-agreement"), Tags(Tag)]
    [Authorize]
    public static async Task<Page<UncoveredHouseholdLine>> GetHouseholdsWithoutAgreement(string week, WeeklyDispatch doc, string? township,
        string? cursor, string? limit, Caller caller, TownshipDirectory townships, IQuerySession session, PersonalDataVault vault,
        CancellationToken token)
    {
        var (items, next) = await PageAsync(caller, session, vault, doc, DispatchList.HouseholdWithoutAgreement, TownshipScope.Of(township, caller, townships),
            cursor, limit, token);
        return new Page<UncoveredHouseholdLine>(items.Select(WeeklyDispatchReport.UncoveredLine).ToList(), next);
    }

    private static async Task<(IReadOnlyList<DispatchItem> Items, string? Next)> PageAsync(Caller caller, IQuerySession session, PersonalDataVault vault,
        WeeklyDispatch doc, DispatchList list, string? township, string? cursor, string? limit, CancellationToken token)
    {
        var size = QueryValues.Limit(limit);
        var rows = await DispatchListQuery.ReadAsync(session, doc, list, township, ListCursor.Parse(cursor), size + 1, token);
        var items = rows.Take(size).ToList();
        return (await DispatchLabels.ResolveAsync(items, caller.Has(Scopes.PiiRead), session, vault, token), rows.Count > size ? ListCursor.Of(items[^1]) : null);
    }
}

/// <summary>
/// The items of a list a written week shows: those stored items holding on the week's last day, in
/// the report's order (the sort day, then township, then key), read in SQL after a cursor.
/// </summary>
public static class DispatchListQuery
{
    private const string SortDay = "coalesce(d.data ->> 'dueOn', d.data ->> 'from')";

    /// <summary>A page (or, with no limit, every item: the downloads and the printable page carry the whole lists).</summary>
    public static async Task<IReadOnlyList<DispatchItem>> ReadAsync(IQuerySession session, WeeklyDispatch week, DispatchList list,
        string? township, ListCursor? after, int? limit, CancellationToken token)
    {
        var sql = new StringBuilder(
            "where d.data ->> 'list' = ? and (d.data ->> 'from')::date <= ? and (d.data ->> 'until' is null or (d.data ->> 'until')::date > ?)");
        var parameters = new List<object> { list.ToString(), week.To, week.To };
        if (township is not null)
        {
            sql.Append(" and d.data ->> 'township' = ?");
            parameters.Add(township);
        }

        if (after is not null)
        {
            sql.Append($" and ({SortDay} collate \"C\", d.data ->> 'township' collate \"C\", d.id collate \"C\") > (?, ?, ?)");
            parameters.AddRange([after.SortDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), after.Township, after.Key]);
        }

        sql.Append($" order by {SortDay} collate \"C\", d.data ->> 'township' collate \"C\", d.id collate \"C\"");
        if (limit is not null)
        {
            sql.Append(" limit ?");
            parameters.Add(limit.Value);
        }

        return await session.QueryAsync<DispatchItem>(sql.ToString(), token, [.. parameters]);
    }
}

/// <summary>Where a page of a list ended: the last item's sort day, township and key, opaque to callers (base64url).</summary>
public sealed record ListCursor(DateOnly SortDay, string Township, string Key)
{
    public static string Of(DispatchItem item) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            $"{DispatchLists.SortDay(item).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}\n{item.Township}\n{item.Key}"));

    public static ListCursor? Parse(string? cursor)
    {
        if (cursor is null || !Base64Url.IsValid(cursor)) return null;
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException)
        {
            return null;
        }

        var parts = text.Split('\n');
        return parts.Length == 3 && DateOnly.TryParseExact(parts[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? new ListCursor(day, parts[1], parts[2])
            : null;
    }
}
