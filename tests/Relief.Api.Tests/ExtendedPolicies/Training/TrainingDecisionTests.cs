using System.Globalization;
using Relief.Api.Households;
using Relief.Core.Protection;
using Relief.Api.Infrastructure.PersonalData;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.CareAgreements;
using Relief.Api.CaregiverFamilies;
using Relief.Api.ExtendedPolicies;
using Relief.Api.Infrastructure.Security;
using Relief.Api.ExtendedPolicies.Training;
using Wolverine.Http;

namespace Relief.Api.Tests.ExtendedPolicies.Training;

/// <summary>The training-class decisions, given events and a command, without a database or HTTP.</summary>
public sealed class TrainingDecisionTests
{
    private static readonly DateTimeOffset Now = AppFixture.Start; // 2020-10-01 in China
    private static readonly Guid ClassId = Guid.CreateVersion7();
    private static readonly Guid FamilyId = Guid.CreateVersion7();
    private static readonly Guid MemberId = Guid.CreateVersion7();

    private static TrainingClass Given(params object[] events)
    {
        var trainingClass = TrainingClass.Create((TrainingClassScheduled)events[0]);
        trainingClass.Version = 1;
        foreach (var e in events.Skip(1))
        {
            switch (e)
            {
                case TraineeEnrolled enrolled: trainingClass.Apply(enrolled); break;
                case TrainingCompleted completed: trainingClass.Apply(completed); break;
                case TraineeWithdrew withdrew: trainingClass.Apply(withdrew); break;
            }

            trainingClass.Version++;
        }

        return trainingClass;
    }

    private static TrainingClassScheduled Scheduled(int capacity = 2, string endsOn = "2020-10-20") =>
        new(ClassId, Trade.Welder, "电焊班", "县职业培训中心", "mucheng", new DateOnly(2020, 9, 20), DateOnly.Parse(endsOn, CultureInfo.InvariantCulture), capacity);

    private static TraineeEnrolled Enrolled(Guid? enrolmentId = null, Guid? memberId = null) =>
        new(ClassId, enrolmentId ?? Guid.CreateVersion7(), FamilyId, memberId ?? Guid.CreateVersion7(),
            new Relief.Core.Protection.ProtectedValue("p-0", "sealed"), "mucheng", Trade.Welder,
            new DateOnly(2020, 9, 21));

    private static readonly PersonalDataVault Vault = new(
        new MasterKeyRing(new Dictionary<string, string> { ["k1"] = Convert.ToBase64String(new byte[32]) }, "k1"), new byte[32]);

    /// <summary>A family whose members' names are sealed under keys of their own, as the store would hold them.</summary>
    private static FamilyMemberCandidate Family(params Guid[] members) => Family([Agreement(CareMode.KinshipCare)], members);

    /// <summary>The family holding <paramref name="agreements"/> as caregiver.</summary>
    private static FamilyMemberCandidate Family(IReadOnlyList<CareAgreementDetails> agreements, params Guid[] members)
    {
        var keys = members.Select(m => Vault.NewPerson(m, FamilyId, Now)).ToList();
        var family = new CaregiverFamilyDetails
        {
            Id = FamilyId, Registered = true, Township = "mucheng",
            Members = [.. keys.Select(k => new CaregiverFamilyMemberDetails(k.Key.Id, new FamilyMemberRecord(Relation.Head, Gender.Female,
                k.Protector.Seal(MemberFields.Personal, new FamilyMemberPersonalData("李四", null, null, null))), null))],
        };
        return new FamilyMemberCandidate(family, Vault.Chain([], [], members, keys.Select(k => k.Key)), agreements);
    }

    private static readonly OwnershipTable Ownership = new(new Dictionary<string, Department[]>
    {
        ["eligibility-exceptions"] = [Department.PovertyAlleviationOffice],
    });

    private static readonly Caller Hrss = new("dev-hrss", Department.HumanResourcesAndSocialSecurity, null,
        new HashSet<string> { Scopes.PoliciesWrite }, null);

    /// <summary>A care agreement the family holds as caregiver, from <paramref name="startsOn"/> to <paramref name="lastDay"/>.</summary>
    private static CareAgreementDetails Agreement(CareMode mode, string startsOn = "2020-04-01", string? lastDay = null) => new()
    {
        Id = Guid.CreateVersion7(), Mode = mode, StartsOn = DateOnly.Parse(startsOn, CultureInfo.InvariantCulture),
        EndsOn = lastDay is null ? null : DateOnly.Parse(lastDay, CultureInfo.InvariantCulture),
        Caregiver = new Caregiver(CaregiverKind.CaregiverFamily, null, FamilyId),
    };

    private static bool Passes(ProblemDetails problem) => ReferenceEquals(problem, WolverineContinue.NoProblems);

