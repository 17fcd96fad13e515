using Marten;

namespace Relief.Api.ExtendedPolicies;

public static class ExtendedPoliciesConfiguration
{
    public static StoreOptions ConfigureExtendedPolicies(this StoreOptions opts)
    {
        return opts;
    }
}
