using Relief.Core.Identity;

namespace Relief.Core.Tests.Identity;

public class ResidentIdTests
{
    private static readonly DateOnly Today = new(2020, 10, 1);

    // Worked check digit for 41082319500315001? (Wuzhi County, born 1950-03-15, sequence 001):
    //   digits   4  1  0  8  2  3  1  9  5  0  0  3  1  5  0  0  1
    //   weights  7  9 10  5  8  4  2  1  6  3  7  9 10  5  8  4  2
    //   products 28 9  0 40 16 12  2  9 30  0  0 27 10 25  0  0  2   sum = 210
    //   210 mod 11 = 1  →  "10X98765432"[1] = '0'
    private const string WorkedExample = "410823195003150010";

    // The sample in GB 11643-1999 itself: sum 167, 167 mod 11 = 2 → 'X'.
    private const string StandardSample = "11010519491231002X";

    [Theory]
    [InlineData(WorkedExample)]
    [InlineData(StandardSample)]
    public void Accepts_hand_verified_numbers(string number)
    {
        var check = ResidentId.Validate(number, Today);

        Assert.True(check.IsValid, check.Error);
        Assert.Equal(number, check.Value);
        Assert.Null(check.Error);
    }

    [Fact]
    public void Check_character_matches_the_worked_computation()
    {
        Assert.Equal('0', ResidentId.CheckCharacter("41082319500315001"));
        Assert.Equal('X', ResidentId.CheckCharacter("11010519491231002"));
    }

    // One number per remainder 0..10, computed independently of this code (weights as above).
    [Theory]
    [InlineData("41082319500315006", '1')] // remainder 0
    [InlineData("41082319500315001", '0')] // remainder 1
    [InlineData("41082319500315007", 'X')] // remainder 2
    [InlineData("41082319500315002", '9')] // remainder 3
    [InlineData("41082319500315008", '8')] // remainder 4
    [InlineData("41082319500315003", '7')] // remainder 5
    [InlineData("41082319500315009", '6')] // remainder 6
    [InlineData("41082319500315004", '5')] // remainder 7
    [InlineData("41082319500315018", '4')] // remainder 8
    [InlineData("41082319500315005", '3')] // remainder 9
    [InlineData("41082319500315019", '2')] // remainder 10
    public void Check_character_covers_every_remainder(string first17, char expected)
    {
        Assert.Equal(expected, ResidentId.CheckCharacter(first17));
        Assert.True(ResidentId.Validate(first17 + expected, Today).IsValid);
    }

    [Theory]
    [InlineData("4108231950031500")]
    [InlineData("410823195003150010")]
    [InlineData("4108231950031500A")]
    public void Check_character_refuses_anything_but_17_digits(string input)
    {
        Assert.Throws<ArgumentException>(() => ResidentId.CheckCharacter(input));
    }

    [Fact]
    public void Create_reproduces_the_worked_example()
    {
        Assert.Equal(WorkedExample, ResidentId.Create("410823", new DateOnly(1950, 3, 15), 1));
    }

    [Fact]
    public void Numbers_made_by_Create_are_valid_across_dates_and_sequences()
    {
        var seen = new HashSet<char>();
        for (var sequence = 0; sequence < 200; sequence++)
        {
            var birthDate = new DateOnly(1900, 1, 1).AddDays(sequence * 197);
            var number = ResidentId.Create("410823", birthDate, sequence);
            seen.Add(number[17]);

            var check = ResidentId.Validate(number, Today);

            Assert.True(check.IsValid, $"{number}: {check.Error}");
            Assert.Equal(birthDate, ResidentId.BirthDate(number));
        }

        // All eleven check characters, X included, came up.
        Assert.Equal(11, seen.Count);
    }

    [Fact]
    public void Rejects_a_wrong_check_character_and_names_the_expected_one()
    {
        var check = ResidentId.Validate("410823195003150011", Today);

        Assert.False(check.IsValid);
        Assert.Null(check.Value);
        Assert.Equal("the check character is wrong: the 18th character should be '0'", check.Error);
    }

