using Relief.Core.Protection;

namespace Relief.Core.Tests.Protection;

public class MasterKeyRingTests
{
    private static readonly byte[] OldKey = Enumerable.Repeat((byte)1, 32).ToArray();
    private static readonly byte[] NewKey = Enumerable.Repeat((byte)2, 32).ToArray();

    [Fact]
    public void Exposes_the_current_key_and_finds_the_others()
    {
        var ring = new MasterKeyRing(
            new Dictionary<string, string>
            {
                ["mk-2020"] = Convert.ToBase64String(OldKey),
                ["mk-2021"] = Convert.ToBase64String(NewKey),
            },
            "mk-2021");

        Assert.Equal("mk-2021", ring.Current.Id);
        Assert.Equal(NewKey, ring.Current.Key);
        Assert.Equal(OldKey, ring.Find("mk-2020")?.Key);
        Assert.Null(ring.Find("mk-2019"));
        Assert.Equal(["mk-2020", "mk-2021"], ring.KeyIds.Order());
    }

    [Fact]
    public void Key_ids_are_case_sensitive()
    {
        var ring = new MasterKeyRing(new Dictionary<string, string> { ["mk-a"] = Convert.ToBase64String(OldKey) }, "mk-a");

        Assert.Null(ring.Find("MK-A"));
    }

    [Fact]
    public void Refuses_a_key_of_the_wrong_length_and_names_it()
    {
        var error = Assert.Throws<ArgumentException>(() => new MasterKeyRing(
            new Dictionary<string, string>
            {
                ["mk-good"] = Convert.ToBase64String(OldKey),
                ["mk-short"] = Convert.ToBase64String(new byte[16]),
            },
            "mk-good"));

        Assert.Contains("master key 'mk-short' must be 32 bytes", error.Message);
        Assert.Contains("got 16 bytes", error.Message);
    }

    [Fact]
    public void Refuses_a_key_that_is_not_base64_without_echoing_it()
    {
        var error = Assert.Throws<ArgumentException>(() => new MasterKeyRing(
            new Dictionary<string, string> { ["mk-bad"] = "secret-not-base64!" },
            "mk-bad"));

        Assert.Contains("master key 'mk-bad' is not valid base64", error.Message);
        Assert.DoesNotContain("secret-not-base64", error.Message);
    }

    [Fact]
    public void Refuses_an_unknown_current_key()
    {
        var error = Assert.Throws<ArgumentException>(() => new MasterKeyRing(
            new Dictionary<string, string> { ["mk-2020"] = Convert.ToBase64String(OldKey) },
            "mk-2021"));

        Assert.Contains("'mk-2021' is not in the key ring", error.Message);
    }

    [Fact]
    public void Refuses_an_empty_ring()
    {
        Assert.Throws<ArgumentException>(() => new MasterKeyRing(new Dictionary<string, string>(), "mk-1"));
    }

    [Fact]
    public void Refuses_an_empty_key_id()
    {
        Assert.Throws<ArgumentException>(() => new MasterKeyRing(
            new Dictionary<string, string> { [" "] = Convert.ToBase64String(OldKey) },
            " "));
    }
}