    [Fact]
    public void A_member_of_the_family_takes_a_free_seat_today_at_the_next_version()
    {
        var trainingClass = Given(Scheduled(capacity: 2), Enrolled());
        var command = new EnrolTrainee(FamilyId, MemberId);

        Assert.True(Passes(EnrolTraineeEndpoint.Validate(command, trainingClass, Family(MemberId), Hrss, Ownership, Now)));
        var family = Family(MemberId);
        var (saved, events) = EnrolTraineeEndpoint.Post(command, trainingClass, family, Hrss, Now);

        var enrolled = Assert.IsType<TraineeEnrolled>(Assert.Single(events));
        Assert.Equal(saved.EnrolmentId, enrolled.EnrolmentId);
        Assert.Equal((MemberId, "李四", "mucheng", Trade.Welder, new DateOnly(2020, 10, 1)),
            (enrolled.MemberId, family.Keys.Reveal(MemberFields.Name, enrolled.MemberName), enrolled.Township, enrolled.Trade,
                enrolled.EnrolledOn));
        Assert.StartsWith("p-", enrolled.MemberName.KeyId);
    }

    [Fact]
    public void The_capacity_is_never_exceeded_but_a_withdrawal_frees_a_seat()
    {
        var first = Guid.CreateVersion7();
        var full = Given(Scheduled(capacity: 2), Enrolled(first), Enrolled());
        var freed = Given(Scheduled(capacity: 2), Enrolled(first), Enrolled(),
            new TraineeWithdrew(ClassId, first, FamilyId, Guid.CreateVersion7(), new DateOnly(2020, 9, 22), ProtectedValue.LegacyPlaintext("外出务工")));

        var refused = EnrolTraineeEndpoint.Validate(new EnrolTrainee(FamilyId, MemberId), full, Family(MemberId), Hrss, Ownership, Now);

        Assert.Equal(409, refused.Status);
        Assert.Equal("All 2 seats of '电焊班' are taken.", refused.Detail);
        Assert.True(Passes(EnrolTraineeEndpoint.Validate(new EnrolTrainee(FamilyId, MemberId), freed, Family(MemberId), Hrss, Ownership, Now)));
    }

    [Fact]
    public void A_completed_trainee_still_holds_a_seat()
    {
        var first = Guid.CreateVersion7();
        var trainingClass = Given(Scheduled(capacity: 1), Enrolled(first),
            new TrainingCompleted(ClassId, first, FamilyId, Guid.CreateVersion7(), new DateOnly(2020, 9, 30), ProtectedValue.LegacyPlaintext("C-1")));

        Assert.Equal(409, EnrolTraineeEndpoint.Validate(new EnrolTrainee(FamilyId, MemberId), trainingClass, Family(MemberId), Hrss, Ownership, Now).Status);
    }

    [Fact]
    public void A_member_enrols_once_unless_they_withdrew()
    {
        var enrolment = Guid.CreateVersion7();
        var enrolled = Given(Scheduled(capacity: 5), Enrolled(enrolment, MemberId));
        var withdrawn = Given(Scheduled(capacity: 5), Enrolled(enrolment, MemberId),
            new TraineeWithdrew(ClassId, enrolment, FamilyId, MemberId, new DateOnly(2020, 9, 22), ProtectedValue.LegacyPlaintext("生病")));

        var again = EnrolTraineeEndpoint.Validate(new EnrolTrainee(FamilyId, MemberId), enrolled, Family(MemberId), Hrss, Ownership, Now);

        Assert.Equal(409, again.Status);
        Assert.Equal("The member is already enrolled.", again.Title);
        Assert.True(Passes(EnrolTraineeEndpoint.Validate(new EnrolTrainee(FamilyId, MemberId), withdrawn, Family(MemberId), Hrss, Ownership, Now)));
    }

    [Fact]
    public void Only_a_member_of_a_registered_family_enrols()
    {
        var trainingClass = Given(Scheduled());

        var noFamily = EnrolTraineeEndpoint.Validate(new EnrolTrainee(FamilyId, MemberId), trainingClass, FamilyMemberCandidate.None, Hrss, Ownership, Now);
        var noMember = EnrolTraineeEndpoint.Validate(new EnrolTrainee(FamilyId, MemberId), trainingClass, Family(Guid.CreateVersion7()), Hrss, Ownership, Now);
        var missing = EnrolTraineeEndpoint.Validate(new EnrolTrainee(null, null), trainingClass, FamilyMemberCandidate.None, Hrss, Ownership, Now);

        Assert.Equal((404, "No such caregiver family."), (noFamily.Status, noFamily.Title));
        Assert.Equal((404, "No such member."), (noMember.Status, noMember.Title));
        Assert.Equal(["caregiverFamilyId", "memberId"], ((ValidationProblemDetails)missing).Errors.Keys.Order());
    }

    [Fact]
    public void Nobody_enrols_after_the_class_ended()
    {
        var over = Given(Scheduled(endsOn: "2020-09-30"));

        var problem = EnrolTraineeEndpoint.Validate(new EnrolTrainee(FamilyId, MemberId), over, Family(MemberId), Hrss, Ownership, Now);

        Assert.Equal((409, "The class is over."), (problem.Status, problem.Title));
    }

