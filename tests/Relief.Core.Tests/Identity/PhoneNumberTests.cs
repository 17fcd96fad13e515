using Relief.Core.Identity;

namespace Relief.Core.Tests.Identity;

public class PhoneNumberTests
{
    [Theory]
    [InlineData("13800138000")]
    [InlineData("15937112345")]
    [InlineData("19912345678")]
    public void Accepts_mobile_numbers(string input)
    {
        var check = PhoneNumber.Validate(input);

        Assert.True(check.IsValid, check.Error);
        Assert.Equal(input, check.Value);
        Assert.Equal(PhoneKind.Mobile, check.Kind);
        Assert.Null(check.Error);
    }

    [Theory]
    [InlineData("0391-1234567")]
    [InlineData("010-12345678")]
    [InlineData("0371-87654321")]
    [InlineData("021-1234567")]
    public void Accepts_landlines_with_their_area_code(string input)
    {
        var check = PhoneNumber.Validate(input);

        Assert.True(check.IsValid, check.Error);
        Assert.Equal(input, check.Value);
        Assert.Equal(PhoneKind.Landline, check.Kind);
    }

    [Fact]
    public void Trims_leading_and_trailing_whitespace()
    {
        var check = PhoneNumber.Validate(" 13800138000\n");

        Assert.True(check.IsValid, check.Error);
        Assert.Equal("13800138000", check.Value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \t ")]
    public void Requires_a_value(string? input)
    {
        var check = PhoneNumber.Validate(input);

        Assert.False(check.IsValid);
        Assert.Null(check.Value);
        Assert.Null(check.Kind);
        Assert.Equal("a phone number is required", check.Error);
    }

    [Theory]
    [InlineData("１３８００１３８０００")]
    [InlineData("1380013800０")]
    [InlineData("0391-１234567")]
    public void Rejects_full_width_digits_with_the_half_width_message(string input)
    {
        var check = PhoneNumber.Validate(input);

        Assert.False(check.IsValid);
        Assert.Equal("use half-width (ASCII) digits; full-width digits such as '１' are not accepted", check.Error);
    }

    [Theory]
    [InlineData("138 0013 8000")]
    [InlineData("0391- 1234567")]
    public void Rejects_inner_whitespace(string input)
    {
        var check = PhoneNumber.Validate(input);

        Assert.False(check.IsValid);
        Assert.Equal("a phone number must not contain spaces", check.Error);
    }

    [Theory]
    [InlineData("1380013800", 10)]
    [InlineData("138001380001", 12)]
    public void Rejects_a_mobile_of_the_wrong_length(string input, int length)
    {
        var check = PhoneNumber.Validate(input);

        Assert.False(check.IsValid);
        Assert.Equal($"a mobile number has 11 digits; got {length}", check.Error);
    }

    [Theory]
    [InlineData("12800138000")]
    [InlineData("10086000000")]
    public void Rejects_a_mobile_outside_13_to_19(string input)
    {
        var check = PhoneNumber.Validate(input);

        Assert.False(check.IsValid);
        Assert.Equal("a mobile number must start with 13 to 19", check.Error);
    }

    [Theory]
    [InlineData("03911234567")]      // no hyphen
    [InlineData("0391-123456")]      // 6 digits
    [InlineData("0391-123456789")]   // 9 digits
    [InlineData("03912-1234567")]    // 5-digit area code
    [InlineData("01-1234567")]       // 2-digit area code
    [InlineData("0391-12345a7")]
    [InlineData("0391-1\u0662\u0663\u0664567")] // ARABIC-INDIC DIGITS
    public void Rejects_malformed_landlines(string input)
    {
        var check = PhoneNumber.Validate(input);

        Assert.False(check.IsValid);
        Assert.StartsWith("a landline number must be its area code", check.Error);
    }

    [Theory]
    [InlineData("+8613800138000")]
    [InlineData("hello")]
    [InlineData("23800138000")]
    [InlineData("1380013800a")]
    public void Rejects_anything_else_with_the_general_message(string input)
    {
        var check = PhoneNumber.Validate(input);

        Assert.False(check.IsValid);
        Assert.Equal(
            "a phone number must be an 11-digit mobile number (e.g. 13800138000) or a landline with its area code (e.g. 0391-1234567)",
            check.Error);
    }

    [Fact]
    public void Rejects_other_unicode_digits()
    {
        // ARABIC-INDIC DIGIT EIGHT: .NET's \d would accept it; the validator must not.
        var check = PhoneNumber.Validate("13\u066800138000");

        Assert.False(check.IsValid);
        Assert.StartsWith("a phone number must be an 11-digit mobile number", check.Error);
    }

    [Theory]
    [InlineData("13800138000", "138****8000")]
    [InlineData("0391-1234567", "0391-***4567")]
    [InlineData("010-12345678", "010-****5678")]
    public void Masks_all_but_the_prefix_and_the_last_four(string number, string masked)
    {
        Assert.Equal(masked, PhoneNumber.Mask(number));
    }

    [Theory]
    [InlineData("1380013800")]
    [InlineData("13800138000\n")]
    [InlineData("0391 1234567")]
    public void Mask_refuses_values_that_are_not_normalized(string input)
    {
        Assert.Throws<ArgumentException>(() => PhoneNumber.Mask(input));
    }
}
