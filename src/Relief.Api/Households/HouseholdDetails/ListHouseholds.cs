using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.CareAgreements;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.PersonalData;
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

public static class ListHouseholdsEndpoint
{
    public static ProblemDetails Validate(string? township, string? mode, string? covered, string? on, string? cursor,
        string? limit, string? includeClosed, TownshipDirectory townships, Caller caller)
    {
        var errors = new FieldErrors();
        if (township is not null && townships.Find(township) is null) errors.Add("township", "is not a township of the county.");
        QueryValues.ValidateEnum<CareMode>("mode", mode, errors);
        QueryValues.ValidateBool("covered", covered, errors);
        QueryValues.ValidateBool("includeClosed", includeClosed, errors);
        QueryValues.ValidateDate("on", on, errors);
        QueryValues.ValidatePaging(cursor, limit, errors);
        if (errors.Any) return errors.ToProblem();
        return TownshipScope.Check(township, caller, townships) ?? WolverineContinue.NoProblems;
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
        string? township, [Query(OneOf = typeof(CareMode))] string? mode, string? covered, string? on, string? cursor, string? limit, string? includeClosed,
        TownshipDirectory townships, Caller caller, IQuerySession session, IDocumentStore store, PersonalDataVault vault, DateTimeOffset now,
        CancellationToken token)
    {
        var day = QueryValues.Date(on) ?? ChinaTime.Today(now);
        var size = QueryValues.Limit(limit);
        var careMode = QueryValues.Enum<CareMode>(mode);
        var isCovered = QueryValues.Bool(covered);
        var where = new List<string>();
        var parameters = new List<object>();
        if (QueryValues.Bool(includeClosed) != true) where.Add("d.data ->> 'closure' is null");

        var code = caller.Township ?? (township is null ? null : townships.Find(township)!.Code);
        if (code is not null)
        {
            where.Add("d.data ->> 'township' = ?");
            parameters.Add(code);
        }

        if (cursor is not null)
        {
            where.Add("d.id > ?");
            parameters.Add(QueryValues.Cursor(cursor)!.Value);
        }

        // Coverage is read from each agreement's own document (one per stream, so never a lost update).
        var agreements = store.Options.FindOrResolveDocumentType(typeof(CareAgreementDetails)).TableName.QualifiedName;
        var activeOn =
            $"exists (select 1 from {agreements} a where (a.data ->> 'householdId')::uuid = d.id " +
            "and (a.data ->> 'startsOn')::date <= ? and (a.data ->> 'lastDay' is null or (a.data ->> 'lastDay')::date >= ?)";
        if (careMode is not null)
        {
            where.Add(activeOn + " and a.data ->> 'mode' = ?)");
            parameters.AddRange([day, day, careMode.Value.ToString()]);
        }

        if (isCovered is not null)
        {
            where.Add((isCovered.Value ? "" : "not ") + activeOn + ")");
            parameters.AddRange([day, day]);
        }

        var sql = (where.Count == 0 ? "" : "where " + string.Join(" and ", where)) + " order by d.id limit ?";
        parameters.Add(size + 1);
        // The household's own view is the list row too (one inline view per household write, not two).
        var rows = await session.QueryAsync<HouseholdDetails>(sql, token, [.. parameters]);

        var page = rows.Take(size).ToList();
        var ids = page.Select(r => r.Id).ToArray();
        var held = (await session.Query<CareAgreementDetails>().Where(a => ids.Contains(a.HouseholdId)).ToListAsync(token))
            .Where(a => new CarePeriod(a.StartsOn, a.LastDay).Covers(day))
            .ToLookup(a => a.HouseholdId);
        var keys = await vault.Keys(session, page.Select(r => r.HeadName), token);
        var items = page.Select(r => new HouseholdListItem(r.Id, r.Township, townships.NameOf(r.Township),
            r.Village, keys.Show(SealedFields.HeadName, r.HeadName), r.Members.Count, held[r.Id].Any(), held[r.Id].Select(a => a.Mode).Distinct().Order().ToList()))
            .ToList();
        return new Page<HouseholdListItem>(items, rows.Count > size ? items[^1].Id.ToString() : null);
    }
}
