using Marten.Events.Projections;
using Relief.Api.CareAgreements;

namespace Relief.Api.Households;

/// <summary>
/// One agreement's mode and days, as the household list needs them. <c>To</c>, its last day, is
/// stored too (read-only) so that SQL can filter on it.
/// </summary>
public sealed record AgreementPeriod(Guid AgreementId, CareMode Mode, DateOnly From, DateOnly? EndsOn, DateOnly? EndedOn)
{
    public DateOnly? To => CarePeriod.LastDayOf(EndsOn, EndedOn);

    public bool Covers(DateOnly day) => new CarePeriod(From, To).Covers(day);
}

/// <summary>
/// A row of the household list: where the household is, how many members, and the days each of
/// its care agreements gives care, so that "covered on a date" is derived, never stored. Updated
/// inline from the household's and its agreements' events.
/// </summary>
public sealed class HouseholdSummary
{
    public Guid Id { get; set; }
    public string Township { get; set; } = "";
    public string Village { get; set; } = "";
    public string HeadName { get; set; } = "";
    public int Members { get; set; }
    public DateTimeOffset RegisteredAt { get; set; }
    public List<AgreementPeriod> Agreements { get; set; } = [];
    public bool Closed { get; set; }
    public MonitoringStatus Monitoring { get; set; }

    public bool CoveredOn(DateOnly day) => Agreements.Any(a => a.Covers(day));

    public IReadOnlyList<CareMode> ModesOn(DateOnly day) =>
        Agreements.Where(a => a.Covers(day)).Select(a => a.Mode).Distinct().Order().ToList();

    internal void Change(Guid agreementId, Func<AgreementPeriod, AgreementPeriod> change)
    {
        var index = Agreements.FindIndex(a => a.AgreementId == agreementId);
        Agreements[index] = change(Agreements[index]);
    }
}

public sealed partial class HouseholdSummaryProjection : MultiStreamProjection<HouseholdSummary, Guid>
{
    public HouseholdSummaryProjection()
    {
        Identity<HouseholdRegistered>(e => e.HouseholdId);
        Identity<HouseholdDetailsChanged>(e => e.HouseholdId);
        Identity<HouseholdMemberAdded>(e => e.HouseholdId);
        Identity<HouseholdMemberRemoved>(e => e.HouseholdId);
        Identity<HouseholdMemberMovedOut>(e => e.HouseholdId);
        Identity<HouseholdMemberMovedIn>(e => e.HouseholdId);
        Identity<HouseholdClosed>(e => e.HouseholdId);
        Identity<HouseholdMonitoringChanged>(e => e.HouseholdId);
        Identity<CareAgreementSigned>(e => e.HouseholdId);
        Identity<CareAgreementRenewed>(e => e.HouseholdId);
        Identity<CareAgreementAmended>(e => e.HouseholdId);
        Identity<CareAgreementEnded>(e => e.HouseholdId);
    }

    public static HouseholdSummary Create(HouseholdRegistered e) => new()
    {
        Id = e.HouseholdId, Township = e.Township, Village = e.Village, HeadName = e.HeadName, RegisteredAt = e.RegisteredAt,
    };

    public static void Apply(HouseholdDetailsChanged e, HouseholdSummary row)
    {
        row.Village = e.Village;
        row.HeadName = e.HeadName;
    }

    public static void Apply(HouseholdMemberAdded e, HouseholdSummary row) => row.Members++;

    public static void Apply(HouseholdMemberRemoved e, HouseholdSummary row) => row.Members--;

    public static void Apply(HouseholdMemberMovedOut e, HouseholdSummary row) => row.Members--;

    public static void Apply(HouseholdMemberMovedIn e, HouseholdSummary row) => row.Members++;

    public static void Apply(HouseholdClosed e, HouseholdSummary row) => row.Closed = true;

    public static void Apply(HouseholdMonitoringChanged e, HouseholdSummary row) => row.Monitoring = e.Status;

    public static void Apply(CareAgreementSigned e, HouseholdSummary row)
    {
        row.Agreements.Add(new AgreementPeriod(e.AgreementId, e.Mode, e.Terms.StartsOn, e.Terms.EndsOn, null));
    }

    public static void Apply(CareAgreementRenewed e, HouseholdSummary row) =>
        row.Change(e.AgreementId, period => period with { EndsOn = e.EndsOn });

    public static void Apply(CareAgreementAmended e, HouseholdSummary row) =>
        row.Change(e.AgreementId, period => period with { EndsOn = e.Terms.EndsOn });

    public static void Apply(CareAgreementEnded e, HouseholdSummary row) =>
        row.Change(e.AgreementId, period => period with { EndedOn = e.EndedOn });
}
