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

    /// <summary>Signing, renewing, amending and ending care agreements (五养协议).</summary>
    public const string CareAgreements = Prefix + "care-agreements";

    /// <summary>Centres, admissions, trial stays, discharges, transfers and services (医养中心).</summary>
    public const string CareCentres = Prefix + "care-centres";

    /// <summary>The dated funding rules of centralised care.</summary>
    public const string FundingRules = Prefix + "funding-rules";

    /// <summary>Caregiver families (托养人家庭) and their members.</summary>
    public const string CaregiverFamilies = Prefix + "caregiver-families";

    /// <summary>Family-doctor agreements (家庭医生签约).</summary>
    public const string FamilyDoctor = Prefix + "family-doctor";

    /// <summary>The needs survey of the eight extended policies (需求排查).</summary>
    public const string NeedsSurvey = Prefix + "needs-survey";

    public static IReadOnlyList<string> All { get; } =
    [
        HouseholdRegistry, PersonalDataErasure, CareAgreements, CareCentres, FundingRules, CaregiverFamilies,
        FamilyDoctor, NeedsSurvey,
    ];

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
