using System.Net;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Relief.Api.Households;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Core.Protection;

namespace Relief.Api.Tests.Households;

/// <summary>
/// Members recorded before per-person sealing carried their personal fields in the member record
/// (name, birth date and disability in clear; identifiers as plain strings, or sealed one by one under
/// the household's key by the first version). They were never erased: they read as legacy plaintext,
/// shown as recorded to a caller with <c>pii:read</c> and masked by the one rule for any other.
/// </summary>
public sealed class LegacyMemberRecordTests(AppFixture fixture) : ApiTest(fixture)
{
    private static readonly string HeadId = Requests.ResidentId(new DateOnly(1950, 3, 15), 71);
    private static readonly string SpouseId = Requests.ResidentId(new DateOnly(1952, 1, 2), 72);

    /// <summary>
    /// A household whose two members were recorded in the old shape: the head with plain identifiers,
    /// the spouse with identifiers sealed under the household's key (the first version). The events are
    /// appended through Marten, their member records rewritten to the old shape, and the household's
    /// inline documents rebuilt from them. Answers the household and its members.
    /// </summary>
    private async Task<(Guid Household, Guid Head, Guid Spouse)> LegacyHousehold()
    {
        var household = Guid.CreateVersion7();
        var (head, spouse) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var (key, protector) = Host.Services.GetRequiredService<PersonalDataKeyRings>().Shared.NewHousehold(household, Clock.GetUtcNow());
        var placeholder = new MemberRecord(Relation.Head, Gender.Male, ProtectedValue.LegacyPlaintext("{}"));
        await using (var session = Store.LightweightSession())
        {
            session.Store(key);
            session.Events.StartStream<Household>(household,
                new HouseholdRegistered(household, "mucheng", "东关村", ProtectedValue.LegacyPlaintext("老王"),
                    ProtectedValue.LegacyPlaintext("东关村一组 9 号"), PovertyCause.Illness, Clock.GetUtcNow()),
                new HouseholdMemberAdded(household, head, placeholder),
                new HouseholdMemberAdded(household, spouse, placeholder with { Relation = Relation.Spouse, Gender = Gender.Female }));
            await session.SaveChangesAsync();
        }

        var old = new Dictionary<Guid, JsonObject>
        {
            [head] = new()
            {
                ["name"] = "老王", ["residentId"] = HeadId, ["residentIdIndex"] = "0123abcd", ["disabilityCertificateNo"] = HeadId + "11",
                ["relation"] = "Head", ["birthDate"] = "1950-03-15", ["gender"] = "Male", ["phone"] = "13800001234",
                ["disabilityType"] = "Physical", ["disabilityGrade"] = 1, ["dependencyLevel"] = "Full",
            },
            [spouse] = new()
            {
                ["name"] = "老李", ["residentId"] = Sealed(protector.Protect("residentId", SpouseId)), ["residentIdIndex"] = "4567ef01",
                ["disabilityCertificateNo"] = null, ["relation"] = "Spouse", ["birthDate"] = "1952-01-02", ["gender"] = "Female",
                ["phone"] = Sealed(protector.Protect("phone", "13900005678")), ["disabilityType"] = null, ["disabilityGrade"] = null,
                ["dependencyLevel"] = "Partial",
            },
        };
        foreach (var (member, record) in old)
        {
            await Api.Sql("update relief.mt_events set data = jsonb_set(data, '{member}', $1::jsonb) where stream_id = $2 and data ->> 'memberId' = $3",
                record.ToJsonString(), household, member.ToString());
        }

        await Store.Advanced.RebuildSingleStreamAsync<Household>(household);
        await Store.Advanced.RebuildSingleStreamAsync<HouseholdDetails>(household);
        return (household, head, spouse);
    }

    private static JsonObject Sealed(ProtectedValue value) => new() { ["keyId"] = value.KeyId, ["ciphertext"] = value.Ciphertext };

    [Fact]
    public async Task A_member_recorded_before_per_person_sealing_shows_as_recorded_to_pii_read_and_masked_to_others()
    {
        var (household, head, spouse) = await LegacyHousehold();

        var full = (await Api.Household(household)).GetProperty("members");
        var masked = (await Api.Household(household, Keys.Auditor)).GetProperty("members");

        Assert.Equal(head, full[0].GetProperty("memberId").GetGuid());
        Assert.Equal(("Revealed", "老王", HeadId, HeadId + "11", "1950-03-15", "13800001234"),
            (full[0].GetProperty("personalData").GetString(), full[0].GetProperty("name").GetString(),
                full[0].GetProperty("residentId").GetString(), full[0].GetProperty("disabilityCertificateNo").GetString(),
                full[0].GetProperty("birthDate").GetString(), full[0].GetProperty("phone").GetString()));
        Assert.Equal(("Physical", 1, "Full"), (full[0].GetProperty("disabilityType").GetString(),
            full[0].GetProperty("disabilityGrade").GetInt32(), full[0].GetProperty("dependencyLevel").GetString()));
        // The first version's identifiers, sealed under the household's key, open with it.
        Assert.Equal((spouse, "老李", SpouseId, "13900005678"), (full[1].GetProperty("memberId").GetGuid(),
            full[1].GetProperty("name").GetString(), full[1].GetProperty("residentId").GetString(), full[1].GetProperty("phone").GetString()));

        Assert.Equal(("Masked", "老王", PersonalDataMask.ResidentId(HeadId), PersonalDataMask.Certificate(HeadId + "11"),
                PersonalDataMask.Phone("13800001234"), 1950),
            (masked[0].GetProperty("personalData").GetString(), masked[0].GetProperty("name").GetString(),
                masked[0].GetProperty("residentId").GetString(), masked[0].GetProperty("disabilityCertificateNo").GetString(),
                masked[0].GetProperty("phone").GetString(), masked[0].GetProperty("birthYear").GetInt32()));
        Assert.False(masked[0].TryGetProperty("birthDate", out var birth) && birth.ValueKind != System.Text.Json.JsonValueKind.Null);
        Assert.Equal(PersonalDataMask.ResidentId(SpouseId), masked[1].GetProperty("residentId").GetString());
        var shown = masked.GetRawText();
        Assert.DoesNotContain(HeadId, shown);
        Assert.DoesNotContain(SpouseId, shown);
        Assert.DoesNotContain("1950-03-15", shown);
    }

    [Fact]
    public async Task A_legacy_member_cannot_be_claimed_erased_and_the_household_still_registers_more()
    {
        var (household, head, _) = await LegacyHousehold();

        var erased = await Send(HttpMethod.Post, $"/api/households/{household}/members/{head}/personal-data/erasure",
            """{ "version": 3, "reason": "PIPL erasure request 2020-71" }""");

        Assert.Equal(HttpStatusCode.Conflict, erased.StatusCode);
        Assert.Contains("before personal data was sealed per person", (await Json(erased)).GetProperty("detail").GetString());
        Assert.Equal("老王", (await Api.Household(household)).GetProperty("members")[0].GetProperty("name").GetString());
        await Api.Send(HttpMethod.Post, $"/api/households/{household}/members",
            new JsonObject { ["version"] = 3, ["member"] = Requests.Member("王小", Relation.Child, new DateOnly(1980, 1, 1)) });
        Assert.Equal(3, (await Api.Household(household)).GetProperty("members").GetArrayLength());
    }
}
