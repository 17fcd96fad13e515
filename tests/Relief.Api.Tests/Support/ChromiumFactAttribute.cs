namespace Relief.Api.Tests.Support;

/// <summary>
/// A test that drives Debian's headless Chromium. Where Chromium is absent (a plain
/// <c>dotnet test</c> on a machine without it) the test is skipped with the reason; under
/// <c>eng/test</c>, which installs Chromium and sets <c>RELIEF_REQUIRE_CHROMIUM=1</c>, it always
/// runs, so a missing browser there fails instead of hiding.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string RequireVariable = "RELIEF_REQUIRE_CHROMIUM";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(HeadlessChromium.Executable) && Environment.GetEnvironmentVariable(RequireVariable) != "1")
            Skip = $"{HeadlessChromium.Executable} is missing (apt-get install chromium); eng/test installs it and runs this test.";
    }
}
