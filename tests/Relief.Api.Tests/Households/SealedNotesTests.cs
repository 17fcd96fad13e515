using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Relief.Api.Audit.History;
using Relief.Api.CareAgreements;
using Relief.Api.ExtendedPolicies;
using Relief.Api.Notifications.Deliveries;
using Relief.Api.Supervision;
using Relief.Api.Households;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Core.Protection;

namespace Relief.Api.Tests.Households;

/// <summary>
/// Free-text notes and reasons about a household or a caregiver family (which may hold health
/// details) are sealed under that record's key in every event and document; the routes open them
/// when they answer, and erasing the household leaves none of them readable anywhere.
/// </summary>
public sealed class SealedNotesTests(AppFixture fixture) : ApiTest(fixture)
{
    private const string Erasure = """{ "version": {{version}}, "reason": "PIPL erasure request 2020-41" }""";

    /// <summary>The notes and reasons a household's record carries, one of each kind.</summary>
    private static readonly string[] HouseholdNoteKinds =
        ["monitoring", "removal", "evaluation", "agreementEnd", "caseOpened", "caseRejected", "caseClosed"];

    /// <summary>The notes and reasons a care-centre stay carries, one of each kind.</summary>
    private static readonly string[] StayNoteKinds = ["service", "trialEnd", "discharge"];

    private async Task<int> Version(string route) => (await Api.Send(HttpMethod.Get, route, null)).GetProperty("version").GetInt32();

