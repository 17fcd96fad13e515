using Relief.Api.CareAgreements;
using Relief.Api.Households;
using Relief.Core.Calendar;
using Relief.Core.Protection;
using M = Relief.Api.Dispatch.Engine.DispatchMetrics;

namespace Relief.Api.Dispatch.Engine;

/// <summary>A household: counted from registration to closure; covered while an agreement is in force.</summary>
public sealed class DispatchHousehold : IDispatchSubject
{
    /// <summary>The household an event is about, when it is one of its events.</summary>
    public static Guid? IdOf(object data) => data switch
    {
        HouseholdRegistered e => e.HouseholdId,
        HouseholdDetailsChanged e => e.HouseholdId,
        HouseholdClosed e => e.HouseholdId,
        CareAgreementSigned e => e.HouseholdId,
        CareAgreementRenewed e => e.HouseholdId,
        CareAgreementAmended e => e.HouseholdId,
        CareAgreementEnded e => e.HouseholdId,
        _ => null,
    };
    public void Apply(object data)
    {
        switch (data)
        {
            case HouseholdRegistered e: Apply(e, ChinaTime.Today(e.RegisteredAt)); break;
            case HouseholdDetailsChanged e: Apply(e); break;
            case HouseholdClosed e: Apply(e); break;
            case CareAgreementSigned e: Apply(e); break;
            case CareAgreementRenewed e: Apply(e); break;
            case CareAgreementAmended e: Apply(e); break;
            case CareAgreementEnded e: Apply(e); break;
        }
    }

    public Guid Id { get; set; }
    public List<long>? Events { get; set; }
    public string Township { get; set; } = "";
    public string Village { get; set; } = "";

    /// <summary>The head's name, sealed as in the events: list items name it by reference, resolved when read.</summary>
    public ProtectedValue HeadName { get; set; } = ProtectedValue.LegacyPlaintext("");
    public DateOnly Since { get; set; }
    public DateOnly? ClosedOn { get; set; }
    public Dictionary<Guid, CareAgreement> Agreements { get; set; } = [];

    public void Apply(HouseholdRegistered e, DateOnly on)
    {
        Id = e.HouseholdId;
        Township = e.Township;
        Village = e.Village;
        HeadName = e.HeadName;
        Since = on;
    }

    public void Apply(HouseholdDetailsChanged e)
    {
        Village = e.Village;
        HeadName = e.HeadName;
    }

    public void Apply(HouseholdClosed e) => ClosedOn = e.ClosedOn;

    public void Apply(CareAgreementSigned e) => Agreements[e.AgreementId] = CareAgreement.Create(e);

    public void Apply(CareAgreementRenewed e) => Agreements.GetValueOrDefault(e.AgreementId)?.Apply(e);

    public void Apply(CareAgreementAmended e) => Agreements.GetValueOrDefault(e.AgreementId)?.Apply(e);

    public void Apply(CareAgreementEnded e) => Agreements.GetValueOrDefault(e.AgreementId)?.Apply(e);

    public Contribution Contribution()
    {
        // Agreements may be recorded before the household's own registration event is counted
        // (another stream): until then the household contributes nothing.
        if (Township.Length == 0) return Engine.Contribution.None;

        var until = ClosedOn;
        var spans = new List<Span> { new(M.Households, Township, Since, until) };
        var covered = Days.Union(Days.Within(
            Agreements.Values.Select(a => (a.StartsOn, Days.After(a.LastDay))), Since, until));
        spans.AddRange(covered.Select(c => new Span(M.HouseholdsCovered, Township, c.From, c.Until)));

        var label = $"{Village} · ";
        var items = Days.Gaps(covered, Since, until)
            .Select(g => new DispatchItem($"uncovered:{Id}:{g.From:yyyyMMdd}", DispatchList.HouseholdWithoutAgreement, Id,
                Township, label, g.From, g.Until, Name: HeadName))
            .ToList();
        return new Contribution(spans, items);
    }
}
