using System.Security.Cryptography;
using Relief.Core.Protection;

namespace Relief.Core.Tests.Protection;

public class PersonalDataCipherTests
{
    private const string Owner = "household-member:0196f3a2-0000-7000-8000-000000000001:name";
    private static readonly byte[] DataKey = Key(1);
    private static readonly byte[] MasterKey = Key(2);

    [Theory]
    [InlineData("张秀英")]
    [InlineData("河南省焦作市武陟县木城街道 · 五养八延伸 🏠")]
    [InlineData("")]
    public void Round_trips_text(string plaintext)
    {
        var value = PersonalDataCipher.Encrypt(DataKey, "dk-1", plaintext, Owner);

        Assert.Equal("dk-1", value.KeyId);
        Assert.Equal(plaintext, PersonalDataCipher.Decrypt(DataKey, value, Owner));
    }

    [Fact]
    public void Ciphertext_is_nonce_then_ciphertext_then_tag()
    {
        var plaintext = "张秀英"; // 9 bytes of UTF-8

        var value = PersonalDataCipher.Encrypt(DataKey, "dk-1", plaintext, Owner);

        Assert.Equal(12 + 9 + 16, Convert.FromBase64String(value.Ciphertext).Length);
        Assert.DoesNotContain(plaintext, value.Ciphertext);
    }

    [Fact]
    public void Each_encryption_uses_a_new_nonce()
    {
        var first = PersonalDataCipher.Encrypt(DataKey, "dk-1", "张秀英", Owner);
        var second = PersonalDataCipher.Encrypt(DataKey, "dk-1", "张秀英", Owner);

        Assert.NotEqual(first.Ciphertext, second.Ciphertext);
        Assert.NotEqual(
            Convert.FromBase64String(first.Ciphertext)[..12],
            Convert.FromBase64String(second.Ciphertext)[..12]);
    }

    [Theory]
    [InlineData(0)]   // nonce
    [InlineData(14)]  // ciphertext
    [InlineData(-1)]  // tag
    public void Rejects_a_value_with_one_byte_changed(int position)
    {
        var value = PersonalDataCipher.Encrypt(DataKey, "dk-1", "410823195003150010", Owner);
        var bytes = Convert.FromBase64String(value.Ciphertext);
        var index = position >= 0 ? position : bytes.Length + position;
        bytes[index] ^= 0x01;
        var tampered = value with { Ciphertext = Convert.ToBase64String(bytes) };

        var error = Assert.Throws<ProtectedDataException>(() => PersonalDataCipher.Decrypt(DataKey, tampered, Owner));

        Assert.IsAssignableFrom<CryptographicException>(error);
        Assert.Contains("'dk-1'", error.Message);
    }

    [Fact]
    public void Rejects_the_wrong_associated_data()
    {
        var value = PersonalDataCipher.Encrypt(DataKey, "dk-1", "张秀英", Owner);

        Assert.Throws<ProtectedDataException>(() =>
            PersonalDataCipher.Decrypt(DataKey, value, "household-member:someone-else:name"));
    }

    [Fact]
    public void Rejects_the_wrong_key()
    {
        var value = PersonalDataCipher.Encrypt(DataKey, "dk-1", "张秀英", Owner);

        Assert.Throws<ProtectedDataException>(() => PersonalDataCipher.Decrypt(Key(3), value, Owner));
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("AAAA")]
    [InlineData("")]
    public void Rejects_malformed_ciphertext(string ciphertext)
    {
        var value = new ProtectedValue("dk-1", ciphertext);

        Assert.Throws<ProtectedDataException>(() => PersonalDataCipher.Decrypt(DataKey, value, Owner));
    }

    [Theory]
    [InlineData(16)]
    [InlineData(31)]
    [InlineData(33)]
    public void Refuses_keys_that_are_not_32_bytes(int length)
    {
        var shortKey = new byte[length];

        Assert.Throws<ArgumentException>(() => PersonalDataCipher.Encrypt(shortKey, "dk-1", "x", Owner));
        Assert.Throws<ArgumentException>(() => PersonalDataCipher.Wrap(shortKey, "mk-1", DataKey, Owner));
        Assert.Throws<ArgumentException>(() => PersonalDataCipher.Wrap(MasterKey, "mk-1", shortKey, Owner));
        Assert.Throws<ArgumentException>(() => PersonalDataCipher.BlindIndex(shortKey, "phone", "13800138000"));
    }

