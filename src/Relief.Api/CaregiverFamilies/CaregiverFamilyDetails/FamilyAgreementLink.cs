using Marten;
using Marten.Events.Projections;
using Relief.Api.CareAgreements;

namespace Relief.Api.CaregiverFamilies;

/// <summary>
/// Which caregiver family holds a care agreement, by agreement id: lets
/// <see cref="CaregiverFamilyDetailsProjection"/> route <see cref="CareAgreementEnded"/>, which names no family.
/// Only agreements with a caregiver family have a link.
/// </summary>
public sealed class FamilyAgreementLink
{
    /// <summary>The care agreement's id.</summary>
    public Guid Id { get; set; }
    public Guid FamilyId { get; set; }
}

/// <summary>Writes a <see cref="FamilyAgreementLink"/> for every agreement signed by a caregiver family (inline).</summary>
public sealed partial class FamilyAgreementLinkProjection : EventProjection
{
    public void Project(CareAgreementSigned e, IDocumentOperations ops)
    {
        if (e.Caregiver.CaregiverFamilyId is { } familyId)
            ops.Store(new FamilyAgreementLink { Id = e.AgreementId, FamilyId = familyId });
    }
}
