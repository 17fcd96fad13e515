using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using Relief.Api.Infrastructure.PersonalData;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.CaregiverFamilies;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;

namespace Relief.Api.Supervision;

/// <summary>Grant a caregiver family a material reward (物质奖励) of <c>Amount</c> yuan, for a reason.</summary>
public sealed record GrantMaterialReward([property: Required] decimal? Amount, DateOnly? AwardedOn, [property: Required, MaxLength(200)] string? Reason) : IHasExample<GrantMaterialReward>
{
    public static GrantMaterialReward Example { get; } = new(500m, new DateOnly(2020, 10, 1), "照料老人尽心尽力，年度评比优秀。");
}

public static class GrantMaterialRewardEndpoint
{
    public const decimal MaxAmount = 100_000m;

    /// <summary>The family, and its key (which seals the reason: what the family did is often about the person it cares for).</summary>
    public static async Task<(CaregiverFamilyDetails?, DataProtector)> LoadAsync(Guid familyId, IQuerySession session,
        PersonalDataVault vault, CancellationToken token) =>
        (await session.LoadAsync<CaregiverFamilyDetails>(familyId, token), await vault.ForHousehold(session, familyId, token));

    public static ProblemDetails Validate(GrantMaterialReward command, Guid familyId, CaregiverFamilyDetails? family, Caller caller,
        DateTimeOffset now)
    {
        var errors = new FieldErrors();
        if (command.Amount is null) errors.Add("amount", "is required.");
        else if (command.Amount is <= 0m or > MaxAmount) errors.Add("amount", $"is more than 0 and at most {MaxAmount} yuan.");
        else if (decimal.Round(command.Amount.Value, 2) != command.Amount) errors.Add("amount", "has at most two decimals (fen).");
        SupervisionRules.RequirePastDate(errors, "awardedOn", command.AwardedOn, now);
        errors.RequireText("reason", command.Reason, 200);
        if (errors.Any) return errors.ToProblem();

        if (family is not { Registered: true }) return CaregiverFamilyRules.NotFound(familyId);
        return Problems.FirstOf(CaregiverFamilyRules.Access(family.Township, caller));
    }

    [WolverinePost("/api/caregiver-families/{familyId}/material-rewards"), Tags("Recognition")]
    [Authorize(Scopes.SupervisionWrite), Authorize(Owns.Recognition)]
    public static (Created, IStartStream) Post(GrantMaterialReward command, Guid familyId, CaregiverFamilyDetails family,
        DataProtector record, DateTimeOffset now)
    {
        var id = Guid.CreateVersion7(now);
        var granted = new MaterialRewardGranted(id, familyId, family.Township, command.Amount!.Value, command.AwardedOn!.Value,
            record.SealText(SealedFields.Reason, command.Reason!.Trim()));
        return (new Created(id, $"/api/caregiver-families/{familyId}/recognition"), MartenOps.StartStream<MaterialReward>(id, granted));
    }
}
