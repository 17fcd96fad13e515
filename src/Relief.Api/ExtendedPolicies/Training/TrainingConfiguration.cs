using JasperFx.Events.Projections;
using Marten;
using Relief.Api.ExtendedPolicies.Training;

// In the module's root namespace, so that Program.cs registers it with one line and no new using.
namespace Relief.Api.ExtendedPolicies;

public static class TrainingConfiguration
{
    /// <summary>Training classes, traineeships and job placements (培训就业); every view inline.</summary>
    public static StoreOptions ConfigureTraining(this StoreOptions opts)
    {
        opts.Projections.Add<TrainingClassDetailsProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add<TraineeshipProjection>(ProjectionLifecycle.Inline);
        opts.Projections.Add<JobPlacementDetailsProjection>(ProjectionLifecycle.Inline);
        opts.Schema.For<Traineeship>().Index(x => x.CaregiverFamilyId);
        opts.Schema.For<JobPlacementDetails>().Index(x => x.CaregiverFamilyId);
        return opts;
    }
}
