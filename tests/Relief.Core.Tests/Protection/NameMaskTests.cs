using Relief.Core.Protection;

namespace Relief.Core.Tests.Protection;

public class NameMaskTests
{
    [Theory]
    [InlineData("张三", "张*")]
    [InlineData("欧阳娜娜", "欧***")]
    [InlineData("李", "李")]
    [InlineData("Wang Fang", "W********")]
    [InlineData("", "")]
    [InlineData(PersonalDataMask.Erased, PersonalDataMask.Erased)]
    public void A_name_keeps_its_first_character_only(string name, string masked) =>
        Assert.Equal(masked, PersonalDataMask.Name(name));

    [Fact]
    public void A_character_outside_the_basic_plane_counts_as_one() =>
        Assert.Equal("𠀀*", PersonalDataMask.Name("𠀀三"));
}
