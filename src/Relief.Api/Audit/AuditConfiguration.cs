using JasperFx.Events.Projections;
using Marten;
using Relief.Api.Audit.Chain;
using Relief.Api.Audit.Disclosures;
using Relief.Api.Audit.Evolution;

namespace Relief.Api.Audit;

public static class AuditConfiguration
{
    /// <summary>
    /// The audit's storage and its async projection: the hash chain and daily anchors
    /// (<see cref="AuditChainProjection"/>, which reads stored rows of the database it chains), and the
    /// positions verifications found intact (<see cref="VerifiedPositions"/>).
    /// </summary>
    public static IServiceCollection AddReliefAudit(this IServiceCollection services)
    {
        services.ConfigureMarten((IServiceProvider provider, StoreOptions opts) =>
        {
            opts.ConfigureEventEvolution();
            foreach (var table in AuditChainProjection.Tables()) opts.Storage.ExtendedSchemaObjects.Add(table);
            foreach (var item in VerifiedPositions.SchemaObjects()) opts.Storage.ExtendedSchemaObjects.Add(item);
            opts.Storage.Add(new HouseholdEventIndexFeature(opts.Advanced.Migrator));
            opts.Events.IgnoreIndex(HouseholdEventIndex.Name);
            AuditChainProjection.Register(opts);
            opts.Projections.Snapshot<PersonalDataDisclosure>(SnapshotLifecycle.Inline);
            opts.Schema.For<PersonalDataDisclosure>().Index(x => x.OwnerId).Index(x => x.At);
        });
        return services;
    }
}
