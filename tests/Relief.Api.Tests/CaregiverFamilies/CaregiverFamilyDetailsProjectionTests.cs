using JasperFx.Events;
using Relief.Api.CareAgreements;
using Relief.Api.CaregiverFamilies;

namespace Relief.Api.Tests.CaregiverFamilies;

/// <summary>The family view's projection, event by event, without a database.</summary>
public sealed class CaregiverFamilyDetailsProjectionTests
{
    private static readonly Guid FamilyId = Guid.CreateVersion7();
    private readonly CaregiverFamilyDetailsProjection _projection = new();

    private CaregiverFamilyDetails? Project(params object[] events)
    {
        CaregiverFamilyDetails? view = null;
        var version = 0;
        foreach (var data in events)
        {
            var e = new Event<object>(data) { Version = ++version, Timestamp = AppFixture.Start.AddSeconds(version) };
            view = _projection.Evolve(view, FamilyId, e);
        }

        return view;
    }

    private static CareAgreementSigned Signed(Guid agreementId) =>
        Support.Api.AgreementSigned(agreementId, FamilyId, Guid.CreateVersion7(), CareMode.NeighbourCare, new DateOnly(2020, 6, 1));

    [Fact]
    public void An_ending_that_arrives_before_its_signing_is_kept_until_the_signing_comes()
    {
        var agreementId = Guid.CreateVersion7();

        var view = Project(
            new CaregiverFamilyRegistered(FamilyId, "mucheng", "西关村", "李四", AppFixture.Start),
            new CareAgreementEnded(agreementId, Guid.CreateVersion7(), new DateOnly(2020, 9, 30), "到期"),
            Signed(agreementId))!;

        var agreement = Assert.Single(view.Agreements);
        Assert.Equal((agreementId, CareMode.NeighbourCare, new DateOnly(2020, 9, 30)), (agreement.AgreementId, agreement.Mode, agreement.EndedOn));
        Assert.Empty(view.PendingEndings);
    }

    [Fact]
    public void Agreement_events_do_not_move_the_family_s_version_and_alone_make_no_registered_family()
    {
        var agreementOnly = Project(Signed(Guid.CreateVersion7()))!;
        Assert.False(agreementOnly.Registered);

        var view = Project(
            new CaregiverFamilyRegistered(FamilyId, "mucheng", "西关村", "李四", AppFixture.Start),
            Signed(Guid.CreateVersion7()))!;
        Assert.True(view.Registered);
        Assert.Equal(1, view.FamilyVersion);
    }

    [Fact]
    public void A_change_to_an_unknown_member_fails_loudly()
    {
        Assert.Throws<InvalidOperationException>(() => Project(
            new CaregiverFamilyRegistered(FamilyId, "mucheng", "西关村", "李四", AppFixture.Start),
            new CaregiverFamilyMemberChanged(FamilyId, Guid.CreateVersion7(),
                new FamilyMemberRecord("李四", Relation.Head, null, null, null, null, null))));
    }
}
