using Marten;
using Relief.Api.Dispatch.Engine;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Core.Protection;

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
    /// The items with their labels resolved (and no sealed name left on them): the name in full for a
    /// reader who may see names (<paramref name="revealNames"/>: <c>pii:read</c>), else masked by the one
    /// rule (<see cref="PersonalDataMask.Name"/>: <c>张*</c>), the same in the API's lists, its
    /// downloads, its printable page and the meeting's pages.
    /// </summary>
    public static async Task<IReadOnlyList<DispatchItem>> ResolveAsync(IReadOnlyList<DispatchItem> items, bool revealNames, IQuerySession session,
        PersonalDataVault vault, CancellationToken token)
    {
        var keys = await vault.Keys(session, items.Select(i => i.Name), token);
        return items.Select(i => i.Name is null
                ? i
                : i with { Label = i.Label + Shown(keys.Show(SealedFields.HeadName, i.Name), revealNames), Name = null })
            .ToList();
    }

    private static string Shown(string name, bool reveal) =>
        reveal || name == PersonalDataMask.Erased ? name : PersonalDataMask.Name(name);
}
