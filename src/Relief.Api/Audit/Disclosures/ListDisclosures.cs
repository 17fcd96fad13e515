using Marten;
using Marten.Linq.MatchesSql;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;

namespace Relief.Api.Audit.Disclosures;

public static class ListDisclosuresEndpoint
{
    /// <summary>The disclosure list is county-wide: a township-bound key cannot read it.</summary>
    public static ProblemDetails Validate(string? ownerId, string? kind, string? cursor, string? limit, Caller caller)
    {
        var errors = new FieldErrors();
        if (ownerId is not null && !Guid.TryParse(ownerId, out _)) errors.Add("ownerId", "is not a household or caregiver-family id.");
        QueryValues.ValidateEnum<DisclosureKind>("kind", kind, errors);
        QueryValues.ValidatePaging(cursor, limit, errors);
        if (errors.Any) return errors.ToProblem();
        return caller.Township is not null || caller.Department == Department.Township
            ? Problems.Forbidden("The disclosure records are county-wide; a township-bound key cannot read them.")
            : WolverineContinue.NoProblems;
    }

    /// <summary>
    /// Who was shown whose personal data, and when (PIPL: every disclosure is accountable): full
    /// identifiers shown to a <c>pii:read</c> caller (<c>Revealed</c>), and resident IDs a duplicate
    /// check confirmed active (<c>Confirmed</c>). Each record is an event, covered by the hash chain;
    /// none can be changed. Filter by <c>ownerId</c> and <c>kind</c>; in the order recorded, a page at a time.
    /// </summary>
    [WolverineGet("/api/audit/disclosures"), Tags("Audit")]
    [Authorize(Scopes.AuditRead)]
    public static async Task<Page<PersonalDataDisclosure>> Get(string? ownerId, [Query(OneOf = typeof(DisclosureKind))] string? kind, string? cursor, string? limit,
        IQuerySession session, CancellationToken token)
    {
        var size = QueryValues.Limit(limit);
        var query = session.Query<PersonalDataDisclosure>().AsQueryable();
        if (ownerId is not null)
        {
            var owner = Guid.Parse(ownerId);
            query = query.Where(d => d.OwnerId == owner);
        }

        if (QueryValues.Enum<DisclosureKind>(kind) is { } k) query = query.Where(d => d.Kind == k);
        if (QueryValues.Cursor(cursor) is { } after) query = query.Where(d => d.MatchesSql("d.id > ?", after));
        var found = await query.OrderBy(d => d.Id).Take(size + 1).ToListAsync(token);
        var items = found.Take(size).ToList();
        return new Page<PersonalDataDisclosure>(items, found.Count > size ? items[^1].Id.ToString() : null);
    }
}
