using Relief.Api.Infrastructure.PersonalData;
using Relief.Core.Protection;

namespace Relief.Api.Notifications;

/// <summary>
/// A subscription's signing secret, encrypted: a random data key wrapped by the current master key
/// (<c>Relief:PersonalData</c>), and the secret sealed under that key, bound to the subscription.
/// The secret is kept because Relief must sign every delivery with it; it is never returned.
/// A database dump without the master keys yields no usable secret. Deleted on cancellation.
/// </summary>
public sealed class WebhookSecret
{
    public Guid Id { get; set; }
    public WrappedKey Wrapped { get; set; } = new("", "");
    public ProtectedValue Secret { get; set; } = new("", "");
}

/// <summary>Seals and opens webhook secrets with Relief's master-key ring.</summary>
public sealed class WebhookSecretBox(MasterKeyRing ring)
{
    public static WebhookSecretBox From(IConfiguration configuration)
    {
        var options = configuration.GetSection("Relief:PersonalData").Get<PersonalDataOptions>() ?? new();
        return new WebhookSecretBox(new MasterKeyRing(options.MasterKeys, options.CurrentMasterKeyId));
    }

    public WebhookSecret Seal(Guid subscriptionId, string secret)
    {
        var dataKey = PersonalDataCipher.NewDataKey();
        return new WebhookSecret
        {
            Id = subscriptionId,
            Wrapped = PersonalDataCipher.Wrap(ring, dataKey, Owner(subscriptionId)),
            Secret = PersonalDataCipher.Encrypt(dataKey, $"webhook-{subscriptionId:N}", secret, Owner(subscriptionId)),
        };
    }

    public string Open(WebhookSecret sealedSecret) =>
        PersonalDataCipher.Decrypt(PersonalDataCipher.Unwrap(ring, sealedSecret.Wrapped, Owner(sealedSecret.Id)),
            sealedSecret.Secret, Owner(sealedSecret.Id));

    private static string Owner(Guid subscriptionId) => $"webhook-subscription:{subscriptionId}";
}
