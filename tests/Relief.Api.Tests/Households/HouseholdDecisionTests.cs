using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Protection;
using Wolverine.Http;
using Wolverine.Marten;

namespace Relief.Api.Tests.Households;

/// <summary>The household decisions, given events and a command, without a database or HTTP.</summary>
public sealed class HouseholdDecisionTests
{
    private static readonly DateTimeOffset Now = AppFixture.Start;
    private static readonly Guid HouseholdId = Guid.CreateVersion7();
    private static readonly TownshipDirectory Townships = new([new Township("mucheng", "木城街道"), new Township("sanyang", "三阳乡")]);

    private static readonly PersonalDataVault Vault = new(
        new MasterKeyRing(new Dictionary<string, string> { ["k1"] = Convert.ToBase64String(new byte[32]) }, "k1"),
        Enumerable.Repeat((byte)7, 32).ToArray());

    private static readonly Caller Office = new("dev-poverty-office", Department.PovertyAlleviationOffice, null,
        new HashSet<string>(Scopes.All), null);

    private static readonly Caller MuchengTownship = new("dev-township-mucheng", Department.Township, "mucheng",
        new HashSet<string> { Scopes.HouseholdsWrite }, null);

    private static MemberInput Member(Relation relation = Relation.Head, int sequence = 1, DateOnly? birth = null)
    {
        var birthDate = birth ?? new DateOnly(1950, 3, 15);
        return new MemberInput("张三", Requests.ResidentId(birthDate, sequence), null, relation, birthDate,
            Gender.Male, "13800138000", DisabilityType.Physical, 1, DependencyLevel.Full);
    }

    private static Household Given(params object[] events)
    {
        var household = Household.Create((HouseholdRegistered)events[0]);
        household.Version = 1;
        foreach (var e in events.Skip(1))
        {
            switch (e)
            {
                case HouseholdMemberAdded added: household.Apply(added); break;
                case HouseholdMemberChanged changed: household.Apply(changed); break;
                case HouseholdMemberRemoved removed: household.Apply(removed); break;
            }

            household.Version++;
        }

        return household;
    }

    private static HouseholdRegistered Registered(string township = "mucheng") =>
        new(HouseholdId, township, "东关村", ProtectedValue.LegacyPlaintext("张三"), ProtectedValue.LegacyPlaintext("一组 8 号"),
            PovertyCause.Illness, Now);

    private static HouseholdMemberAdded Added(MemberInput member, Guid? memberId = null)
    {
        var protector = Vault.NewHousehold(HouseholdId, Now).Protector;
        return new HouseholdMemberAdded(HouseholdId, memberId ?? Guid.CreateVersion7(), member.ToRecord(protector, Vault, new DateOnly(2020, 10, 1)));
    }

    private static bool Passes(ProblemDetails problem) => ReferenceEquals(problem, WolverineContinue.NoProblems);

    [Fact]
    public void Registering_starts_a_stream_with_the_household_and_its_members_and_stores_its_key()
    {
        var command = new RegisterHousehold("木城街道", "东关村", "张三", "一组 8 号", PovertyCause.Illness,
            [Member(), Member(Relation.Spouse, 2, new DateOnly(1952, 1, 2))]);

        Assert.True(Passes(RegisterHouseholdEndpoint.Validate(command, [], Townships, Office, Now)));
        var (created, start, storeKey) = RegisterHouseholdEndpoint.Post(command, Townships, Vault, Now);

        var stream = Assert.IsType<StartStream<Household>>(start);
        Assert.Equal(created.Id, stream.StreamId);
        Assert.Equal(3, stream.Events.Count);
        var registered = Assert.IsType<HouseholdRegistered>(stream.Events[0]);
        Assert.Equal("mucheng", registered.Township);
        Assert.Equal(Now, registered.RegisteredAt);
        Assert.All(stream.Events.Skip(1), e => Assert.IsType<HouseholdMemberAdded>(e));
        var member = ((HouseholdMemberAdded)stream.Events[1]).Member;
        Assert.StartsWith("p-", member.Personal.KeyId);
        Assert.DoesNotContain(Member().ResidentId!, member.Personal.Ciphertext);
        Assert.NotNull(storeKey);
    }

