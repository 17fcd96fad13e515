namespace Relief.Api.Infrastructure;

/// <summary>The limits every request body is held to before any handler sees it.</summary>
public static class RequestLimits
{
    /// <summary>Largest accepted request body: 256 KiB.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    /// <summary>Deepest accepted JSON nesting.</summary>
    public const int MaxJsonDepth = 32;
}
