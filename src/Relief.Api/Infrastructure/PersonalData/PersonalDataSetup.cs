using Microsoft.Extensions.DependencyInjection.Extensions;
using Relief.Core.Protection;

namespace Relief.Api.Infrastructure.PersonalData;

public static class PersonalDataSetup
{
    public static IServiceCollection AddReliefPersonalData(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(_ => VaultFrom(configuration));
        services.LoadKeyRingAtStart<PersonalDataVault>();
        return services;
    }

    /// <summary>
    /// Builds <typeparamref name="T"/> (a service holding key material) when the host starts, before
    /// anything else starts or the node answers a request: a node whose keys are missing or malformed
    /// stops there with the reason, instead of reporting ready and failing its first write. Modules
    /// with key rings of their own (the webhook secret box) declare them here too.
    /// </summary>
    public static IServiceCollection LoadKeyRingAtStart<T>(this IServiceCollection services) where T : class
    {
        services.AddSingleton(new KeyRingAtStart(typeof(T)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, KeyRingLoader>());
        return services;
    }

    private static PersonalDataVault VaultFrom(IConfiguration configuration)
    {
        var options = configuration.GetSection("Relief:PersonalData").Get<PersonalDataOptions>() ?? new();
        if (options.MasterKeys.Count == 0 || string.IsNullOrEmpty(options.IndexKey) || string.IsNullOrEmpty(options.CurrentMasterKeyId))
        {
            throw new InvalidOperationException(
                "Relief:PersonalData needs MasterKeys, CurrentMasterKeyId and IndexKey (base64 of 32 random bytes each; " +
                "make one with `openssl rand -base64 32`). See docs/operations.md.");
        }

        MasterKeyRing ring;
        try
        {
            ring = new MasterKeyRing(options.MasterKeys, options.CurrentMasterKeyId);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"Relief:PersonalData:MasterKeys: {e.Message.Split(" (Parameter", 2)[0]}.", e);
        }

        byte[] indexKey;
        try
        {
            indexKey = Convert.FromBase64String(options.IndexKey);
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException("Relief:PersonalData:IndexKey is not valid base64 (of 32 random bytes).", e);
        }

        if (indexKey.Length != PersonalDataCipher.KeySize)
        {
            throw new InvalidOperationException($"Relief:PersonalData:IndexKey must be base64 of 32 bytes; it is {indexKey.Length} bytes.");
        }

        return new PersonalDataVault(ring, indexKey);
    }
}

/// <summary>A service with key material that is built at start-up (see <see cref="PersonalDataSetup.LoadKeyRingAtStart{T}"/>).</summary>
public sealed record KeyRingAtStart(Type Service);

/// <summary>Builds every <see cref="KeyRingAtStart"/> first thing at start-up; the first that fails stops the start.</summary>
internal sealed partial class KeyRingLoader(IServiceProvider services, IEnumerable<KeyRingAtStart> rings, ILogger<KeyRingLoader> logger)
    : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        foreach (var ring in rings.DistinctBy(r => r.Service))
        {
            try
            {
                services.GetRequiredService(ring.Service);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
            {
                throw new InvalidOperationException(
                    $"Relief does not start: the keys of {ring.Service.Name} cannot be loaded. {e.Message}", e);
            }
        }

        if (logger.IsEnabled(LogLevel.Information))
        {
            var names = string.Join(", ", rings.Select(r => r.Service.Name).Distinct());
            KeyRingsLoaded(logger, names);
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 0, Level = LogLevel.Information, Message = "Key rings loaded: {KeyRings}")]
    private static partial void KeyRingsLoaded(ILogger logger, string keyRings);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
