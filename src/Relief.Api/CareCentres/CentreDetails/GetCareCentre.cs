using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;

namespace Relief.Api.CareCentres;

/// <summary>A centre in the list: its beds and how many are taken.</summary>
public sealed record CareCentreSummary(
    Guid Id, string Name, string Township, CentreBasis BasedOn, int Beds, int Occupied, int Free);

public static class GetCareCentreEndpoint
{
    public static Task<CentreDetails?> LoadAsync(Guid centreId, IQuerySession session, CancellationToken token) =>
        session.LoadAsync<CentreDetails>(centreId, token);

    public static ProblemDetails Validate(CentreDetails? centre, Guid centreId) =>
        centre is null ? CentreRules.NotFound(centreId) : WolverineContinue.NoProblems;

    /// <summary>
    /// A centre with its occupancy, its residents, its trial stays and the services it delivered.
    /// A township-bound caller sees the residents and trial stays of its own township's households only.
    /// </summary>
    [WolverineGet("/api/care-centres/{centreId}"), Tags("Care centres")]
    [Authorize(Scopes.HouseholdsRead)]
    public static async Task<CentreDetails> Get(Guid centreId, CentreDetails centre, Caller caller, IQuerySession session,
        CancellationToken token)
    {
        if (caller.Township is null) return centre;

        var householdIds = centre.Residents.Select(r => r.HouseholdId).Concat(centre.TrialStays.Select(t => t.HouseholdId))
            .Distinct().ToArray();
        var own = (await session.Query<Households.HouseholdDetails>()
                .Where(h => householdIds.Contains(h.Id) && h.Township == caller.Township).Select(h => h.Id).ToListAsync(token))
            .ToHashSet();
        centre.Residents = centre.Residents.Where(r => own.Contains(r.HouseholdId)).ToList();
        centre.TrialStays = centre.TrialStays.Where(t => own.Contains(t.HouseholdId)).ToList();
        return centre;
    }
}

public static class ListCareCentresEndpoint
{
    /// <summary>Every centre, by name, with its beds and occupancy.</summary>
    [WolverineGet("/api/care-centres"), Tags("Care centres")]
    [Authorize(Scopes.HouseholdsRead)]
    public static async Task<IReadOnlyList<CareCentreSummary>> Get(IQuerySession session, CancellationToken token) =>
        (await session.Query<CentreDetails>().OrderBy(c => c.Name).ToListAsync(token))
        .Select(c => new CareCentreSummary(c.Id, c.Name, c.Township, c.BasedOn, c.Beds, c.Occupied, c.Free))
        .ToList();
}
