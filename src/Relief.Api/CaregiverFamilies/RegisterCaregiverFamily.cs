using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
using Wolverine.Http;
using Wolverine.Marten;

namespace Relief.Api.CaregiverFamilies;

/// <summary>
/// Register a caregiver family (托养人家庭) with its head and, optionally, its other members.
/// The head's <c>relation</c> may be left out (it is <c>Head</c>); no other member may be <c>Head</c>.
/// </summary>
public sealed record RegisterCaregiverFamily(
    [property: Required] string? Township,
    [property: Required, MaxLength(50)] string? Village,
    [property: Required] FamilyMemberInput? Head,
    IReadOnlyList<FamilyMemberInput>? Members) : IHasExample<RegisterCaregiverFamily>
{
    public static RegisterCaregiverFamily Example { get; } = new("mucheng", "西关村", FamilyMemberInput.Example, []);
}

public static class RegisterCaregiverFamilyEndpoint
{
    public static ProblemDetails Validate(RegisterCaregiverFamily command, TownshipDirectory townships, Caller caller,
        DateTimeOffset now)
    {
        var errors = new FieldErrors();
        var township = townships.Find(command.Township);
        if (command.Township is null) errors.Add("township", "is required.");
        else if (township is null)
            errors.Add("township", $"is not a township of the county; allowed: {string.Join(", ", townships.All.Select(t => t.Code))}.");
        else if (TownshipScope.Access(township.Code, caller, "family") is { } forbidden)
            return forbidden;

        errors.RequireText("village", command.Village, 50);
        var today = ChinaTime.Today(now);
        if (command.Head is null) errors.Add("head", "is required.");
        else if (command.Head.Relation is not (null or Relation.Head)) errors.Add("head.relation", "is Head, or left out.");
        else (command.Head with { Relation = Relation.Head }).Validate("head.", errors, today);

        var members = command.Members ?? [];
        if (members.Count + 1 > CaregiverFamilyRules.MaxMembers)
            errors.Add("members", $"has at most {CaregiverFamilyRules.MaxMembers - 1} members besides the head.");
        for (var i = 0; i < members.Count; i++)
        {
            if (members[i] is null) errors.Add($"members[{i}]", "is required.");
            else if (members[i].Relation == Relation.Head) errors.Add($"members[{i}].relation", "The head is given as head.");
            else members[i].Validate($"members[{i}].", errors, today);
        }

        var ids = members.Append(command.Head).Where(m => m?.ResidentId is not null)
            .Select(m => m!.ResidentId!.Trim().ToUpperInvariant()).ToList();
        if (ids.Count != ids.Distinct().Count()) errors.Add("members", "names the same resident ID twice.");

        return errors.ToProblem();
    }

    /// <summary>Starts the family's stream: registered, the head added, the other members added; stores its data key.</summary>
    [WolverinePost("/api/caregiver-families"), Tags("Caregiver families")]
    [Authorize(Scopes.CareWrite), Authorize(Owns.CaregiverFamilies)]
    public static (Created, IStartStream, IMartenOp) Post(
        RegisterCaregiverFamily command, TownshipDirectory townships, PersonalDataVault vault, DateTimeOffset now)
    {
        var family = CaregiverFamilyStart.For(townships.Find(command.Township)!.Code, command.Village!,
            command.Head!, command.Members ?? [], vault, now);
        return (new Created(family.FamilyId, $"/api/caregiver-families/{family.FamilyId}"),
            family.Stream(), family.StoreKey());
    }
}
