using Marten;
using Marten.Events.Aggregation;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Core.Protection;
using Relief.Api.CareAgreements;
using Relief.Api.Audit.Corrections;

namespace Relief.Api.Supervision;

/// <summary>
/// The stored view of one evaluation with the warnings it caused (inline). The weekly report counts
/// evaluations as these documents by <c>EvaluatedOn</c>, and warnings by <c>Warnings</c>.
/// </summary>
public sealed class EvaluationDetails
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public Guid HouseholdId { get; set; }
    public string Township { get; set; } = "";
    public string Period { get; set; } = "";
    public DateOnly From { get; set; }
    public DateOnly To { get; set; }
    public DateOnly EvaluatedOn { get; set; }
    public string Evaluator { get; set; } = "";
    public QualityOfLife QualityOfLife { get; set; } = new(0, 0, 0, 0, 0);
    public int MentalState { get; set; }
    public decimal Score { get; set; }
    public decimal Threshold { get; set; }
    public bool BelowThreshold { get; set; }
    /// <summary>The evaluator's note, sealed under the household's key (as in the event).</summary>
    public ProtectedValue? Note { get; set; }
    public bool Warned { get; set; }
    public List<CaregiverWarning> Warnings { get; set; } = [];
}

/// <summary>A warning to the caregiver of an agreement (the caregiver's name sealed, as in the event).</summary>
public sealed record CaregiverWarning(Guid AgreementId, CareMode Mode, ProtectedValue? CaregiverName, Guid? CaregiverFamilyId, DateOnly WarnedOn);

/// <summary>An evaluation as the API shows it, with the warnings it caused.</summary>
public sealed record EvaluationResponse(
    Guid Id, int Version, Guid HouseholdId, string Township, string Period, DateOnly From, DateOnly To, DateOnly EvaluatedOn,
    string Evaluator, QualityOfLife QualityOfLife, int MentalState, decimal Score, decimal Threshold, bool BelowThreshold,
    string? Note, bool Warned, IReadOnlyList<CaregiverWarningResponse> Warnings)
{
    public static EvaluationResponse Of(EvaluationDetails e, KeyChain keys) =>
        new(e.Id, e.Version, e.HouseholdId, e.Township, e.Period, e.From, e.To, e.EvaluatedOn, e.Evaluator, e.QualityOfLife,
            e.MentalState, e.Score, e.Threshold, e.BelowThreshold, keys.ShowText(SealedFields.Note, e.Note), e.Warned,
            e.Warnings.Select(w => new CaregiverWarningResponse(w.AgreementId, w.Mode,
                w.CaregiverName is null ? PersonalDataMask.Erased : keys.Show(SealedFields.CaregiverName, w.CaregiverName),
                w.CaregiverFamilyId, w.WarnedOn)).ToList());

    /// <summary>Evaluations as the API shows them: the caregivers' keys loaded in one round trip.</summary>
    public static async Task<IReadOnlyList<EvaluationResponse>> Of(IReadOnlyList<EvaluationDetails> evaluations, IQuerySession session,
        PersonalDataVault vault, CancellationToken token)
    {
        var keys = await vault.Keys(session,
            evaluations.SelectMany(e => e.Warnings.Select(w => w.CaregiverName).Append(e.Note)), token);
        return evaluations.Select(e => Of(e, keys)).ToList();
    }
}

/// <summary>A warning as the API shows it: the caregiver's name opened, <c>[erased]</c> once erased.</summary>
public sealed record CaregiverWarningResponse(Guid AgreementId, CareMode Mode, string CaregiverName, Guid? CaregiverFamilyId, DateOnly WarnedOn);

public sealed partial class EvaluationDetailsProjection : SingleStreamProjection<EvaluationDetails, Guid>
{
    /// <summary>A correction is part of the stream: the view's version follows it, so the next write is accepted.</summary>
    public static void Apply(EntryVoided e, EvaluationDetails view)
    {
    }

    /// <summary>A correction on a stream of another kind makes no view.</summary>
    public static EvaluationDetails? Create(EntryVoided e) => null;

    public static EvaluationDetails Create(HouseholdEvaluated e) => new()
    {
        Id = e.EvaluationId, HouseholdId = e.HouseholdId, Township = e.Township, Period = e.Period, From = e.From, To = e.To,
        EvaluatedOn = e.EvaluatedOn, Evaluator = e.Evaluator, QualityOfLife = e.QualityOfLife, MentalState = e.MentalState,
        Score = e.Score, Threshold = e.Threshold, BelowThreshold = Rubric.WarrantsWarning(e.Score, e.Threshold), Note = e.Note,
    };

    public static void Apply(CaregiverWarned e, EvaluationDetails view)
    {
        view.Warnings.Add(new CaregiverWarning(e.AgreementId, e.Mode, e.CaregiverName, e.CaregiverFamilyId, e.WarnedOn));
        view.Warned = true;
    }
}
