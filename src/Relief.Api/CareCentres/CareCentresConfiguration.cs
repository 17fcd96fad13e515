using Marten;

namespace Relief.Api.CareCentres;

public static class CareCentresConfiguration
{
    public static StoreOptions ConfigureCareCentres(this StoreOptions opts)
    {
        return opts;
    }
}
