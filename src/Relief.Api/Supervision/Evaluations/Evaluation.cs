using Relief.Api.CareAgreements;
using Relief.Core.Protection;
using Relief.Core.Events;

namespace Relief.Api.Supervision;

// The evaluation stream (评比): one stream per evaluation of a household, holding the evaluation
// and the warnings it caused.

/// <summary>The five quality-of-life items, each 1 to 5 (see <see cref="Rubric"/>).</summary>
public sealed record QualityOfLife(int Housing, int Food, int Hygiene, int Health, int Companionship);

/// <summary>
/// A household was evaluated for <c>Period</c> (its label, e.g. <c>2020-Q3</c>, running <c>From</c>–<c>To</c>)
/// on <c>EvaluatedOn</c> by <c>Evaluator</c>. <c>Score</c> is <see cref="Rubric.Score"/> of the items;
/// <c>Threshold</c> is the warning threshold in force when it was recorded. The note is sealed under the
/// household's key.
/// </summary>
public sealed record HouseholdEvaluated(
    Guid EvaluationId,
    Guid HouseholdId,
    string Township,
    string Period,
    DateOnly From,
    DateOnly To,
    DateOnly EvaluatedOn,
    string Evaluator,
    QualityOfLife QualityOfLife,
    int MentalState,
    decimal Score,
    decimal Threshold,
    ProtectedValue? Note) : IHouseholdEvent, ITownshipEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => EvaluatedOn;
}

/// <summary>
/// The caregiver of agreement <c>AgreementId</c> was warned (警示) because the household's evaluation
/// scored <c>Score</c>, below <c>Threshold</c>. <c>CaregiverName</c> is the agreement's caregiver
/// name sealed again under the same person's key (null when the agreement names none, or its key
/// was forgotten): erasing that person erases it here too.
/// </summary>
public sealed record CaregiverWarned(
    Guid EvaluationId,
    Guid HouseholdId,
    Guid AgreementId,
    CareMode Mode,
    ProtectedValue? CaregiverName,
    Guid? CaregiverFamilyId,
    decimal Score,
    decimal Threshold,
    DateOnly WarnedOn) : IHouseholdEvent, IHasBusinessDate
{
    DateOnly IHasBusinessDate.BusinessDate => WarnedOn;
}

/// <summary>The write model of an evaluation: nothing changes it after it is recorded.</summary>
public sealed class Evaluation
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public Guid HouseholdId { get; set; }

    public static Evaluation Create(HouseholdEvaluated e) => new() { Id = e.EvaluationId, HouseholdId = e.HouseholdId };
}
