using Relief.Core.Protection;
using JasperFx.Events;
using Marten.Events.Aggregation;
using Relief.Api.Audit.Corrections;

namespace Relief.Api.CareAgreements;

/// <summary>Terms as they stood from a date.</summary>
public sealed record TermsFrom(DateOnly EffectiveFrom, CareTerms Terms);

/// <summary>The stored view of one agreement with the whole history of its terms (inline).</summary>
public sealed class CareAgreementDetails
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public Guid HouseholdId { get; set; }
    public string Township { get; set; } = "";
    public CareMode Mode { get; set; }
    public Caregiver Caregiver { get; set; } = new(CaregiverKind.Person, null, null);
    public Guid? CentreStayId { get; set; }
    public DateOnly SignedOn { get; set; }
    public DateOnly StartsOn { get; set; }
    public DateOnly? EndsOn { get; set; }
    public DateOnly? EndedOn { get; set; }
    /// <summary>Why it ended, sealed under the household's key (as in the event).</summary>
    public ProtectedValue? EndReason { get; set; }
    public List<DateOnly> RenewedOn { get; set; } = [];
    public List<TermsFrom> Terms { get; set; } = [];

    public DateOnly? LastDay => CarePeriod.LastDayOf(EndsOn, EndedOn);

    /// <summary>The terms in force on a day (the latest that took effect by then).</summary>
    public CareTerms TermsOn(DateOnly day) =>
        Terms.LastOrDefault(t => t.EffectiveFrom <= day)?.Terms ?? Terms[0].Terms;
}

public sealed partial class CareAgreementDetailsProjection : SingleStreamProjection<CareAgreementDetails, Guid>
{
    /// <summary>A correction is part of the stream: the view's version follows it, so the next write is accepted.</summary>
    public static void Apply(EntryVoided e, CareAgreementDetails view)
    {
    }

    /// <summary>A correction on a stream of another kind makes no view.</summary>
    public static CareAgreementDetails? Create(EntryVoided e) => null;

    public static CareAgreementDetails Create(CareAgreementSigned e) => new()
    {
        Id = e.AgreementId, HouseholdId = e.HouseholdId, Township = e.Township, Mode = e.Mode, Caregiver = e.Caregiver,
        CentreStayId = e.CentreStayId, SignedOn = e.SignedOn, StartsOn = e.Terms.StartsOn, EndsOn = e.Terms.EndsOn,
        Terms = [new TermsFrom(e.Terms.StartsOn, e.Terms)],
    };

    public static void Apply(CareAgreementRenewed e, CareAgreementDetails view)
    {
        view.EndsOn = e.EndsOn;
        view.RenewedOn.Add(e.RenewedOn);
    }

    public static void Apply(CareAgreementAmended e, CareAgreementDetails view)
    {
        view.EndsOn = e.Terms.EndsOn;
        view.Terms.Add(new TermsFrom(e.EffectiveFrom, e.Terms));
    }

    public static void Apply(CareAgreementCaregiverPersonalDataErased e, CareAgreementDetails view)
    {
    }

    public static void Apply(CareAgreementEnded e, CareAgreementDetails view)
    {
        view.EndedOn = e.EndedOn;
        view.EndReason = e.Reason;
    }
}
