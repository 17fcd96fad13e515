using Marten;
using Marten.Linq.MatchesSql;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.CareAgreements;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
using Wolverine.Http;

namespace Relief.Api.CaregiverFamilies;

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
    /// <summary>
    /// <c>township</c> (code or Chinese name) filters; a township key sees only its own township,
    /// whether it names it or not. <c>cursor</c> is the last id of the previous page.
    /// </summary>
    public static ProblemDetails Validate(string? township, string? cursor, string? limit, TownshipDirectory townships,
        Caller caller)
    {
        var errors = new FieldErrors();
        if (township is not null && townships.Find(township) is null) errors.Add("township", "is not a township of the county.");
        QueryValues.ValidatePaging(cursor, limit, errors);
        if (errors.Any) return errors.ToProblem();

        return TownshipScope.Check(township, caller, townships) ?? WolverineContinue.NoProblems;
    }

    /// <summary>Caregiver families in id order (ids are time-ordered: the order registered), one page at a time.</summary>
    [WolverineGet("/api/caregiver-families"), Tags("Caregiver families")]
    [Authorize(Scopes.HouseholdsRead)]
    public static async Task<Page<CaregiverFamilySummary>> Get(string? township, string? cursor, string? limit,
        TownshipDirectory townships, Caller caller, IQuerySession session, PersonalDataVault vault, DateTimeOffset now,
        CancellationToken token)
    {
        var code = township is null ? caller.Township : townships.Find(township)!.Code;
        var size = QueryValues.Limit(limit);
        var query = session.Query<CaregiverFamilyDetails>().Where(x => x.Registered);
        if (code is not null) query = query.Where(x => x.Township == code);
        if (cursor is not null)
        {
            var after = QueryValues.Cursor(cursor)!.Value;
            query = query.Where(x => x.MatchesSql("d.id > ?", after));
        }

        var families = await query.OrderBy(x => x.Id).Take(size + 1).ToListAsync(token);
        var today = ChinaTime.Today(now);
        var ids = families.Take(size).Select(f => (Guid?)f.Id).ToArray();
        var held = (await session.Query<CareAgreementDetails>()
                .Where(a => ids.Contains(a.Caregiver.CaregiverFamilyId) && a.EndedOn == null).ToListAsync(token))
            .ToLookup(a => a.Caregiver.CaregiverFamilyId!.Value);
        var keys = await vault.Keys(session, [], families.Take(size).SelectMany(f => f.HeadPeople).ToList(), token);
        var items = families.Take(size).Select(f => new CaregiverFamilySummary(f.Id, f.FamilyVersion, f.Township,
            townships.NameOf(f.Township), f.Village, f.CurrentHeadName(keys), f.Members.Count, f.MembersWithFamilyDoctorOn(today),
            f.FamilyDoctorCoveredOn(today), held[f.Id].Count())).ToList();
        return new Page<CaregiverFamilySummary>(items, families.Count > size ? items[^1].Id.ToString() : null);
    }
}