    private async Task<string> Body(string route, string key = Keys.Auditor)
    {
        var response = await Send(HttpMethod.Get, route, key: key);
        Assert.True(response.IsSuccessStatusCode, $"{route}: {response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>A household (head and spouse) whose head may live in a centre; answers it, its head and its spouse.</summary>
    private async Task<(Guid Household, Guid Head, Guid Spouse)> Household(int sequence)
    {
        var household = await Api.RegisteredHousehold(Requests.Household("mucheng",
            Requests.Resident("王大", sequence, "Physical", 1, "Full"),
            Requests.Member("李秀英", Relation.Spouse, new DateOnly(1952, 1, 2), sequence: sequence + 50)));
        var members = (await Api.Household(household)).GetProperty("members");
        return (household, members[0].GetProperty("memberId").GetGuid(), members[1].GetProperty("memberId").GetGuid());
    }

    /// <summary>Records every household note and reason with <paramref name="tag"/> in its text; answers the texts.</summary>
    private async Task<Dictionary<string, string>> HouseholdNotes(Guid household, Guid spouse, string tag)
    {
        var texts = HouseholdNoteKinds.ToDictionary(k => k, k => $"{tag}-{k}-卧床褥疮");
        var route = $"/api/households/{household}";
        await Api.Send(HttpMethod.Put, $"{route}/monitoring", new JsonObject
        {
            ["version"] = await Version(route), ["status"] = "Monitored", ["since"] = "2020-09-01", ["note"] = texts["monitoring"],
        });
        await Api.Send(HttpMethod.Post, $"{route}/members/{spouse}/removal",
            new JsonObject { ["version"] = await Version(route), ["reason"] = texts["removal"] });
        var evaluation = Requests.Evaluation();
        evaluation["note"] = texts["evaluation"];
        await Api.Evaluated(household, evaluation);
        var agreement = await Api.SignedAgreement(household, Requests.Agreement(CareMode.CharityCare, caregiver: "钱慈善"));
        await Api.Send(HttpMethod.Post, $"/api/care-agreements/{agreement}/end", new JsonObject
        {
            ["version"] = 1, ["endedOn"] = "2020-09-30", ["reason"] = texts["agreementEnd"],
        });
        var opened = Requests.PolicyCase("SocialAssistance", householdId: household, stage: "NeedIdentified");
        opened["note"] = texts["caseOpened"];
        var policyCase = await Api.OpenedCase(opened);
        await Api.Move(policyCase, "rejection", Requests.Rejection(1, texts["caseRejected"]), PolicyKeys.CivilAffairs);
        await Api.Move(policyCase, "closure", Requests.Closure(2, texts["caseClosed"]), PolicyKeys.CivilAffairs);
        return texts;
    }

    /// <summary>A trial stay with a service note and an end reason, and an admission discharged for a reason.</summary>
    private async Task<Dictionary<string, string>> StayNotes(Guid centre, Guid household, Guid head, Guid otherHousehold, Guid otherHead,
        string tag)
    {
        var texts = StayNoteKinds.ToDictionary(k => k, k => $"{tag}-{k}-失禁护理");
        var trial = await Api.OnTrial(centre, new Person(household, head));
        await Api.Send(HttpMethod.Post, $"/api/care-centres/{centre}/stays/{trial}/services", new JsonObject
        {
            ["service"] = "Nursing", ["deliveredOn"] = "2020-09-21", ["note"] = texts["service"],
        }, CentreKeys.CivilAffairs);
        await Api.Send(HttpMethod.Post, $"/api/care-centres/{centre}/trial-stays/{trial}/end",
            new JsonObject { ["endedOn"] = "2020-09-25", ["reason"] = texts["trialEnd"] }, CentreKeys.CivilAffairs);
        var admission = await Api.Admitted(centre, new Person(otherHousehold, otherHead));
        await Api.Send(HttpMethod.Post, $"/api/care-centres/{centre}/residents/{admission}/discharge",
            new JsonObject { ["dischargedOn"] = "2020-09-28", ["reason"] = texts["discharge"] }, CentreKeys.CivilAffairs);
        return texts;
    }

    [Fact]
    public async Task No_event_or_document_holds_a_note_or_a_reason_in_clear_and_every_route_opens_them()
    {
        var (household, head, spouse) = await Household(1);
        var (other, otherHead, _) = await Household(3);
        var texts = await HouseholdNotes(household, spouse, "H");
        foreach (var (k, v) in await StayNotes(await Api.CentreWithBeds(3), household, head, other, otherHead, "S")) texts[k] = v;

        // A caregiver family: its needs survey, a member removed, a family doctor ended, a loan refused, a reward, a trainee withdrawn.
        var family = await Api.QualifiedFamily(Requests.CaregiverFamily("mucheng", null,
            Requests.FamilyMember("周小", Relation.Spouse, sequence: 22)));
        foreach (var k in new[] { "needs", "familyRemoval", "doctorEnd", "loanIneligible", "reward", "withdrawal" })
            texts[k] = $"F-{k}-心脏病史";
        var familyRoute = $"/api/caregiver-families/{family}";
        var familyHead = await Api.FamilyMemberId(family, "李四");
        var familySpouse = await Api.FamilyMemberId(family, "周小");
        await Api.Send(HttpMethod.Put, $"{familyRoute}/needs", new JsonObject
        {
            ["version"] = await Version(familyRoute), ["surveyedOn"] = "2020-09-10", ["needs"] = new JsonArray("FinancialLoan"),
            ["note"] = texts["needs"],
        });
        await Api.Send(HttpMethod.Post, $"{familyRoute}/members/{familySpouse}/removal",
            new JsonObject { ["version"] = await Version(familyRoute), ["reason"] = texts["familyRemoval"] });
        await Api.Send(HttpMethod.Post, $"{familyRoute}/members/{familyHead}/family-doctor",
            Requests.FamilyDoctor(await Version(familyRoute)), FamilyKeys.Health);
        await Api.Send(HttpMethod.Post, $"{familyRoute}/members/{familyHead}/family-doctor/ending", new JsonObject
        {
            ["version"] = await Version(familyRoute), ["endedOn"] = "2020-09-25", ["reason"] = texts["doctorEnd"],
        }, FamilyKeys.Health);
        var loan = await Api.OpenedCase(Requests.PolicyCase("FinancialLoan", family));
        await Api.Move(loan, "eligibility", Requests.Eligibility(1, false, reason: texts["loanIneligible"]), PolicyKeys.Bank);
        await Api.Send(HttpMethod.Post, $"{familyRoute}/material-rewards", new JsonObject
        {
            ["amount"] = 500, ["awardedOn"] = "2020-09-30", ["reason"] = texts["reward"],
        }, expectedStatus: 201);
        var trainee = await Api.FamilyHead(sequence: 31, name: "孙学员");
        var trainingClass = await Api.ScheduledClass();
        var enrolment = await Api.Enrolled(trainingClass, trainee);
        await Api.Send(HttpMethod.Post, $"/api/training-classes/{trainingClass}/enrolments/{enrolment}/withdrawal",
            new JsonObject { ["withdrewOn"] = "2020-10-01", ["reason"] = texts["withdrawal"] }, Keys.Hrss);

        texts["closure"] = "H-closure-临终关怀";
        await Api.Send(HttpMethod.Post, $"/api/households/{household}/closure", new JsonObject
        {
            ["version"] = await Version($"/api/households/{household}"), ["reason"] = "Deceased", ["closedOn"] = "2020-10-01",
            ["note"] = texts["closure"],
        });
        await Api.ProjectionsCaughtUp();
        await Api.AuditChainCaughtUp();

        Assert.Empty(await Database.InClear([.. texts.Values]));

        // The routes open them.
        var shown = string.Join("\n", await Task.WhenAll(
            Body($"/api/households/{household}"), Body($"/api/households/{household}/evaluations"),
            Body($"/api/households/{household}/care-agreements"), Body($"/api/households/{household}/history"),
            Body($"/api/households/{household}/ledger"), Body($"/api/households/{other}/history"),
            Body($"/api/caregiver-families/{family}"), Body($"/api/caregiver-families/{family}/measures"),
            Body($"/api/caregiver-families/{family}/recognition"), Body("/api/material-rewards"),
            Body($"/api/policy-cases/{loan}"), Body($"/api/ledger?limit=200")));
        Assert.Empty(texts.Where(t => !shown.Contains(t.Value)).Select(t => t.Key));
        var closure = (await Api.Household(household, Keys.Auditor)).GetProperty("closure");
        Assert.Equal(texts["closure"], closure.GetProperty("note").GetString());
        var policyCase = await Api.Send(HttpMethod.Get, $"/api/households/{household}/policy-cases", null);
        var opened = await Api.PolicyCase(policyCase[0].GetProperty("id").GetGuid());
        Assert.Equal((texts["caseOpened"], texts["caseRejected"]), (opened.GetProperty("note").GetString(), opened.GetProperty("reason").GetString()));
        Assert.Equal(texts["caseClosed"], opened.GetProperty("history").EnumerateArray().Last().GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Erasing_the_household_erases_its_notes_and_reasons_everywhere_and_later_ones_are_not_kept()
    {
        var (household, head, spouse) = await Household(5);
        var texts = await HouseholdNotes(household, spouse, "E");
        var (other, _, _) = await Household(7);
        var centre = await Api.CentreWithBeds(3);
        var trial = await Api.OnTrial(centre, new Person(household, head));
        texts["trialEnd"] = "E-trialEnd-失禁护理";
        await Api.Send(HttpMethod.Post, $"/api/care-centres/{centre}/trial-stays/{trial}/end",
            new JsonObject { ["endedOn"] = "2020-09-25", ["reason"] = texts["trialEnd"] }, CentreKeys.CivilAffairs);
        var route = $"/api/households/{household}";
        Assert.Contains(texts["evaluation"], await Body($"{route}/evaluations"));
        Assert.Contains(texts["agreementEnd"], await Body($"{route}/care-agreements"));

        var erased = await Send(HttpMethod.Post, $"{route}/personal-data/erasure",
            Erasure.Replace("{{version}}", (await Version(route)).ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        // A note given after the erasure is about an erased record: it is not kept.
        const string later = "E-after-erasure-透析";
        await Api.Send(HttpMethod.Put, $"{route}/monitoring", new JsonObject
        {
            ["version"] = await Version(route), ["status"] = "RiskEliminated", ["since"] = "2020-09-30", ["note"] = later,
        });
        await Api.ProjectionsCaughtUp();
        await Api.AuditChainCaughtUp();

        var evaluations = await Api.Send(HttpMethod.Get, $"{route}/evaluations", null);
        Assert.Equal(PersonalDataMask.Erased, evaluations[0].GetProperty("note").GetString());
        var agreements = await Api.Send(HttpMethod.Get, $"{route}/care-agreements", null);
        Assert.Equal(PersonalDataMask.Erased, agreements[0].GetProperty("endReason").GetString());
        var cases = await Api.Send(HttpMethod.Get, $"{route}/policy-cases", null);
        var policyCase = await Api.PolicyCase(cases[0].GetProperty("id").GetGuid());
        Assert.Equal((PersonalDataMask.Erased, PersonalDataMask.Erased),
            (policyCase.GetProperty("note").GetString(), policyCase.GetProperty("reason").GetString()));
        var history = await Api.Audit($"{route}/history");
        var notes = history.GetProperty("items").EnumerateArray()
            .Where(e => e.GetProperty("type").GetString() is "HouseholdMonitoringChanged" or "HouseholdMemberRemoved" or "HouseholdEvaluated"
                or "CareAgreementEnded" or "TrialStayEnded" or "PolicyCaseOpened" or "PolicyCaseRejected" or "PolicyCaseClosed")
            .Select(e => e.GetProperty("data").TryGetProperty("note", out var n) ? n : e.GetProperty("data").GetProperty("reason"))
            .Select(v => v.GetString()).ToList();
        Assert.Equal(9, notes.Count);
        Assert.All(notes, n => Assert.Equal(PersonalDataMask.Erased, n));
        var everything = string.Join("\n", await Task.WhenAll(Body($"{route}/history"), Body($"{route}/ledger"), Body("/api/ledger?limit=200"),
            Body($"/api/households/{other}/history")));
        var dump = await Database.Dump();
        Assert.All(texts.Values.Append(later), t =>
        {
            Assert.DoesNotContain(t, everything);
            Assert.DoesNotContain(t, dump);
        });
        Assert.True((await Api.Audit("/api/audit/verify")).GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task Notes_and_reasons_recorded_in_clear_before_they_were_sealed_still_load_and_show()
    {
        var household = Guid.CreateVersion7();
        await using (var session = Store.LightweightSession())
        {
            // Events as an earlier version wrote them: notes and reasons as plain strings.
            session.Events.StartStream<Household>(household,
                new HouseholdRegistered(household, "mucheng", "东关村", ProtectedValue.LegacyPlaintext("老户主"),
                    ProtectedValue.LegacyPlaintext("老地址 1 号"), PovertyCause.Illness, Clock.GetUtcNow()),
                new HouseholdMonitoringChanged(household, MonitoringStatus.Monitored, new DateOnly(2020, 9, 1),
                    ProtectedValue.LegacyPlaintext("旧监测说明")),
                new HouseholdClosed(household, ClosureReason.Deceased, new DateOnly(2020, 9, 30), ProtectedValue.LegacyPlaintext("旧销户说明")));
            await session.SaveChangesAsync();
        }

        await using var dataSource = NpgsqlDataSource.Create(AppFixture.ConnectionString);
        await using (var raw = await dataSource.OpenConnectionAsync())
        {
            await using var command = new NpgsqlCommand(
                "select jsonb_typeof(data -> 'note') from relief.mt_events where stream_id = $1 and data ? 'note'", raw);
            command.Parameters.AddWithValue(household);
            await using var reader = await command.ExecuteReaderAsync();
            var kinds = new List<string>();
            while (await reader.ReadAsync()) kinds.Add(reader.GetString(0));
            Assert.Equal(["string", "string"], kinds);
        }

        var closure = (await Api.Household(household)).GetProperty("closure");
        Assert.Equal(("Deceased", "旧销户说明"), (closure.GetProperty("reason").GetString(), closure.GetProperty("note").GetString()));
        var history = await Body($"/api/households/{household}/history");
        Assert.Contains("旧监测说明", history);
        Assert.Contains("旧销户说明", history);
        Assert.Contains("旧销户说明", await Body($"/api/households/{household}/ledger"));
        var asOf = await Api.Send(HttpMethod.Get, $"/api/audit/households/{household}?version=3", null, Keys.Auditor);
        Assert.Equal("旧销户说明", asOf.GetProperty("closure").GetProperty("note").GetString());
    }

    [Fact]
    public async Task A_webhook_body_carries_no_note_or_reason_even_sealed()
    {
        var (household, _, spouse) = await Household(9);
        var texts = await HouseholdNotes(household, spouse, "W");
        await using var session = Store.QuerySession();
        var events = await session.Events.QueryAllRawEvents().Where(e => e.Sequence > 0).ToListAsync();
        var withText = events.Where(e => e.Data is HouseholdMonitoringChanged or HouseholdMemberRemoved or HouseholdEvaluated
            or CareAgreementEnded or PolicyCaseOpened or PolicyCaseRejected
            or PolicyCaseClosed).ToList();
        Assert.Equal(7, withText.Count);

        var bodies = withText.Select(e => WebhookFanOut.Payload(e.Data)!.AsObject()).ToList();

        Assert.All(bodies, b => Assert.False(b.ContainsKey("note") || b.ContainsKey("reason"), b.ToJsonString()));
        Assert.All(texts.Values, t => Assert.DoesNotContain(t, string.Join("\n", bodies.Select(b => b.ToJsonString()))));
        Assert.All(bodies, b => Assert.DoesNotContain("ciphertext", b.ToJsonString()));
    }

    [Fact]
    public async Task The_history_opens_a_trainees_and_a_placed_persons_name_sealed_under_another_field_name()
    {
        var trainee = await Api.FamilyHead(sequence: 33, name: "吴学员");
        var trainingClass = await Api.ScheduledClass();
        await Api.Enrolled(trainingClass, trainee);
        var placement = (await Api.Send(HttpMethod.Post, "/api/job-placements", new JsonObject
        {
            ["caregiverFamilyId"] = trainee.FamilyId, ["memberId"] = trainee.MemberId, ["channel"] = "EnterpriseMatching",
            ["employer"] = "武陟县某纺织厂", ["placedOn"] = "2020-09-30",
        }, Keys.Hrss, 201)).GetProperty("id").GetGuid();
        await using var dataSource = NpgsqlDataSource.Create(AppFixture.ConnectionString);
        await using var session = Store.QuerySession();
        var shown = new PersonalDataInEvents(Host.Services.GetRequiredService<PersonalDataKeyRings>().Shared, session, reveal: false);
        var query = AuditQuery.Parse(null, null, null, null, null, null, null, null);

        var names = new List<string?>();
        foreach (var stream in new[] { trainingClass, placement })
        {
            foreach (var e in await EventSql.Page(dataSource, "e.stream_id = $1", [stream], query, CancellationToken.None))
            {
                if (e.Stored.Name is "TraineeEnrolled" or "JobPlaced")
                    names.Add((await shown.Show(e, CancellationToken.None))!["memberName"]!.GetValue<string>());
            }
        }

        Assert.Equal(["吴学员", "吴学员"], names);
    }
}
