using Marten;
using Relief.Api.Dispatch.Engine;
using Relief.Api.Infrastructure.PersonalData;

namespace Relief.Api.Dispatch.Report;

/// <summary>
/// The labels of the report's list items as the meeting reads them ("兜底户 东关村 · 张三"): the stored
/// label carries no name, only the head's name sealed beside it, opened here with the keys it
/// names (one round trip per list read). After an erasure the label ends with <c>[erased]</c>;
/// the figures never depended on it.
/// </summary>
public static class DispatchLabels
{
    /// <summary>
    /// The items with their labels resolved (and no sealed name left on them); <paramref name="shown"/> is
    /// how the reader sees a name (the meeting's pages mask it for a reader without <c>pii:read</c>).
    /// </summary>
    public static async Task<IReadOnlyList<DispatchItem>> ResolveAsync(IReadOnlyList<DispatchItem> items, IQuerySession session,
        PersonalDataVault vault, CancellationToken token, Func<string, string>? shown = null)
    {
        var keys = await vault.Keys(session, items.Select(i => i.Name), token);
        return items.Select(i => i.Name is null
                ? i
                : i with { Label = i.Label + (shown ?? (name => name))(keys.Show(SealedFields.HeadName, i.Name)), Name = null })
            .ToList();
    }
}
