using System.Text.Json;
using System.Text.Json.Nodes;

namespace Relief.Api.Tests.Support;

public static partial class Requests
{
    /// <summary>A case of the policy for a caregiver family or a household, opened Applied on Monday 2020-09-28.</summary>
    public static JsonObject PolicyCase(string policy, Guid? familyId = null, Guid? householdId = null, string stage = "Applied",
        string openedOn = "2020-09-28")
    {
        var body = new JsonObject { ["policy"] = policy, ["stage"] = stage, ["openedOn"] = openedOn };
        if (familyId is not null) body["caregiverFamilyId"] = familyId.Value.ToString();
        if (householdId is not null) body["householdId"] = householdId.Value.ToString();
        return body;
    }

    public static JsonObject Eligibility(int version, bool eligible, string decidedOn = "2020-09-29", string? reason = null)
    {
        var body = new JsonObject { ["version"] = version, ["eligible"] = eligible, ["decidedOn"] = decidedOn };
        if (reason is not null) body["reason"] = reason;
        return body;
    }

    public static JsonObject Verification(int version, string startedOn = "2020-09-30") =>
        new() { ["version"] = version, ["startedOn"] = startedOn };

    public static JsonObject LoanGrant(int version, decimal amount = 50000m, string grantedOn = "2020-10-01") => new()
    {
        ["version"] = version, ["grantedOn"] = grantedOn,
        ["loan"] = new JsonObject { ["amount"] = amount, ["bank"] = "武陟县农村商业银行", ["termMonths"] = 36 },
    };

    public static JsonObject PostGrant(int version) => new()
    {
        ["version"] = version, ["grantedOn"] = "2020-10-01",
        ["post"] = new JsonObject
        {
            ["post"] = "保洁员", ["employer"] = "木城街道办事处", ["monthlyPay"] = 500, ["startsOn"] = "2020-10-01", ["endsOn"] = "2021-09-30",
        },
    };

    public static JsonObject AssistanceGrant(int version, string kind = "MinimumLivingAllowance", decimal amount = 380m) => new()
    {
        ["version"] = version, ["grantedOn"] = "2020-10-01",
        ["assistance"] = new JsonObject { ["kind"] = kind, ["amount"] = amount, ["givenOn"] = "2020-10-01" },
    };

    public static JsonObject Rejection(int version, string reason = "不符合条件", string rejectedOn = "2020-10-01") =>
        new() { ["version"] = version, ["rejectedOn"] = rejectedOn, ["reason"] = reason };

    public static JsonObject Closure(int version, string? note = null, string closedOn = "2020-10-01")
    {
        var body = new JsonObject { ["version"] = version, ["closedOn"] = closedOn };
        if (note is not null) body["note"] = note;
        return body;
    }
}

/// <summary>Development keys of the departments that own the extended policies.</summary>
public static class PolicyKeys
{
    /// <summary>Owns loans (with the poverty office).</summary>
    public const string Bank = "dev-bank";

    /// <summary>民政: owns social and charity assistance.</summary>
    public const string CivilAffairs = "dev-civil-affairs";

    /// <summary>医保: owns medical assistance.</summary>
    public const string MedicalSecurity = "dev-medical-security";

    /// <summary>卫健: owns none of the case policies.</summary>
    public const string Health = "dev-health";
}

public sealed partial class Api
{
    /// <summary>Opens a policy case and answers its id.</summary>
    public async Task<Guid> OpenedCase(JsonObject body, string key = Keys.PovertyOffice) =>
        (await Send(HttpMethod.Post, "/api/policy-cases", body, key, 201)).GetProperty("id").GetGuid();

    /// <summary>A caregiver family in the eligibility chain with a loan intent recorded (version 1): the family's and the case's ids.</summary>
    public async Task<(Guid FamilyId, Guid CaseId)> FamilyWithLoanIntent(string township = "mucheng")
    {
        var familyId = await QualifiedFamily(Requests.CaregiverFamily(township));
        return (familyId, await OpenedCase(Requests.PolicyCase("FinancialLoan", familyId)));
    }

    /// <summary>A loan intent decided eligible and under verification by the bank (version 3).</summary>
    public async Task<(Guid FamilyId, Guid CaseId)> FamilyWithLoanUnderVerification(string township = "mucheng")
    {
        var (familyId, caseId) = await FamilyWithLoanIntent(township);
        await Move(caseId, "eligibility", Requests.Eligibility(1, true), PolicyKeys.Bank);
        await Move(caseId, "verification", Requests.Verification(2), PolicyKeys.Bank);
        return (familyId, caseId);
    }

    /// <summary>Moves a case along one step (<c>application</c>, <c>eligibility</c>, <c>verification</c>, <c>grant</c>, <c>rejection</c>, <c>closure</c>).</summary>
    public Task<JsonElement> Move(Guid caseId, string step, JsonObject body, string key = Keys.PovertyOffice, int expectedStatus = 200) =>
        Send(HttpMethod.Post, $"/api/policy-cases/{caseId}/{step}", body, key, expectedStatus);

    /// <summary>Reads a policy case.</summary>
    public Task<JsonElement> PolicyCase(Guid caseId, string key = Keys.PovertyOffice) =>
        Send(HttpMethod.Get, $"/api/policy-cases/{caseId}", null, key);
}