    [Fact]
    public void New_data_keys_are_32_random_bytes()
    {
        var first = PersonalDataCipher.NewDataKey();
        var second = PersonalDataCipher.NewDataKey();

        Assert.Equal(32, first.Length);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Wraps_and_unwraps_a_data_key_for_its_owner()
    {
        var dataKey = PersonalDataCipher.NewDataKey();

        var wrapped = PersonalDataCipher.Wrap(MasterKey, "mk-2020", dataKey, "household:42");

        Assert.Equal("mk-2020", wrapped.MasterKeyId);
        Assert.Equal(12 + 32 + 16, Convert.FromBase64String(wrapped.Value).Length);
        Assert.Equal(dataKey, PersonalDataCipher.Unwrap(MasterKey, wrapped, "household:42"));
    }

    [Fact]
    public void Unwrap_fails_for_another_owner()
    {
        var wrapped = PersonalDataCipher.Wrap(MasterKey, "mk-2020", DataKey, "household:42");

        var error = Assert.Throws<ProtectedDataException>(() =>
            PersonalDataCipher.Unwrap(MasterKey, wrapped, "household:43"));

        Assert.Contains("'mk-2020'", error.Message);
    }

    [Fact]
    public void Unwrap_fails_with_another_master_key()
    {
        var wrapped = PersonalDataCipher.Wrap(MasterKey, "mk-2020", DataKey, "household:42");

        Assert.Throws<ProtectedDataException>(() => PersonalDataCipher.Unwrap(Key(9), wrapped, "household:42"));
    }

    [Fact]
    public void Unwrap_fails_when_the_wrapped_key_was_altered()
    {
        var wrapped = PersonalDataCipher.Wrap(MasterKey, "mk-2020", DataKey, "household:42");
        var bytes = Convert.FromBase64String(wrapped.Value);
        bytes[20] ^= 0x80;

        Assert.Throws<ProtectedDataException>(() =>
            PersonalDataCipher.Unwrap(MasterKey, wrapped with { Value = Convert.ToBase64String(bytes) }, "household:42"));
    }

    [Fact]
    public void Envelope_encryption_end_to_end_with_a_key_ring()
    {
        var ring = new MasterKeyRing(
            new Dictionary<string, string> { ["mk-old"] = Base64(Key(4)), ["mk-new"] = Base64(Key(5)) },
            currentKeyId: "mk-new");
        var dataKey = PersonalDataCipher.NewDataKey();
        var wrapped = PersonalDataCipher.Wrap(ring, dataKey, "household:42");
        var value = PersonalDataCipher.Encrypt(dataKey, "household:42", "张秀英", Owner);

        var unwrapped = PersonalDataCipher.Unwrap(ring, wrapped, "household:42");

        Assert.Equal("mk-new", wrapped.MasterKeyId);
        Assert.Equal("张秀英", PersonalDataCipher.Decrypt(unwrapped, value, Owner));
    }

    [Fact]
    public void Unwrap_with_a_ring_uses_the_key_named_by_the_wrapped_key()
    {
        var old = PersonalDataCipher.Wrap(Key(4), "mk-old", DataKey, "household:42");
        var ring = new MasterKeyRing(
            new Dictionary<string, string> { ["mk-old"] = Base64(Key(4)), ["mk-new"] = Base64(Key(5)) },
            currentKeyId: "mk-new");

        Assert.Equal(DataKey, PersonalDataCipher.Unwrap(ring, old, "household:42"));
    }

    [Fact]
    public void Unwrap_with_a_ring_fails_clearly_for_an_unknown_master_key()
    {
        var ring = new MasterKeyRing(new Dictionary<string, string> { ["mk-new"] = Base64(Key(5)) }, "mk-new");
        var wrapped = PersonalDataCipher.Wrap(Key(4), "mk-retired", DataKey, "household:42");

        var error = Assert.Throws<ProtectedDataException>(() => PersonalDataCipher.Unwrap(ring, wrapped, "household:42"));

        Assert.Equal("master key 'mk-retired' is not in the key ring", error.Message);
    }

    [Fact]
    public void Blind_index_is_deterministic_lowercase_hex()
    {
        var first = PersonalDataCipher.BlindIndex(Key(6), "resident-id", "410823195003150010");
        var second = PersonalDataCipher.BlindIndex(Key(6), "resident-id", "410823195003150010");

        Assert.Equal(first, second);
        Assert.Matches("^[0-9a-f]{64}$", first);
    }

    [Fact]
    public void Blind_index_is_HMAC_SHA256_of_kind_colon_value()
    {
        var expected = Convert.ToHexStringLower(
            HMACSHA256.HashData(Key(6), "phone:13800138000"u8.ToArray()));

        Assert.Equal(expected, PersonalDataCipher.BlindIndex(Key(6), "phone", "13800138000"));
    }

    [Fact]
    public void Blind_index_differs_by_kind()
    {
        Assert.NotEqual(
            PersonalDataCipher.BlindIndex(Key(6), "resident-id", "13800138000"),
            PersonalDataCipher.BlindIndex(Key(6), "phone", "13800138000"));
    }

    [Fact]
    public void Blind_index_differs_by_key()
    {
        Assert.NotEqual(
            PersonalDataCipher.BlindIndex(Key(6), "phone", "13800138000"),
            PersonalDataCipher.BlindIndex(Key(7), "phone", "13800138000"));
    }

    [Fact]
    public void Blind_index_differs_by_value()
    {
        Assert.NotEqual(
            PersonalDataCipher.BlindIndex(Key(6), "phone", "13800138000"),
            PersonalDataCipher.BlindIndex(Key(6), "phone", "13800138001"));
    }

    [Fact]
    public void Blind_index_refuses_a_kind_with_a_colon()
    {
        // Otherwise ("a:b", "c") and ("a", "b:c") would hash the same input.
        Assert.Throws<ArgumentException>(() => PersonalDataCipher.BlindIndex(Key(6), "a:b", "c"));
        Assert.Throws<ArgumentException>(() => PersonalDataCipher.BlindIndex(Key(6), "", "c"));
    }

    private static byte[] Key(byte seed) => Enumerable.Range(0, 32).Select(i => (byte)(seed * 31 + i)).ToArray();

    private static string Base64(byte[] key) => Convert.ToBase64String(key);
}
