using System.Globalization;
using Relief.Core.Protection;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.CareAgreements;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;

namespace Relief.Api.Tests.CareAgreements;

/// <summary>Agreement decisions, given events and a command, without a database.</summary>
public sealed class CareAgreementDecisionTests
{
    private static readonly DateTimeOffset Now = AppFixture.Start;
    private static readonly Caller Office = new("office", Department.PovertyAlleviationOffice, null, new HashSet<string>(Scopes.All), null);

    private static CareTerms Terms(string startsOn = "2020-04-01", string? endsOn = "2021-03-31") =>
        new(DateOnly.Parse(startsOn, CultureInfo.InvariantCulture), endsOn is null ? null : DateOnly.Parse(endsOn, CultureInfo.InvariantCulture), ["visit"], 300m, []);

    private static CareAgreement Given(CareTerms terms, params object[] events)
    {
        var signed = new CareAgreementSigned(Guid.CreateVersion7(), Guid.CreateVersion7(), "mucheng", CareMode.KinshipCare,
            new Caregiver(CaregiverKind.Person, Relief.Core.Protection.ProtectedValue.LegacyPlaintext("李四"), null), terms, null, terms.StartsOn);
        var agreement = CareAgreement.Create(signed);
        agreement.Version = 1;
        foreach (var e in events)
        {
            switch (e)
            {
                case CareAgreementRenewed r: agreement.Apply(r); break;
                case CareAgreementAmended a: agreement.Apply(a); break;
                case CareAgreementEnded x: agreement.Apply(x); break;
            }

            agreement.Version++;
        }

        return agreement;
    }

    private static bool Passes(ProblemDetails problem) => ReferenceEquals(problem, WolverineContinue.NoProblems);

    [Theory]
    [InlineData("2020-03-31", false)]
    [InlineData("2020-04-01", true)]
    [InlineData("2021-03-31", true)]
    [InlineData("2021-04-01", false)]
    public void An_agreement_gives_care_from_its_start_to_its_end(string day, bool active) =>
        Assert.Equal(active, Given(Terms()).IsActiveOn(DateOnly.Parse(day, CultureInfo.InvariantCulture)));

    [Fact]
    public void Ending_early_ends_care_after_the_last_day_and_a_renewal_extends_it()
    {
        var agreement = Given(Terms());
        var ended = Given(Terms(), new CareAgreementEnded(agreement.Id, agreement.HouseholdId, new DateOnly(2020, 9, 15), ProtectedValue.LegacyPlaintext("x")));
        var renewed = Given(Terms(), new CareAgreementRenewed(agreement.Id, agreement.HouseholdId, null, new DateOnly(2021, 3, 1)));

        Assert.True(ended.IsActiveOn(new DateOnly(2020, 9, 15)));
        Assert.False(ended.IsActiveOn(new DateOnly(2020, 9, 16)));
        Assert.True(renewed.IsActiveOn(new DateOnly(2030, 1, 1)));
    }

    [Fact]
    public void A_renewal_must_go_beyond_the_current_end_and_an_open_ended_agreement_is_not_renewed()
    {
        var agreement = Given(Terms());
        var open = Given(Terms(endsOn: null));

        Assert.False(Passes(RenewCareAgreementEndpoint.Validate(new RenewCareAgreement(1, new DateOnly(2021, 3, 31), new DateOnly(2021, 3, 1)), agreement, Office)));
        Assert.True(Passes(RenewCareAgreementEndpoint.Validate(new RenewCareAgreement(1, new DateOnly(2022, 3, 31), new DateOnly(2021, 3, 1)), agreement, Office)));
        Assert.True(Passes(RenewCareAgreementEndpoint.Validate(new RenewCareAgreement(1, null, new DateOnly(2021, 3, 1)), agreement, Office)));
        Assert.False(Passes(RenewCareAgreementEndpoint.Validate(new RenewCareAgreement(1, null, new DateOnly(2021, 3, 1)), open, Office)));
    }

    [Fact]
    public void Amendments_take_effect_in_order_and_within_the_agreement()
    {
        var agreement = Given(Terms());
        var input = new CareTermsInput(null, new DateOnly(2021, 3, 31), ["meals"], 500m, []);

        var (_, events) = AmendCareAgreementEndpoint.Post(new AmendCareAgreement(1, new DateOnly(2020, 10, 1), input), agreement);
        var amended = Given(Terms(), events.ToArray());

        var e = Assert.IsType<CareAgreementAmended>(Assert.Single(events));
        Assert.Equal(agreement.StartsOn, e.Terms.StartsOn);
        Assert.False(Passes(AmendCareAgreementEndpoint.Validate(new AmendCareAgreement(2, new DateOnly(2020, 9, 1), input), amended, Office)));
        Assert.False(Passes(AmendCareAgreementEndpoint.Validate(new AmendCareAgreement(1, new DateOnly(2021, 4, 1), input), agreement, Office)));
        Assert.False(Passes(AmendCareAgreementEndpoint.Validate(new AmendCareAgreement(1, new DateOnly(2020, 10, 1), input with { StartsOn = new DateOnly(2020, 5, 1) }), agreement, Office)));
    }

    [Fact]
    public void An_agreement_cannot_end_before_it_started_nor_twice()
    {
        var agreement = Given(Terms());
        var ended = Given(Terms(), new CareAgreementEnded(agreement.Id, agreement.HouseholdId, new DateOnly(2020, 9, 15), ProtectedValue.LegacyPlaintext("x")));

        Assert.False(Passes(EndCareAgreementEndpoint.Validate(new EndCareAgreement(1, new DateOnly(2020, 3, 1), "x"), agreement, Office)));
        Assert.Equal(409, EndCareAgreementEndpoint.Validate(new EndCareAgreement(2, new DateOnly(2020, 10, 1), "x"), ended, Office).Status);
    }

    [Fact]
    public void Every_kind_of_care_names_the_caregivers_that_may_sign_it()
    {
        Assert.Equal(Enum.GetValues<CareMode>().Order(), SignCareAgreementEndpoint.AllowedCaregivers.Keys.Order());
        Assert.Equal([CaregiverKind.Organisation], SignCareAgreementEndpoint.AllowedCaregivers[CareMode.CentralisedCare]);
    }

    [Fact]
    public void The_last_day_is_the_earlier_of_the_terms_end_and_the_ending() =>
        Assert.Equal(new DateOnly(2020, 9, 15),
            CarePeriod.LastDayOf(new DateOnly(2021, 3, 31), new DateOnly(2020, 9, 15)));
}
