using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Relief.Api.CareAgreements;

namespace Relief.Api.Tests.Support;

public static partial class Requests
{
    /// <summary>A caregiver-family member; the head unless another relation is given.</summary>
    public static JsonObject FamilyMember(string name = "李四", Relation? relation = Relation.Head,
        DateOnly? birthDate = null, string? residentId = "auto", string? phone = "13900139000", int sequence = 21)
    {
        var birth = birthDate ?? new DateOnly(1968, 5, 20);
        var member = new JsonObject
        {
            ["name"] = name,
            ["birthDate"] = birth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["gender"] = "Female",
        };
        if (relation is not null) member["relation"] = relation.ToString();
        if (residentId is not null) member["residentId"] = residentId == "auto" ? ResidentId(birth, sequence) : residentId;
        if (phone is not null) member["phone"] = phone;
        return member;
    }

    /// <summary>A caregiver family with its head and, if given, other members.</summary>
    public static JsonObject CaregiverFamily(string township = "mucheng", JsonObject? head = null, params JsonObject[] members) => new()
    {
        ["township"] = township,
        ["village"] = "西关村",
        ["head"] = head ?? FamilyMember(),
        ["members"] = new JsonArray(members.Cast<JsonNode>().ToArray()),
    };

    /// <summary>A family-doctor agreement signed at the township ceremony.</summary>
    public static JsonObject FamilyDoctor(int version, string signedOn = "2020-09-20", string? endsOn = null)
    {
        var body = new JsonObject
        {
            ["version"] = version,
            ["signedOn"] = signedOn,
            ["doctorOrTeam"] = "木城街道卫生院家庭医生团队一组",
            ["ceremony"] = "木城街道家庭医生签约仪式",
        };
        if (endsOn is not null) body["endsOn"] = endsOn;
        return body;
    }
}

/// <summary>Development keys the caregiver-family tests use besides <see cref="Keys"/>.</summary>
public static class FamilyKeys
{
    /// <summary>卫健: owns family-doctor agreements; has policies:write.</summary>
    public const string Health = "dev-health";

    /// <summary>民政: has care:write but owns neither caregiver families nor the needs survey.</summary>
    public const string CivilAffairs = "dev-civil-affairs";
}

public sealed partial class Api
{
    /// <summary>Registers a caregiver family and answers its id.</summary>
    public async Task<Guid> RegisteredFamily(JsonObject? body = null, string key = Keys.PovertyOffice) =>
        (await Send(HttpMethod.Post, "/api/caregiver-families", body ?? Requests.CaregiverFamily(), key, 201))
        .GetProperty("id").GetGuid();

    /// <summary>
    /// Registers a caregiver family inside the eligibility chain of the extended policies: it takes on
    /// the care of a household of its township under a kinship agreement in force from 2020-04-01.
    /// </summary>
    public async Task<Guid> QualifiedFamily(JsonObject? body = null, string key = Keys.PovertyOffice)
    {
        body ??= Requests.CaregiverFamily();
        var familyId = await RegisteredFamily(body, key);
        await CaringAgreement(familyId, township: body["township"]!.GetValue<string>());
        return familyId;
    }

    /// <summary>The family signs, through the API, an agreement to care for a new household of the township; answers its id.</summary>
    public async Task<Guid> CaringAgreement(Guid familyId, CareMode mode = CareMode.KinshipCare, string startsOn = "2020-04-01",
        string? endsOn = null, string township = "mucheng")
    {
        var household = await RegisteredHousehold(Requests.Household(township));
        return await SignedAgreement(household, Requests.Agreement(mode, startsOn, endsOn, CaregiverKind.CaregiverFamily,
            caregiverFamilyId: familyId, signedOn: startsOn));
    }

    /// <summary>Reads a caregiver family as the given caller.</summary>
    public Task<JsonElement> Family(Guid id, string key = Keys.PovertyOffice) =>
        Send(HttpMethod.Get, $"/api/caregiver-families/{id}", null, key);

    /// <summary>The id of the family's member of the given name.</summary>
    public async Task<Guid> FamilyMemberId(Guid familyId, string name) =>
        (await Family(familyId)).GetProperty("members").EnumerateArray()
        .Single(m => m.GetProperty("name").GetString() == name).GetProperty("memberId").GetGuid();

    /// <summary>Records a care agreement signed by a family straight in the event store, as the care-agreement module does.</summary>
    public async Task<Guid> AgreementSignedBy(Guid? familyId, Guid householdId, CareMode mode = CareMode.KinshipCare,
        DateOnly? signedOn = null)
    {
        var id = Guid.CreateVersion7();
        await using var session = Host.Services.GetRequiredService<Marten.IDocumentStore>().LightweightSession();
        session.Events.StartStream<CareAgreement>(id, AgreementSigned(id, familyId, householdId, mode, signedOn));
        await session.SaveChangesAsync();
        return id;
    }

    /// <summary>The event a care agreement starts with, naming a caregiver family or none.</summary>
    public static CareAgreementSigned AgreementSigned(Guid agreementId, Guid? familyId, Guid householdId,
        CareMode mode = CareMode.KinshipCare, DateOnly? signedOn = null)
    {
        var on = signedOn ?? new DateOnly(2020, 9, 1);
        return new CareAgreementSigned(agreementId, householdId, "mucheng", mode,
            new Caregiver(familyId is null ? CaregiverKind.Organisation : CaregiverKind.CaregiverFamily, Relief.Core.Protection.ProtectedValue.LegacyPlaintext("李四"), familyId),
            new CareTerms(on, null, ["日常照料"], 300m, []), null, on);
    }
}
