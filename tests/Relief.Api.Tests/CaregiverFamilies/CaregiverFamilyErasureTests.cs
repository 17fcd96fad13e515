using System.Net;
using System.Text.Json.Nodes;
using Marten;
using Relief.Api.CareAgreements;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Core.Protection;

namespace Relief.Api.Tests.CaregiverFamilies;

/// <summary>
/// Erasing a whole caregiver family (PIPL art. 47) forgets the family's own key (its notes and
/// reasons) and the key of every person it holds (their records, and what was copied under their
/// keys: the head's name, the caregiver's name on the agreement that made the family, trainees'
/// names), and nothing else; the chain verifies and every weekly figure stays.
/// </summary>
public sealed class CaregiverFamilyErasureTests(AppFixture fixture) : ApiTest(fixture)
{
    private const string Kin = "赵照顾";
    private const string Spouse = "钱配偶";
    private const string Child = "孙孩子";
    private const string SpousePhone = "13711112222";
    private static readonly DateOnly SpouseBirth = new(1970, 3, 4);
    private static readonly string SpouseId = Requests.ResidentId(SpouseBirth, 42);
    private static readonly string ChildId = Requests.ResidentId(new DateOnly(1995, 6, 7), 43);
    private const string NeedsNote = "家庭需求-心脏病史-FE";
    private const string RemovalReason = "外出务工-抑郁症-FE";

    private async Task<int> Version(string route) => (await Api.Send(HttpMethod.Get, route, null)).GetProperty("version").GetInt32();

    private Task<HttpResponseMessage> Erase(Guid family, int version, string key = Keys.PovertyOffice) =>
        Send(HttpMethod.Post, $"/api/caregiver-families/{family}/personal-data/erasure",
            $$"""{ "version": {{version}}, "reason": "PIPL erasure request 2020-51" }""", key);

    /// <summary>
    /// A family made by signing a kinship agreement with its head as the caregiver (so the agreement's
    /// caregiver name is sealed under the head's key), with a spouse, a child removed for a reason, a
    /// needs survey with a note, and its head enrolled in a training class. Answers the ids.
    /// </summary>
    private async Task<(Guid Household, Guid Agreement, Guid Family, Guid TrainingClass)> FamilyMadeByAnAgreement()
    {
        var household = await Api.RegisteredHousehold();
        var agreement = await Api.SignedAgreement(household, Requests.Agreement(CareMode.KinshipCare, caregiver: Kin));
        var family = (await Api.Agreement(agreement)).GetProperty("caregiver").GetProperty("caregiverFamilyId").GetGuid();
        var route = $"/api/caregiver-families/{family}";
        await Api.Send(HttpMethod.Post, $"{route}/members", new JsonObject
        {
            ["version"] = await Version(route),
            ["member"] = Requests.FamilyMember(Spouse, Relation.Spouse, SpouseBirth, SpouseId, SpousePhone),
        });
        await Api.Send(HttpMethod.Post, $"{route}/members", new JsonObject
        {
            ["version"] = await Version(route),
            ["member"] = Requests.FamilyMember(Child, Relation.Child, new DateOnly(1995, 6, 7), ChildId, null),
        });
        await Api.Send(HttpMethod.Post, $"{route}/members/{await Api.FamilyMemberId(family, Child)}/removal",
            new JsonObject { ["version"] = await Version(route), ["reason"] = RemovalReason });
        await Api.Send(HttpMethod.Put, $"{route}/needs", new JsonObject
        {
            ["version"] = await Version(route), ["surveyedOn"] = "2020-09-10", ["needs"] = new JsonArray("FinancialLoan"),
            ["note"] = NeedsNote,
        });
        var trainingClass = await Api.ScheduledClass();
        await Api.Enrolled(trainingClass, new Trainee(family, await Api.FamilyMemberId(family, Kin)));
        return (household, agreement, family, trainingClass);
    }

