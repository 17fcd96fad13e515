using Marten;

namespace Relief.Api.CaregiverFamilies;

public static class CaregiverFamiliesConfiguration
{
    public static StoreOptions ConfigureCaregiverFamilies(this StoreOptions opts)
    {
        return opts;
    }
}
