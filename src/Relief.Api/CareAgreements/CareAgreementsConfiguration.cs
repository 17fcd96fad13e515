using Marten;

namespace Relief.Api.CareAgreements;

public static class CareAgreementsConfiguration
{
    public static StoreOptions ConfigureCareAgreements(this StoreOptions opts)
    {
        return opts;
    }
}
