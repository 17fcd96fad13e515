using Marten;

namespace Relief.Api.Supervision;

public static class SupervisionConfiguration
{
    public static StoreOptions ConfigureSupervision(this StoreOptions opts)
    {
        return opts;
    }
}
