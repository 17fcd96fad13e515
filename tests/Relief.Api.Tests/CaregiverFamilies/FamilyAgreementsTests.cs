using Relief.Core.Protection;
using Relief.Api.CareAgreements;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Relief.Api.CaregiverFamilies;

namespace Relief.Api.Tests.CaregiverFamilies;

/// <summary>The care agreements a family holds, projected from the care-agreement module's events.</summary>
public sealed class FamilyAgreementsTests(AppFixture fixture) : ApiTest(fixture)
{
    private async Task Append(Guid agreementId, params object[] events)
    {
        await using var session = Store.LightweightSession();
        session.Events.Append(agreementId, events);
        await session.SaveChangesAsync();
    }

    [Fact]
    public async Task The_family_view_lists_the_agreements_it_signed_and_when_they_ended()
    {
        var family = await Api.RegisteredFamily();
        var household = await Api.RegisteredHousehold();
        var kinship = await Api.AgreementSignedBy(family, household, CareMode.KinshipCare, new DateOnly(2020, 4, 10));
        var neighbour = await Api.AgreementSignedBy(family, household, CareMode.NeighbourCare, new DateOnly(2020, 5, 1));
        await Api.AgreementSignedBy(null, household, CareMode.AssignedHelperCare);
        await Append(kinship, new CareAgreementEnded(kinship, household, new DateOnly(2020, 9, 30), ProtectedValue.LegacyPlaintext("被照料人去世")));

        var view = await Api.Family(family);

        var agreements = view.GetProperty("agreements").EnumerateArray().ToList();
        Assert.Equal([kinship, neighbour], agreements.Select(a => a.GetProperty("agreementId").GetGuid()));
        Assert.All(agreements, a => Assert.Equal(household, a.GetProperty("householdId").GetGuid()));
        Assert.Equal(["KinshipCare", "NeighbourCare"], agreements.Select(a => a.GetProperty("mode").GetString()));
        Assert.Equal("2020-04-10", agreements[0].GetProperty("signedOn").GetString());
        Assert.Equal("2020-09-30", agreements[0].GetProperty("endedOn").GetString());
        Assert.False(agreements[1].TryGetProperty("endedOn", out _));
        Assert.Equal(2, view.GetProperty("version").GetInt32()); // the family's own stream is untouched
    }

    [Fact]
    public async Task The_family_view_can_be_rebuilt_from_the_events()
    {
        var family = await Api.RegisteredFamily();
        var household = Guid.CreateVersion7();
        var agreement = await Api.AgreementSignedBy(family, household);
        await Append(agreement, new CareAgreementEnded(agreement, household, new DateOnly(2020, 9, 30), ProtectedValue.LegacyPlaintext("到期")));
        await Api.Send(HttpMethod.Put, $"/api/caregiver-families/{family}/needs",
            System.Text.Json.Nodes.JsonNode.Parse("""{ "version": 2, "surveyedOn": "2020-09-10", "needs": ["FamilyDoctor"] }"""));
        // lastChangedAt aside: in Quick append mode the stored timestamps are the database's, not those seen inline.
        static string Settled(System.Text.Json.JsonElement view)
        {
            var node = System.Text.Json.Nodes.JsonNode.Parse(view.GetRawText())!.AsObject();
            node.Remove("lastChangedAt");
            return node.ToJsonString();
        }

        var before = Settled(await Api.Family(family));

        using var daemon = await Store.BuildProjectionDaemonAsync();
        await daemon.RebuildProjectionAsync<CaregiverFamilyDetailsProjection>(CancellationToken.None);

        var after = await Api.Family(family);
        Assert.Equal("2020-09-30", after.GetProperty("agreements")[0].GetProperty("endedOn").GetString());
        Assert.Equal(before, Settled(after));
    }

    [Fact]
    public async Task An_agreement_signed_and_ended_in_the_same_transaction_shows_ended_on_its_family()
    {
        var family = await Api.RegisteredFamily();
        var agreementId = Guid.CreateVersion7();
        var householdId = Guid.CreateVersion7();

        await using (var session = Store.LightweightSession())
        {
            session.Events.StartStream<Relief.Api.CareAgreements.CareAgreement>(agreementId,
                Support.Api.AgreementSigned(agreementId, family, householdId),
                new CareAgreementEnded(agreementId, householdId, new DateOnly(2020, 9, 2), ProtectedValue.LegacyPlaintext("recorded in error")));
            await session.SaveChangesAsync();
        }

        var agreement = (await Api.Family(family)).GetProperty("agreements")[0];
        Assert.Equal("2020-09-02", agreement.GetProperty("endedOn").GetString());
    }

    [Fact]
    public async Task An_agreement_recorded_with_the_family_s_stream_start_shows_on_the_family_however_ordered()
    {
        var vault = Host.Services.GetRequiredService<Relief.Api.Infrastructure.PersonalData.PersonalDataKeyRings>().Shared;
        var start = CaregiverFamilyStart.For("mucheng", "东关村", "赵六", vault, AppFixture.Start);
        var agreementId = Guid.CreateVersion7();

        await using (var session = Store.LightweightSession())
        {
            // The agreement first: the view exists before the family's registration reaches it.
            session.Events.StartStream<Relief.Api.CareAgreements.CareAgreement>(agreementId, Support.Api.AgreementSigned(agreementId, start.FamilyId, Guid.CreateVersion7()));
            session.Events.StartStream<CaregiverFamily>(start.FamilyId, [.. start.Events]);
            start.StoreKey().Execute(session);
            await session.SaveChangesAsync();
        }

        var view = await Api.Family(start.FamilyId);
        Assert.Equal("赵六", view.GetProperty("headName").GetString());
        Assert.Equal(2, view.GetProperty("version").GetInt32());
        Assert.Equal(agreementId, view.GetProperty("agreements")[0].GetProperty("agreementId").GetGuid());
    }

    [Fact]
    public async Task An_agreement_naming_an_unregistered_family_makes_no_family()
    {
        var ghost = Guid.CreateVersion7();
        await Api.AgreementSignedBy(ghost, Guid.CreateVersion7());

        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await Send(HttpMethod.Get, $"/api/caregiver-families/{ghost}")).StatusCode);
        Assert.Empty((await Api.Send(HttpMethod.Get, "/api/caregiver-families", null)).GetProperty("items").EnumerateArray());
    }
}
