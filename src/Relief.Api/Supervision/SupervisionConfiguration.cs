using JasperFx.Events.Projections;
using Marten;

namespace Relief.Api.Supervision;

public static class SupervisionConfiguration
{
    /// <summary>Recognition, inspections, evaluations, happiness surveys and verification rounds; every view inline (read right after a write).</summary>
    public static StoreOptions ConfigureSupervision(this StoreOptions opts)
    {
        opts.Projections.Add<ExemplaryDeedMeetingDetailsProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add<HonourDetailsProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add<MaterialRewardDetailsProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add<InspectionDetailsProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add<EvaluationDetailsProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add<HappinessSurveyDetailsProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add<VerificationRoundDetailsProjection>(ProjectionLifecycle.Inline);
        opts.Schema.For<HonourDetails>().Index(x => x.CaregiverFamilyId);
        opts.Schema.For<MaterialRewardDetails>().Index(x => x.CaregiverFamilyId);
        opts.Schema.For<InspectionDetails>().Index(x => x.HouseholdId);
        opts.Schema.For<EvaluationDetails>().Index(x => x.HouseholdId);
        opts.Schema.For<HappinessSurveyDetails>().Index(x => x.HouseholdId).Index(x => x.Township);
        opts.Schema.For<VerificationRoundDetails>().Index(x => x.Township);
        return opts;
    }
}
