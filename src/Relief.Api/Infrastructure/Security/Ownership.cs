using Microsoft.AspNetCore.Authorization;

namespace Relief.Api.Infrastructure.Security;

/// <summary>
/// The facts Relief records, each owned by one or more departments. Which department owns which
/// fact is configuration (<c>Relief:Ownership</c>), not code: the county decides, and may change it.
/// A route that records a fact requires its policy: <c>[Authorize(Owns.HouseholdRegistry)]</c>.
/// </summary>
public static class Owns
{
    private const string Prefix = "owns:";

    /// <summary>Registering households and their members (扶贫办 and the townships).</summary>
    public const string HouseholdRegistry = Prefix + "household-registry";

    /// <summary>Erasing a household's personal data (crypto-shredding).</summary>
    public const string PersonalDataErasure = Prefix + "personal-data-erasure";

    public static IReadOnlyList<string> All { get; } = [HouseholdRegistry, PersonalDataErasure];

    /// <summary>The fact a policy name stands for: <c>owns:household-registry</c> → <c>household-registry</c>.</summary>
    public static string FactOf(string policy) => policy[Prefix.Length..];
}

/// <summary>The configured table: fact → the departments that may record it.</summary>
public sealed class OwnershipTable(IReadOnlyDictionary<string, Department[]> owners)
{
    public IReadOnlyList<Department> OwnersOf(string fact) => owners.TryGetValue(fact, out var d) ? d : [];

    public bool MayRecord(Department department, string fact) => OwnersOf(fact).Contains(department);
}

/// <summary>The caller's department owns the fact.</summary>
public sealed record OwnershipRequirement(string Fact) : IAuthorizationRequirement;

public sealed class OwnershipHandler(OwnershipTable table) : AuthorizationHandler<OwnershipRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, OwnershipRequirement requirement)
    {
        if (Enum.TryParse<Department>(context.User.FindFirst(ReliefClaims.Department)?.Value, out var department)
            && table.MayRecord(department, requirement.Fact))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
