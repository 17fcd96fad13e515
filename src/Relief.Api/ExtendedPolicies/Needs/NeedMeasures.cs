using Marten;
using Relief.Api.CaregiverFamilies;
using Relief.Api.ExtendedPolicies.Training;
using Relief.Api.Infrastructure.Security;

namespace Relief.Api.ExtendedPolicies.Needs;

/// <summary>
/// The measures of caregiver families, read from the views that already hold them (policy cases,
/// traineeships, placements, the families' family-doctor agreements): the needs routes join them to
/// the surveys with <see cref="NeedFulfilment"/> instead of keeping a second copy to rebuild.
/// </summary>
public static class NeedMeasures
{
    /// <summary>The ownership fact of each of the eight policies (training and the family doctor included).</summary>
    public static string FactOf(ExtendedPolicy policy) => Owns.FactOf(policy switch
    {
        ExtendedPolicy.TrainingAndEmployment => Owns.TrainingAndEmployment,
        ExtendedPolicy.FamilyDoctor => Owns.FamilyDoctor,
        _ => PolicyCaseRules.OwnsPolicyOf(policy),
    });

    /// <summary>The departments that own a policy (configuration, not code).</summary>
    public static IReadOnlyList<Department> OwnersOf(ExtendedPolicy policy, OwnershipTable ownership) => ownership.OwnersOf(FactOf(policy));

    /// <summary>The families with a survey (of one township, or one family) and their measures, in one round trip.</summary>
    public static async Task<(IReadOnlyList<CaregiverFamilyDetails> Families, ILookup<Guid, Measure> Measures)> LoadAsync(
        IQuerySession session, string? township, Guid? familyId, CancellationToken token)
    {
        var batch = session.CreateBatchQuery();
        var familyQuery = batch.Query<CaregiverFamilyDetails>().Where(f => f.Registered && f.Needs != null);
        var caseQuery = batch.Query<PolicyCaseDetails>().Where(c => c.CaregiverFamilyId != null);
        var enrolmentQuery = batch.Query<Traineeship>();
        var placementQuery = batch.Query<JobPlacementDetails>();
        if (township is not null)
        {
            familyQuery = familyQuery.Where(f => f.Township == township);
            caseQuery = caseQuery.Where(c => c.Township == township);
            enrolmentQuery = enrolmentQuery.Where(t => t.Township == township);
            placementQuery = placementQuery.Where(p => p.Township == township);
        }

        if (familyId is { } id)
        {
            familyQuery = familyQuery.Where(f => f.Id == id);
            caseQuery = caseQuery.Where(c => c.CaregiverFamilyId == id);
            enrolmentQuery = enrolmentQuery.Where(t => t.CaregiverFamilyId == id);
            placementQuery = placementQuery.Where(p => p.CaregiverFamilyId == id);
        }

        var families = familyQuery.ToList();
        var cases = caseQuery.ToList();
        var enrolments = enrolmentQuery.ToList();
        var placements = placementQuery.ToList();
        await batch.Execute(token);

        var found = await families;
        var measures = (await cases).Select(c => (Family: c.CaregiverFamilyId!.Value, Measure: Of(c)))
            .Concat((await enrolments).Select(t => (t.CaregiverFamilyId, Of(t))))
            .Concat((await placements).Select(p => (p.CaregiverFamilyId, Of(p))))
            .Concat(found.SelectMany(f => f.Members.Where(m => m.FamilyDoctor is not null).Select(m => (f.Id, Of(m.FamilyDoctor!)))))
            .ToLookup(m => m.Item1, m => m.Item2);
        return (found, measures);
    }

    public static Measure Of(PolicyCaseDetails c) =>
        new(c.Policy, MeasureKind.PolicyCase, c.Id, c.OpenedOn, c.GrantedOn, c.Open);

    public static Measure Of(Traineeship t) =>
        new(ExtendedPolicy.TrainingAndEmployment, MeasureKind.Enrolment, t.Id, t.EnrolledOn,
            t.Status == EnrolmentStatus.Withdrawn ? null : t.EnrolledOn, false);

    public static Measure Of(JobPlacementDetails p) =>
        new(ExtendedPolicy.TrainingAndEmployment, MeasureKind.Placement, p.Id, p.PlacedOn, p.PlacedOn, false);

    public static Measure Of(FamilyDoctorAgreement a) =>
        new(ExtendedPolicy.FamilyDoctor, MeasureKind.FamilyDoctorAgreement, a.AgreementId, a.SignedOn, a.SignedOn, false);

    /// <summary>The latest survey of a family as the rule reads it.</summary>
    public static SurveyedNeeds? SurveyOf(CaregiverFamilyDetails family) =>
        family.Needs is { } needs ? new SurveyedNeeds(needs.SurveyedOn, needs.Needs) : null;
}
