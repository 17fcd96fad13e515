using JasperFx.Events;
using Relief.Api.CaregiverFamilies;
using Relief.Api.ExtendedPolicies;

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

    [Fact]
    public void Each_event_of_the_family_moves_its_version()
    {
        var view = Project(
            new CaregiverFamilyRegistered(FamilyId, "mucheng", "西关村", Relief.Core.Protection.ProtectedValue.LegacyPlaintext("李四"), AppFixture.Start),
            new NeedsSurveyed(FamilyId, new DateOnly(2020, 9, 1), [ExtendedPolicy.FinancialLoan], null))!;

        Assert.True(view.Registered);
        Assert.Equal(2, view.FamilyVersion);
        Assert.Equal([ExtendedPolicy.FinancialLoan], view.Needs!.Needs);
    }

    [Fact]
    public void A_change_to_an_unknown_member_fails_loudly()
    {
        Assert.Throws<InvalidOperationException>(() => Project(
            new CaregiverFamilyRegistered(FamilyId, "mucheng", "西关村", Relief.Core.Protection.ProtectedValue.LegacyPlaintext("李四"), AppFixture.Start),
            new CaregiverFamilyMemberChanged(FamilyId, Guid.CreateVersion7(),
                new FamilyMemberRecord(Relation.Head, Gender.Female, new Relief.Core.Protection.ProtectedValue("p-0", "sealed")))));
    }
}
