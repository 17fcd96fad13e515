using Microsoft.Extensions.DependencyInjection.Extensions;
using Relief.Core.Protection;

namespace Relief.Api.Infrastructure.PersonalData;

public static class PersonalDataSetup
{
    public static IServiceCollection AddReliefPersonalData(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(_ => new PersonalDataKeyRings(configuration));
        services.LoadKeyRingAtStart<PersonalDataKeyRings>();
        // Each request is given its county's vault (Wolverine's endpoints by Tenancy.CountyVaultSource, the others by this).
        services.AddScoped(provider => provider.GetRequiredService<PersonalDataKeyRings>().For(
            provider.GetRequiredService<IHttpContextAccessor>().HttpContext?.Features.Get<Tenancy.County>()?.Code));
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

    /// <summary>The vault of the key ring configured at <paramref name="section"/>; a missing or malformed key stops with the reason.</summary>
    internal static PersonalDataVault VaultFrom(IConfigurationSection section)
    {
        var options = section.Get<PersonalDataOptions>() ?? new();
        var where = section.Path;
        if (options.MasterKeys.Count == 0 || string.IsNullOrEmpty(options.IndexKey) || string.IsNullOrEmpty(options.CurrentMasterKeyId))
        {
            throw new InvalidOperationException(
                $"{where} needs MasterKeys, CurrentMasterKeyId and IndexKey (base64 of 32 random bytes each; " +
                "make one with `openssl rand -base64 32`). See docs/operations.md.");
        }

        MasterKeyRing ring;
        try
        {
            ring = new MasterKeyRing(options.MasterKeys, options.CurrentMasterKeyId);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"{where}:MasterKeys: {e.Message.Split(" (Parameter", 2)[0]}.", e);
        }

        byte[] indexKey;
        try
        {
            indexKey = Convert.FromBase64String(options.IndexKey);
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException($"{where}:IndexKey is not valid base64 (of 32 random bytes).", e);
        }

        if (indexKey.Length != PersonalDataCipher.KeySize)
        {
            throw new InvalidOperationException($"{where}:IndexKey must be base64 of 32 bytes; it is {indexKey.Length} bytes.");
        }

        return new PersonalDataVault(ring, indexKey);
    }
}

/// <summary>
/// The personal-data key rings: the one of <c>Relief:PersonalData</c>, and a county's own under
/// <c>Relief:PersonalData:Counties:&lt;code&gt;</c> (its master keys, current master key id and index
/// key). A county without a ring of its own uses the shared one. Every ring configured at start is
/// loaded then (a bad key stops the start); a ring added to the configuration later (a county
/// added to the registry at run time, its keys in a reloaded secrets file) is loaded when the
/// county is first served.
/// </summary>
public sealed class PersonalDataKeyRings
{
    public const string CountiesSection = "Relief:PersonalData:Counties";

    private readonly IConfiguration _configuration;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, PersonalDataVault> _counties = new(StringComparer.Ordinal);

    public PersonalDataKeyRings(IConfiguration configuration)
    {
        _configuration = configuration;
        Shared = PersonalDataSetup.VaultFrom(configuration.GetSection("Relief:PersonalData"));
        foreach (var county in configuration.GetSection(CountiesSection).GetChildren()) For(county.Key);
    }

    /// <summary>The ring of every county without one of its own.</summary>
    public PersonalDataVault Shared { get; }

    /// <summary>The vault of a county: its own ring if configured, else the shared one (also for no county).</summary>
    public PersonalDataVault For(string? county)
    {
        if (county is null) return Shared;
        if (_counties.TryGetValue(county, out var vault)) return vault;
        var section = _configuration.GetSection($"{CountiesSection}:{county}");
        return section.Exists() ? _counties.GetOrAdd(county, _ => PersonalDataSetup.VaultFrom(section)) : Shared;
    }

    /// <summary>Whether a county has a ring of its own.</summary>
    public bool HasOwn(string county) => For(county) != Shared;
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