    [Fact]
    public void An_enrolled_trainee_completes_with_a_certificate()
    {
        var enrolment = Guid.CreateVersion7();
        var trainingClass = Given(Scheduled(), Enrolled(enrolment, MemberId));
        var command = new CompleteTraining(new DateOnly(2020, 9, 30), " DG-2020-017 ");

        Assert.True(Passes(CompleteTrainingEndpoint.Validate(command, trainingClass, enrolment, Now)));
        var trainee = Vault.NewPerson(MemberId, FamilyId, Now).Protector;
        var (_, events) = CompleteTrainingEndpoint.Post(command, trainingClass, enrolment, trainee);

        var completed = Assert.IsType<TrainingCompleted>(Assert.Single(events));
        Assert.Equal(new TrainingCompleted(ClassId, enrolment, FamilyId, MemberId, new DateOnly(2020, 9, 30), completed.CertificateNo),
            completed);
        // The certificate's number identifies the trainee: sealed under their own key, trimmed.
        Assert.Equal(MemberId, DataProtector.PersonOf(completed.CertificateNo!.KeyId));
        Assert.Equal("DG-2020-017", trainee.Reveal(PersonalDataMask.Fields.CertificateNo, completed.CertificateNo));
    }

    [Fact]
    public void Completion_needs_an_enrolment_that_is_still_in_training()
    {
        var enrolment = Guid.CreateVersion7();
        var withdrawn = Given(Scheduled(), Enrolled(enrolment, MemberId),
            new TraineeWithdrew(ClassId, enrolment, FamilyId, MemberId, new DateOnly(2020, 9, 22), ProtectedValue.LegacyPlaintext("生病")));
        var completed = Given(Scheduled(), Enrolled(enrolment, MemberId),
            new TrainingCompleted(ClassId, enrolment, FamilyId, MemberId, new DateOnly(2020, 9, 30), null));
        var command = new CompleteTraining(new DateOnly(2020, 9, 30), null);

        Assert.Equal(404, CompleteTrainingEndpoint.Validate(command, withdrawn, Guid.CreateVersion7(), Now).Status);
        var again = CompleteTrainingEndpoint.Validate(command, withdrawn, enrolment, Now);
        Assert.Equal((409, "The enrolment is withdrawn."), (again.Status, again.Title));
        Assert.Equal(409, CompleteTrainingEndpoint.Validate(command, completed, enrolment, Now).Status);
    }

    [Fact]
    public void Completion_is_dated_within_the_class_and_not_in_the_future()
    {
        var enrolment = Guid.CreateVersion7();
        var trainingClass = Given(Scheduled(), Enrolled(enrolment, MemberId));

        var early = CompleteTrainingEndpoint.Validate(new CompleteTraining(new DateOnly(2020, 9, 19), null), trainingClass, enrolment, Now);
        var future = CompleteTrainingEndpoint.Validate(new CompleteTraining(new DateOnly(2020, 10, 2), null), trainingClass, enrolment, Now);

        Assert.Contains("completedOn", ((ValidationProblemDetails)early).Errors.Keys);
        Assert.Contains("completedOn", ((ValidationProblemDetails)future).Errors.Keys);
    }

    [Fact]
    public void A_withdrawal_frees_the_seat_of_an_enrolled_trainee()
    {
        var enrolment = Guid.CreateVersion7();
        var trainingClass = Given(Scheduled(capacity: 1), Enrolled(enrolment, MemberId));
        var command = new WithdrawTrainee(new DateOnly(2020, 9, 25), "外出务工");

        Assert.True(Passes(WithdrawTraineeEndpoint.Validate(command, trainingClass, enrolment, Now)));
        var family = Vault.NewHousehold(FamilyId, Now).Protector;
        var (_, events) = WithdrawTraineeEndpoint.Post(command, trainingClass, enrolment, family);
        Assert.Equal("外出务工", family.Reveal(SealedFields.Reason, Assert.IsType<TraineeWithdrew>(Assert.Single(events)).Reason));
        var after = Given(Scheduled(capacity: 1), Enrolled(enrolment, MemberId), Assert.Single(events));

        Assert.Equal(1, after.Free);
        Assert.Equal(409, WithdrawTraineeEndpoint.Validate(command, after, enrolment, Now).Status);
    }

    private static PlacementContext Placing(FamilyMemberCandidate candidate, PolicyCaseDetails? policyCase = null,
        JobPlacementDetails? placement = null) => new(candidate, policyCase, placement);

    [Fact]
    public void A_placement_needs_a_member_of_a_registered_family_and_a_channel()
    {
        var command = new PlaceInJob(FamilyId, MemberId, PlacementChannel.EnterpriseMatching, "县城管局", new DateOnly(2020, 9, 28));

        Assert.True(Passes(PlaceInJobEndpoint.Validate(command, Placing(Family(MemberId)), Hrss, Ownership, Now)));
        Assert.Equal(404, PlaceInJobEndpoint.Validate(command, Placing(Family()), Hrss, Ownership, Now).Status);
        var missing = (ValidationProblemDetails)PlaceInJobEndpoint.Validate(command with { Channel = null, Employer = " " },
            Placing(Family(MemberId)), Hrss, Ownership, Now);
        Assert.Equal(["channel", "employer"], missing.Errors.Keys.Order());
    }
}
