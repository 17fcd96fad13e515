using Marten;
using Relief.Api.CareAgreements;

namespace Relief.Api.Dispatch.Report;

/// <summary>How many households one kind of care (五养) holds at a week's end.</summary>
public sealed record CareModeCount(CareMode Mode, int Households);

/// <summary>
/// The households by care mode at a week's end, for the county or one township: the households holding
/// an agreement of the mode in force on the week's last day (a household with two modes counts under
/// each). Read from the agreements' views as they are known now.
/// </summary>
public static class CareModes
{
    public static async Task<IReadOnlyList<CareModeCount>> AtAsync(IQuerySession session, DateOnly weekEnd, string? township,
        CancellationToken token)
    {
        var agreements = await session.Query<CareAgreementDetails>()
            .Where(a => a.StartsOn <= weekEnd && (township == null || a.Township == township))
            .ToListAsync(token);
        var inForce = agreements.Where(a => a.LastDay is not { } last || last >= weekEnd).ToList();
        return Enum.GetValues<CareMode>()
            .Select(mode => new CareModeCount(mode, inForce.Where(a => a.Mode == mode).Select(a => a.HouseholdId).Distinct().Count()))
            .ToList();
    }
}