    [Fact]
    public void A_township_key_may_register_only_in_its_own_township()
    {
        var command = new RegisterHousehold("sanyang", "村", "张三", "地址", PovertyCause.Other, null);

        var problem = RegisterHouseholdEndpoint.Validate(command, [], Townships, MuchengTownship, Now);

        Assert.Equal(403, problem.Status);
    }

    [Fact]
    public void Missing_required_fields_are_each_named()
    {
        var command = new RegisterHousehold(null, " ", null, null, null, [Member() with { Gender = null, BirthDate = null }]);

        var problem = Assert.IsType<ValidationProblemDetails>(RegisterHouseholdEndpoint.Validate(command, [], Townships, Office, Now));

        string[] expected = ["address", "headName", "members[0].birthDate", "members[0].gender", "povertyCause", "township", "village"];
        Assert.Equal(expected, problem.Errors.Keys.Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void A_member_born_in_the_future_or_graded_without_a_type_is_refused()
    {
        var household = Given(Registered());
        var unborn = Member(Relation.Child) with { ResidentId = null, BirthDate = new DateOnly(2021, 1, 1) };
        var gradedOnly = Member(Relation.Child, 3) with { DisabilityType = null };

        var first = Assert.IsType<ValidationProblemDetails>(HouseholdRules.ValidateMember(unborn, household, null, Vault, Now));
        var second = Assert.IsType<ValidationProblemDetails>(HouseholdRules.ValidateMember(gradedOnly, household, null, Vault, Now));

        Assert.Contains("member.birthDate", first.Errors.Keys);
        Assert.Contains("member.disabilityType", second.Errors.Keys);
    }

    [Fact]
    public void A_household_has_at_most_one_head_but_the_head_may_be_changed_in_place()
    {
        var headId = Guid.CreateVersion7();
        var household = Given(Registered(), Added(Member(), headId));

        Assert.False(Passes(HouseholdRules.ValidateMember(Member(Relation.Head, 5), household, null, Vault, Now)));
        Assert.True(Passes(HouseholdRules.ValidateMember(Member(Relation.Head, 1), household, headId, Vault, Now)));
    }

    [Fact]
    public void The_same_resident_ID_cannot_stand_twice_in_one_household()
    {
        // The resident index finds the ID active in the member's own household: a 400 on the field, not a 409.
        var own = new ResidentConflict("member.residentId", HouseholdId, "mucheng");

        var problem = Assert.IsType<ValidationProblemDetails>(ResidentRegistry.Problem([own], Office, HouseholdId));
        var elsewhere = ResidentRegistry.Problem([own], Office, Guid.CreateVersion7());

        Assert.Contains("member.residentId", problem.Errors.Keys);
        Assert.Equal(409, elsewhere!.Status);
    }

    [Fact]
    public void Adding_changing_and_removing_answer_the_next_version_with_one_event()
    {
        var memberId = Guid.CreateVersion7();
        var household = Given(Registered(), Added(Member(), memberId));
        var person = Vault.NewPerson(memberId, HouseholdId, Now).Protector;

        var (_, addEvents, _, _) = AddHouseholdMemberEndpoint.Post(
            new AddHouseholdMember(2, Member(Relation.Spouse, 2)), household, Vault, Now);
        var (_, changeEvents, _) = ChangeHouseholdMemberEndpoint.Put(
            new ChangeHouseholdMember(2, Member()), household, memberId, person, Vault, Now);
        var record = Vault.NewHousehold(HouseholdId, Now).Protector;
        var (_, removeEvents, _) = RemoveHouseholdMemberEndpoint.Post(
            new RemoveHouseholdMember(2, " 迁出 "), household, memberId, record);

        Assert.IsType<HouseholdMemberAdded>(Assert.Single(addEvents));
        Assert.Equal(memberId, Assert.IsType<HouseholdMemberChanged>(Assert.Single(changeEvents)).MemberId);
        Assert.Equal("迁出", record.Reveal(SealedFields.Reason, Assert.IsType<HouseholdMemberRemoved>(Assert.Single(removeEvents)).Reason));
        Assert.Single(household.Members); // the decision did not touch the loaded state
    }

    [Fact]
    public void Township_keys_may_not_change_households_of_other_townships()
    {
        var household = Given(Registered("sanyang"));

        Assert.Equal(403, HouseholdRules.Access(household, MuchengTownship)?.Status);
        Assert.Null(HouseholdRules.Access(household, Office));
    }
}
