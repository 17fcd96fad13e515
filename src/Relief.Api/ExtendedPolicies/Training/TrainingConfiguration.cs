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
        // A public-welfare post is placed once: the loser of two concurrent placements of one case is refused here.
        opts.Schema.For<JobPlacementDetails>().Index(x => x.CaregiverFamilyId).UniqueIndex(x => x.CaseId!);
        return opts;
    }
}