    [Fact]
    public async Task Erasing_a_family_forgets_its_notes_its_people_and_its_heads_name_on_the_agreement_and_leaves_every_figure()
    {
        var (household, agreement, family, trainingClass) = await FamilyMadeByAnAgreement();
        var route = $"/api/caregiver-families/{family}";
        var shownBefore = await (await Send(HttpMethod.Get, $"/api/training-classes/{trainingClass}")).Content.ReadAsStringAsync();
        Assert.Contains(Kin, shownBefore);
        Assert.Equal(NeedsNote, (await Api.Family(family)).GetProperty("needs").GetProperty("note").GetString());
        var before = await Api.WeeklyDispatch("2020-W40");

        var erased = await Erase(family, await Version(route));

        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        var view = await Api.Family(family);
        Assert.Equal((PersonalDataMask.Erased, "Erased"), (view.GetProperty("headName").GetString(), view.GetProperty("personalData").GetString()));
        Assert.All(view.GetProperty("members").EnumerateArray(), m =>
            Assert.Equal(("Erased", PersonalDataMask.Erased), (m.GetProperty("personalData").GetString(), m.GetProperty("name").GetString())));
        Assert.Equal(2, view.GetProperty("memberCount").GetInt32());
        Assert.Equal(PersonalDataMask.Erased, view.GetProperty("needs").GetProperty("note").GetString());
        // The head was the caregiver the agreement named: their name there was sealed under their key, and went with it.
        Assert.Equal(PersonalDataMask.Erased, (await Api.Agreement(agreement)).GetProperty("caregiver").GetProperty("name").GetString());
        Assert.Equal(PersonalDataMask.Erased,
            (await Api.Household(household)).GetProperty("agreements")[0].GetProperty("caregiver").GetProperty("name").GetString());

        var after = await Api.WeeklyDispatch("2020-W40");
        Assert.Equal(before.GetProperty("county").GetRawText(), after.GetProperty("county").GetRawText());
        Assert.Equal(before.GetProperty("townships").GetRawText(), after.GetProperty("townships").GetRawText());
        Assert.Equal((1, 2), (before.GetProperty("county").GetProperty("caregiverFamilies").GetProperty("value").GetInt32(),
            before.GetProperty("county").GetProperty("caregiverFamilyPeople").GetProperty("value").GetInt32()));
        await Api.AuditChainCaughtUp();
        Assert.True((await Api.Audit("/api/audit/verify")).GetProperty("valid").GetBoolean());

        await using (var session = Store.QuerySession())
        {
            Assert.Null(await session.LoadAsync<HouseholdDataKey>(family));
            Assert.Empty(await session.Query<PersonDataKey>().Where(k => k.HolderId == family).ToListAsync());
        }

        var shown = string.Join("\n", await Task.WhenAll(new[]
        {
            route, $"{route}/measures", $"/api/training-classes/{trainingClass}", $"/api/care-agreements/{agreement}",
            $"/api/households/{household}/history", "/api/ledger?limit=200", "/api/caregiver-families",
        }.Select(async r => await (await Send(HttpMethod.Get, r, key: Keys.Auditor)).Content.ReadAsStringAsync())));
        var dump = await Database.Dump();
        Assert.All(new[] { Kin, Spouse, Child, SpouseId, ChildId, SpousePhone, NeedsNote, RemovalReason }, t =>
        {
            Assert.DoesNotContain(t, shown);
            Assert.DoesNotContain(t, dump);
        });
    }

    [Fact]
    public async Task A_second_erasure_is_409_one_without_a_reason_400_and_only_an_admin_of_the_owning_department_may_erase()
    {
        var family = await Api.RegisteredFamily();
        var route = $"/api/caregiver-families/{family}";
        var version = await Version(route);

        var noReason = await Send(HttpMethod.Post, $"{route}/personal-data/erasure", $$"""{ "version": {{version}} }""");
        var notAdmin = await Erase(family, version, Keys.Hrss);
        var unknown = await Erase(Guid.CreateVersion7(), 1);
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.Forbidden, HttpStatusCode.NotFound),
            (noReason.StatusCode, notAdmin.StatusCode, unknown.StatusCode));
        Assert.Equal(version, await Version(route));

        Assert.Equal(HttpStatusCode.OK, (await Erase(family, version)).StatusCode);
        var again = await Erase(family, version + 1);
        var member = (await Api.Family(family)).GetProperty("members")[0].GetProperty("memberId").GetGuid();
        var changed = await Send(HttpMethod.Put, $"{route}/members/{member}",
            new JsonObject { ["version"] = version + 1, ["member"] = Requests.FamilyMember() }.ToJsonString());

        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.Conflict), (again.StatusCode, changed.StatusCode));
        Assert.Equal(version + 1, await Version(route));
    }
}
