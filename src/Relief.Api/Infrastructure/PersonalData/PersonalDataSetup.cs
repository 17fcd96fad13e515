using Relief.Core.Protection;

namespace Relief.Api.Infrastructure.PersonalData;

public static class PersonalDataSetup
{
    public static IServiceCollection AddReliefPersonalData(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(_ =>
        {
            var options = configuration.GetSection("Relief:PersonalData").Get<PersonalDataOptions>() ?? new();
            if (options.MasterKeys.Count == 0 || string.IsNullOrEmpty(options.IndexKey))
            {
                throw new InvalidOperationException(
                    "Relief:PersonalData needs MasterKeys, CurrentMasterKeyId and IndexKey (base64 of 32 random bytes each; " +
                    "make one with `openssl rand -base64 32`). See docs in the README.");
            }

            var ring = new MasterKeyRing(options.MasterKeys, options.CurrentMasterKeyId);
            var indexKey = Convert.FromBase64String(options.IndexKey);
            if (indexKey.Length != PersonalDataCipher.KeySize)
            {
                throw new InvalidOperationException("Relief:PersonalData:IndexKey must be base64 of 32 bytes.");
            }

            return new PersonalDataVault(ring, indexKey);
        });
        return services;
    }
}
