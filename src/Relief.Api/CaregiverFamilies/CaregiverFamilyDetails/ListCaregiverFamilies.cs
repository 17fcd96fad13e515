using Marten;
using Marten.Linq.MatchesSql;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Problems;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
using Wolverine.Http;

namespace Relief.Api.CaregiverFamilies;

/// <summary>One page of caregiver families; pass <c>nextCursor</c> as <c>cursor</c> for the next (absent on the last page).</summary>
public sealed record CaregiverFamilyPage(IReadOnlyList<CaregiverFamilySummary> Items, Guid? NextCursor);

/// <summary>A caregiver family in a list: no personal identifiers; family-doctor counts as of today.</summary>
public sealed record CaregiverFamilySummary(
    Guid Id,
    int Version,
    string Township,
    string TownshipName,
    string Village,
    string HeadName,
    int MemberCount,
    int MembersWithFamilyDoctor,
    bool FamilyDoctorCovered,
    int AgreementsHeld);

public static class ListCaregiverFamiliesEndpoint
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>
    /// <c>township</c> (code or Chinese name) filters; a township key sees only its own township,
    /// whether it names it or not. <c>cursor</c> is the last id of the previous page.
    /// </summary>
    /// <remarks>
    /// <c>cursor</c> and <c>limit</c> are read as text and parsed here: bound as <c>Guid?</c>/<c>int?</c>,
    /// Wolverine would silently treat a value that does not parse as absent.
    /// </remarks>
    public static ProblemDetails Validate(string? township, string? cursor, string? limit, TownshipDirectory townships,
        Caller caller)
    {
        var errors = new FieldErrors();
        if (township is not null && townships.Find(township) is null) errors.Add("township", "is not a township of the county.");
        if (cursor is not null && !Guid.TryParse(cursor, out _)) errors.Add("cursor", "is not a cursor this list gave.");
        if (limit is not null && (!int.TryParse(limit, out var size) || size is < 1 or > MaxLimit))
            errors.Add("limit", $"is a whole number from 1 to {MaxLimit}.");
        if (errors.Any) return errors.ToProblem();

        return township is not null && !caller.MayTouchTownship(townships.Find(township)!.Code)
            ? Problems.Forbidden($"This key is bound to the township '{caller.Township}'.")
            : WolverineContinue.NoProblems;
    }

    /// <summary>Caregiver families in id order (ids are time-ordered: the order registered), one page at a time.</summary>
    [WolverineGet("/api/caregiver-families"), Tags("CaregiverFamilies")]
    [Authorize(Scopes.HouseholdsRead)]
    public static async Task<CaregiverFamilyPage> Get(string? township, string? cursor, string? limit,
        TownshipDirectory townships, Caller caller, IQuerySession session, DateTimeOffset now, CancellationToken token)
    {
        var code = township is null ? caller.Township : townships.Find(township)!.Code;
        var size = limit is null ? DefaultLimit : int.Parse(limit);
        var query = session.Query<CaregiverFamilyDetails>().Where(x => x.Registered);
        if (code is not null) query = query.Where(x => x.Township == code);
        if (cursor is not null)
        {
            var after = Guid.Parse(cursor);
            query = query.Where(x => x.MatchesSql("d.id > ?", after));
        }

        var families = await query.OrderBy(x => x.Id).Take(size + 1).ToListAsync(token);
        var today = ChinaTime.Today(now);
        var items = families.Take(size).Select(f => new CaregiverFamilySummary(f.Id, f.FamilyVersion, f.Township,
            townships.NameOf(f.Township), f.Village, f.CurrentHeadName, f.Members.Count, f.MembersWithFamilyDoctorOn(today),
            f.FamilyDoctorCoveredOn(today), f.Agreements.Count(a => a.EndedOn is null))).ToList();
        return new CaregiverFamilyPage(items, families.Count > size ? items[^1].Id : null);
    }
}