    [Fact]
    public void Rejects_a_digit_where_X_is_expected()
    {
        var check = ResidentId.Validate("110105194912310021", Today);

        Assert.False(check.IsValid);
        Assert.Contains("should be 'X'", check.Error);
    }

    [Fact]
    public void Rejects_a_swapped_pair_of_digits()
    {
        var check = ResidentId.Validate("410823195003510010", Today);

        Assert.False(check.IsValid);
    }

    [Fact]
    public void Normalizes_a_lowercase_x()
    {
        var check = ResidentId.Validate("11010519491231002x", Today);

        Assert.True(check.IsValid, check.Error);
        Assert.Equal(StandardSample, check.Value);
    }

    [Fact]
    public void Trims_leading_and_trailing_whitespace()
    {
        var check = ResidentId.Validate("  410823195003150010\t\n", Today);

        Assert.True(check.IsValid, check.Error);
        Assert.Equal(WorkedExample, check.Value);
    }

    [Theory]
    [InlineData("410823 195003150010")]
    [InlineData("410823\u00A0195003150010")]
    [InlineData("4108231950031500 1")]
    public void Rejects_inner_whitespace(string input)
    {
        var check = ResidentId.Validate(input, Today);

        Assert.False(check.IsValid);
        Assert.Equal("a resident ID number must not contain spaces", check.Error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Requires_a_value(string? input)
    {
        var check = ResidentId.Validate(input, Today);

        Assert.False(check.IsValid);
        Assert.Equal("a resident ID number is required", check.Error);
    }

    [Fact]
    public void Rejects_17_characters()
    {
        var check = ResidentId.Validate("41082319500315001", Today);

        Assert.False(check.IsValid);
        Assert.Equal("a resident ID number has 18 characters; got 17", check.Error);
    }

    [Fact]
    public void Rejects_19_characters()
    {
        var check = ResidentId.Validate("4108231950031500100", Today);

        Assert.False(check.IsValid);
        Assert.Equal("a resident ID number has 18 characters; got 19", check.Error);
    }

    [Fact]
    public void Rejects_an_old_15_digit_number()
    {
        var check = ResidentId.Validate("410823500315001", Today);

        Assert.False(check.IsValid);
        Assert.Contains("got 15", check.Error);
    }

    [Theory]
    [InlineData("４１０８２３１９５００３１５００１０")]
    [InlineData("410823195003150０10")]
    [InlineData("11010519491231002Ｘ")]
    [InlineData("11010519491231002ｘ")]
    public void Rejects_full_width_characters_with_the_half_width_message(string input)
    {
        var check = ResidentId.Validate(input, Today);

        Assert.False(check.IsValid);
        Assert.Equal("use half-width (ASCII) digits; full-width digits such as '１' are not accepted", check.Error);
    }

    [Theory]
    [InlineData("41082319500315O010", 15, 'O')]
    [InlineData("A10823195003150010", 1, 'A')]
    [InlineData("4108231950031500X0", 17, 'X')]
    [InlineData("410823195003\u066350010", 13, '\u0663')] // ARABIC-INDIC DIGIT THREE
    public void Rejects_letters_and_other_digits_among_the_first_17(string input, int position, char found)
    {
        var check = ResidentId.Validate(input, Today);

        Assert.False(check.IsValid);
        Assert.Equal($"the first 17 characters must be digits; character {position} is '{found}'", check.Error);
    }

    [Theory]
    [InlineData("41082319500315001Y")]
    [InlineData("41082319500315001-")]
    public void Rejects_a_last_character_other_than_a_digit_or_X(string input)
    {
        var check = ResidentId.Validate(input, Today);

        Assert.False(check.IsValid);
        Assert.Equal($"the last character must be a digit or X; got '{input[17]}'", check.Error);
    }

    [Fact]
    public void Rejects_February_30()
    {
        var number = WithCheckCharacter("41082319800230001");

        var check = ResidentId.Validate(number, Today);

        Assert.False(check.IsValid);
        Assert.Equal("characters 7 to 14 must be a real birth date (yyyyMMdd); '19800230' is not", check.Error);
    }

    [Theory]
    [InlineData("41082319810229001")] // 1981 is not a leap year
    [InlineData("41082319801301001")] // month 13
    [InlineData("41082319800100001")] // day 0
    [InlineData("41082300000101001")] // year 0
    public void Rejects_other_impossible_dates(string first17)
    {
        var check = ResidentId.Validate(WithCheckCharacter(first17), Today);

        Assert.False(check.IsValid);
        Assert.StartsWith("characters 7 to 14 must be a real birth date", check.Error);
    }

    [Fact]
    public void Accepts_February_29_of_a_leap_year()
    {
        var check = ResidentId.Validate(WithCheckCharacter("41082320000229002"), Today);

        Assert.True(check.IsValid, check.Error);
    }

    [Fact]
    public void Rejects_a_birth_date_after_today()
    {
        var number = ResidentId.Create("410823", Today.AddDays(1), 1);

        var check = ResidentId.Validate(number, Today);

        Assert.False(check.IsValid);
        Assert.Equal("the birth date 2020-10-02 is in the future", check.Error);
    }

    [Fact]
    public void Accepts_a_birth_date_of_today()
    {
        var check = ResidentId.Validate(ResidentId.Create("410823", Today, 1), Today);

        Assert.True(check.IsValid, check.Error);
    }

    [Fact]
    public void Rejects_a_birth_date_before_1900()
    {
        var check = ResidentId.Validate(WithCheckCharacter("41082318991231001"), Today);

        Assert.False(check.IsValid);
        Assert.Equal("the birth date 1899-12-31 is before 1900-01-01", check.Error);
    }

    [Fact]
    public void Rejects_an_area_code_starting_with_0()
    {
        var check = ResidentId.Validate(WithCheckCharacter("01082319500315001"), Today);

        Assert.False(check.IsValid);
        Assert.Equal("the area code (the first 6 digits) must not start with 0", check.Error);
    }

    [Fact]
    public void Reads_the_birth_date()
    {
        Assert.Equal(new DateOnly(1950, 3, 15), ResidentId.BirthDate(WorkedExample));
        Assert.Equal(new DateOnly(1949, 12, 31), ResidentId.BirthDate(StandardSample));
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, false)]
    [InlineData(999, true)]
    [InlineData(10, false)]
    public void Reads_gender_from_the_17th_digit(int sequence, bool male)
    {
        var number = ResidentId.Create("410823", new DateOnly(1962, 10, 10), sequence);

        Assert.Equal(male, ResidentId.IsMale(number));
    }

    [Fact]
    public void Masks_all_but_the_area_code_and_the_last_four()
    {
        Assert.Equal("410823********0010", ResidentId.Mask(WorkedExample));
        Assert.Equal("110105********002X", ResidentId.Mask(StandardSample));
    }

    [Theory]
    [InlineData("41082319500315001")]
    [InlineData("abc")]
    public void Helpers_refuse_values_that_are_not_normalized(string input)
    {
        Assert.Throws<ArgumentException>(() => ResidentId.Mask(input));
        Assert.Throws<ArgumentException>(() => ResidentId.BirthDate(input));
        Assert.Throws<ArgumentException>(() => ResidentId.IsMale(input));
    }

    [Fact]
    public void Create_refuses_bad_parts()
    {
        var date = new DateOnly(1950, 3, 15);

        Assert.Throws<ArgumentException>(() => ResidentId.Create("010823", date, 1));
        Assert.Throws<ArgumentException>(() => ResidentId.Create("41082", date, 1));
        Assert.Throws<ArgumentException>(() => ResidentId.Create("41082A", date, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ResidentId.Create("410823", date, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ResidentId.Create("410823", date, 1000));
        Assert.Throws<ArgumentOutOfRangeException>(() => ResidentId.Create("410823", new DateOnly(1899, 12, 31), 1));
    }

    [Fact]
    public void Create_pads_the_sequence_to_three_digits()
    {
        var number = ResidentId.Create("410823", new DateOnly(1950, 3, 15), 7);

        Assert.Equal("41082319500315007", number[..17]);
    }

    private static string WithCheckCharacter(string first17) => first17 + ResidentId.CheckCharacter(first17);
}
