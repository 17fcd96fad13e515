using Alba;
using Microsoft.Extensions.DependencyInjection;

namespace Relief.Api.Tests.Infrastructure;

/// <summary>A node whose keys cannot be loaded does not start, and says why.</summary>
public sealed class StartupTests
{
    [Theory]
    [InlineData("Relief:PersonalData:MasterKeys:test-1", "not base64!", "master key 'test-1' is not valid base64")]
    [InlineData("Relief:PersonalData:MasterKeys:test-1", "c2hvcnQ=", "must be 32 bytes")]
    [InlineData("Relief:PersonalData:CurrentMasterKeyId", "test-2", "'test-2' is not in the key ring")]
    [InlineData("Relief:PersonalData:IndexKey", "c2hvcnQ=", "IndexKey must be base64 of 32 bytes")]
    [InlineData("Relief:PersonalData:Counties:410825:IndexKey", "c2hvcnQ=", "Relief:PersonalData:Counties:410825 needs MasterKeys")]
    public async Task A_node_with_a_malformed_key_does_not_start_and_says_which(string setting, string value, string reason)
    {
        var settings = new Dictionary<string, string>(OtherHost.PersonalDataKeys) { [setting] = value };

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => OtherHost.StartAsync("Production", settings));

        var message = string.Join(" | ", Causes(refused).Select(e => e.Message));
        Assert.Contains("Relief does not start", message);
        Assert.Contains(reason, message);
    }

    [Fact]
    public async Task A_node_with_good_keys_starts()
    {
        await using var host = await OtherHost.StartAsync("Production", OtherHost.PersonalDataKeys);

        await host.Scenario(s => s.Get.Url("/health/live"));
        var loaded = host.Services.GetServices<Relief.Api.Infrastructure.PersonalData.KeyRingAtStart>().Select(k => k.Service.Name);
        Assert.Equal(["PersonalDataKeyRings", "WebhookSecretBox"], loaded.Order());
    }

    private static IEnumerable<Exception> Causes(Exception e)
    {
        for (var cause = e; cause is not null; cause = cause.InnerException) yield return cause;
    }
}
