using Relief.Api.CareAgreements;
using Relief.Api.CareCentres;
using Relief.Api.CaregiverFamilies;
using Relief.Api.ExtendedPolicies;
using Relief.Api.Households;
using Relief.Core.Calendar;
using M = Relief.Api.Dispatch.DispatchMetrics;

namespace Relief.Api.Dispatch;

// What the weekly dispatch projection remembers of each thing it counts, as documents of their own:
// small, one per household, centre, caregiver family, policy case and trainee, loaded only when one
// of their events arrives. Each says what it contributes to the report; the projection counts the
// difference between before and after an event.

/// <summary>
/// A subject of the report: a thing whose contribution changes with its events. Each subject says
/// which events are its own (a static <c>IdOf</c>: the subject's id in the event, or null) and
/// applies them in <see cref="When"/>.
/// </summary>
public interface IDispatchSubject
{
    Guid Id { get; set; }

    /// <summary>
    /// The sequences of the events applied to it, in order: what it is folded again from, without
    /// the voided one, when one of them is voided (<c>EntryVoided</c>). Null for a subject written
    /// before subjects kept them: its list would be incomplete, so it is never started late.
    /// </summary>
    List<long>? Events { get; set; }

    /// <summary>Applies one of the subject's own events.</summary>
    void When(object data);

    Contribution Contribution();
}

/// <summary>A household: counted from registration to closure; covered while an agreement is in force.</summary>
public sealed class DispatchHousehold : IDispatchSubject
{
    /// <summary>The household an event is about, when it is one of its events.</summary>
    public static Guid? IdOf(object data) => data switch
    {
        HouseholdRegistered e => e.HouseholdId,
        HouseholdDetailsChanged e => e.HouseholdId,
        HouseholdClosed e => e.HouseholdId,
        CareAgreementSigned e => e.HouseholdId,
        CareAgreementRenewed e => e.HouseholdId,
        CareAgreementAmended e => e.HouseholdId,
        CareAgreementEnded e => e.HouseholdId,
        _ => null,
    };
    public void When(object data)
    {
        switch (data)
        {
            case HouseholdRegistered e: Apply(e, ChinaTime.Today(e.RegisteredAt)); break;
            case HouseholdDetailsChanged e: Apply(e); break;
            case HouseholdClosed e: Apply(e); break;
            case CareAgreementSigned e: Apply(e); break;
            case CareAgreementRenewed e: Apply(e); break;
            case CareAgreementAmended e: Apply(e); break;
            case CareAgreementEnded e: Apply(e); break;
        }
    }

    public Guid Id { get; set; }
    public List<long>? Events { get; set; }
    public string Township { get; set; } = "";
    public string Village { get; set; } = "";
    public string HeadName { get; set; } = "";
    public DateOnly Since { get; set; }
    public DateOnly? ClosedOn { get; set; }
    public Dictionary<Guid, CareAgreement> Agreements { get; set; } = [];

    public void Apply(HouseholdRegistered e, DateOnly on)
    {
        Id = e.HouseholdId;
        Township = e.Township;
        Village = e.Village;
        HeadName = e.HeadName;
        Since = on;
    }

    public void Apply(HouseholdDetailsChanged e)
    {
        Village = e.Village;
        HeadName = e.HeadName;
    }

    public void Apply(HouseholdClosed e) => ClosedOn = e.ClosedOn;

    public void Apply(CareAgreementSigned e) => Agreements[e.AgreementId] = CareAgreement.Create(e);

    public void Apply(CareAgreementRenewed e) => Agreements.GetValueOrDefault(e.AgreementId)?.Apply(e);

    public void Apply(CareAgreementAmended e) => Agreements.GetValueOrDefault(e.AgreementId)?.Apply(e);

    public void Apply(CareAgreementEnded e) => Agreements.GetValueOrDefault(e.AgreementId)?.Apply(e);

    public Contribution Contribution()
    {
        // Agreements may be recorded before the household's own registration event is counted
        // (another stream): until then the household contributes nothing.
        if (Township.Length == 0) return Relief.Api.Dispatch.Contribution.None;

        var until = ClosedOn;
        var spans = new List<Span> { new(M.Households, Township, Since, until) };
        var covered = Days.Union(Days.Within(
            Agreements.Values.Select(a => (a.StartsOn, Days.After(a.LastDay))), Since, until));
        spans.AddRange(covered.Select(c => new Span(M.HouseholdsCovered, Township, c.From, c.Until)));

        var label = $"{Village} · {HeadName}";
        var items = Days.Gaps(covered, Since, until)
            .Select(g => new DispatchItem($"uncovered:{Id}:{g.From:yyyyMMdd}", DispatchList.HouseholdWithoutAgreement, Id,
                Township, label, g.From, g.Until))
            .ToList();
        return new Contribution(spans, items);
    }
}

/// <summary>A care centre and the stays on its stream: residents and trial stays while they last.</summary>
public sealed class DispatchCentre : IDispatchSubject
{
    /// <summary>The centre an event is about, when it is one of its events (stays are on the centre's stream).</summary>
    public static Guid? IdOf(object data) => data switch
    {
        CareCentreRegistered e => e.CentreId,
        ResidentAdmitted e => e.CentreId,
        ResidentTransferredIn e => e.CentreId,
        ResidentTransferredOut e => e.CentreId,
        ResidentDischarged e => e.CentreId,
        TrialStayStarted e => e.CentreId,
        TrialStayConverted e => e.CentreId,
        TrialStayEnded e => e.CentreId,
        _ => null,
    };
    public void When(object data)
    {
        switch (data)
        {
            case CareCentreRegistered e: Apply(e); break;
            case ResidentAdmitted e: Apply(e); break;
            case ResidentTransferredIn e: Apply(e); break;
            case ResidentTransferredOut e: Apply(e); break;
            case ResidentDischarged e: Apply(e); break;
            case TrialStayStarted e: Apply(e); break;
            case TrialStayConverted e: Apply(e); break;
            case TrialStayEnded e: Apply(e); break;
        }
    }

    public Guid Id { get; set; }
    public List<long>? Events { get; set; }
    public string Township { get; set; } = "";
    public DateOnly OpenedOn { get; set; }
    public Dictionary<Guid, DispatchStay> Stays { get; set; } = [];

    public void Apply(CareCentreRegistered e)
    {
        Id = e.CentreId;
        Township = e.Township;
        OpenedOn = e.OpenedOn;
    }

    public void Apply(ResidentAdmitted e) => Stays[e.StayId] = new DispatchStay(StayKind.Admission, e.AdmittedOn, null);

    public void Apply(ResidentTransferredIn e) => Stays[e.StayId] = new DispatchStay(StayKind.Admission, e.On, null);

    public void Apply(TrialStayStarted e) => Stays[e.StayId] = new DispatchStay(StayKind.Trial, e.From, Days.After(e.Until));

    public void Apply(TrialStayConverted e) => End(e.StayId, e.AdmittedOn);

    public void Apply(TrialStayEnded e) => End(e.StayId, Days.After(e.EndedOn)!.Value);

    public void Apply(ResidentDischarged e) => End(e.StayId, e.DischargedOn);

    public void Apply(ResidentTransferredOut e) => End(e.StayId, e.On);

    private void End(Guid stayId, DateOnly until)
    {
        if (Stays.TryGetValue(stayId, out var stay)) Stays[stayId] = stay with { Until = Days.Earlier(stay.Until, until) };
    }

    public Contribution Contribution()
    {
        if (Township.Length == 0) return Relief.Api.Dispatch.Contribution.None;
        var spans = new List<Span> { new(M.CareCentres, Township, OpenedOn, null) };
        spans.AddRange(Stays.Values.Select(s =>
            new Span(s.Kind == StayKind.Admission ? M.CentreResidents : M.TrialStays, Township, s.From, s.Until)));
        return new Contribution(spans, []);
    }
}

/// <summary>A stay as the report counts it.</summary>
public sealed record DispatchStay(StayKind Kind, DateOnly From, DateOnly? Until);

/// <summary>A caregiver family, its people, and their family-doctor agreements.</summary>
public sealed class DispatchFamily : IDispatchSubject
{
    /// <summary>The caregiver family an event is about, when it is one of its events.</summary>
    public static Guid? IdOf(object data) => data switch
    {
        CaregiverFamilyRegistered e => e.FamilyId,
        CaregiverFamilyMemberAdded e => e.FamilyId,
        CaregiverFamilyMemberRemoved e => e.FamilyId,
        FamilyDoctorAgreementSigned e => e.FamilyId,
        FamilyDoctorAgreementEnded e => e.FamilyId,
        NeedsSurveyed e => e.FamilyId,
        _ => null,
    };
    public void When(object data)
    {
        switch (data)
        {
            case CaregiverFamilyRegistered e: Apply(e, ChinaTime.Today(e.RegisteredAt)); break;
            case CaregiverFamilyMemberAdded e: Apply(e); break;
            case CaregiverFamilyMemberRemoved e: Apply(e); break;
            case FamilyDoctorAgreementSigned e: Apply(e); break;
            case FamilyDoctorAgreementEnded e: Apply(e); break;
            case NeedsSurveyed e: Apply(e); break;
        }
    }

    public Guid Id { get; set; }
    public List<long>? Events { get; set; }
    public string Township { get; set; } = "";
    public string HeadName { get; set; } = "";
    public DateOnly Since { get; set; }

    /// <summary>The latest business date seen on the family's stream: the date of its undated events.</summary>
    public DateOnly LastDate { get; set; }

    public Dictionary<Guid, DispatchFamilyMember> Members { get; set; } = [];

    public void Apply(CaregiverFamilyRegistered e, DateOnly on)
    {
        Id = e.FamilyId;
        Township = e.Township;
        HeadName = e.HeadName;
        Since = on;
        See(on);
    }

    public void Apply(CaregiverFamilyMemberAdded e) =>
        Members[e.MemberId] = new DispatchFamilyMember { From = LastDate };

    public void Apply(CaregiverFamilyMemberRemoved e)
    {
        if (Members.TryGetValue(e.MemberId, out var member)) member.Until = LastDate;
    }

    public void Apply(FamilyDoctorAgreementSigned e)
    {
        See(e.SignedOn);
        if (Members.TryGetValue(e.MemberId, out var member))
            member.Doctor[e.AgreementId] = new DispatchTerm(e.SignedOn, Days.After(e.EndsOn));
    }

    public void Apply(FamilyDoctorAgreementEnded e)
    {
        See(e.EndedOn);
        if (Members.TryGetValue(e.MemberId, out var member) && member.Doctor.TryGetValue(e.AgreementId, out var term))
            member.Doctor[e.AgreementId] = term with { Until = Days.Earlier(term.Until, Days.After(e.EndedOn)) };
    }

    public void Apply(NeedsSurveyed e) => See(e.SurveyedOn);

    private void See(DateOnly day)
    {
        if (day > LastDate) LastDate = day;
    }

    public Contribution Contribution()
    {
        if (Township.Length == 0) return Relief.Api.Dispatch.Contribution.None;
        var spans = new List<Span> { new(M.CaregiverFamilies, Township, Since, null) };
        var withDoctor = new List<(DateOnly From, DateOnly? Until)>();
        foreach (var member in Members.Values)
        {
            spans.Add(new Span(M.CaregiverFamilyPeople, Township, member.From, member.Until));
            var doctor = Days.Union(Days.Within(member.Doctor.Values.Select(t => (t.From, t.Until)), member.From, member.Until));
            spans.AddRange(doctor.Select(d => new Span(M.FamilyDoctorPeople, Township, d.From, d.Until)));
            withDoctor.AddRange(doctor);
        }

        spans.AddRange(Days.Union(withDoctor).Select(d => new Span(M.FamilyDoctorFamilies, Township, d.From, d.Until)));
        return new Contribution(spans, []);
    }
}

/// <summary>A person of a caregiver family, from the day they joined the record.</summary>
public sealed class DispatchFamilyMember
{
    public DateOnly From { get; set; }
    public DateOnly? Until { get; set; }
    public Dictionary<Guid, DispatchTerm> Doctor { get; set; } = [];
}

/// <summary>A family-doctor agreement's days.</summary>
public sealed record DispatchTerm(DateOnly From, DateOnly? Until);

/// <summary>A policy case: its stages with their dates and due dates.</summary>
public sealed class DispatchCase : IDispatchSubject
{
    /// <summary>The policy case an event is about, when it is one of its events.</summary>
    public static Guid? IdOf(object data) => data switch
    {
        PolicyCaseOpened e => e.CaseId,
        PolicyApplied e => e.CaseId,
        LoanFoundEligible e => e.CaseId,
        LoanFoundIneligible e => e.CaseId,
        VerificationStarted e => e.CaseId,
        PolicyGranted e => e.CaseId,
        PolicyCaseRejected e => e.CaseId,
        PolicyCaseClosed e => e.CaseId,
        _ => null,
    };
    public void When(object data)
    {
        switch (data)
        {
            case PolicyCaseOpened e: Apply(e); break;
            case PolicyApplied e: Apply(e); break;
            case LoanFoundEligible e: Apply(e); break;
            case LoanFoundIneligible e: Apply(e); break;
            case VerificationStarted e: Apply(e); break;
            case PolicyGranted e: Apply(e); break;
            case PolicyCaseRejected e: Apply(e); break;
            case PolicyCaseClosed e: Apply(e); break;
        }
    }

    public Guid Id { get; set; }
    public List<long>? Events { get; set; }
    public ExtendedPolicy Policy { get; set; }
    public string Township { get; set; } = "";
    public string Label { get; set; } = "";
    public DateOnly OpenedOn { get; set; }
    public List<DispatchStage> Stages { get; set; } = [];
    public DateOnly? PostEndsAfter { get; set; }

    public void Apply(PolicyCaseOpened e)
    {
        Id = e.CaseId;
        Policy = e.Policy;
        Township = e.Township;
        OpenedOn = e.OpenedOn;
        Stages.Add(new DispatchStage(e.Stage, e.OpenedOn, e.DueOn));
    }

    public void Apply(PolicyApplied e) => Stages.Add(new DispatchStage(CaseStage.Applied, e.AppliedOn, e.DueOn));

    public void Apply(LoanFoundEligible e) => Stages.Add(new DispatchStage(CaseStage.Eligible, e.DecidedOn, e.DueOn));

    public void Apply(LoanFoundIneligible e) => Stages.Add(new DispatchStage(CaseStage.Ineligible, e.DecidedOn, null));

    public void Apply(VerificationStarted e) => Stages.Add(new DispatchStage(CaseStage.UnderVerification, e.StartedOn, e.DueOn));

    public void Apply(PolicyGranted e)
    {
        Stages.Add(new DispatchStage(CaseStage.Granted, e.GrantedOn, null));
        if (e.Facts.Post is { } post) PostEndsAfter = Days.After(post.EndsOn);
    }

    public void Apply(PolicyCaseRejected e) => Stages.Add(new DispatchStage(CaseStage.Rejected, e.RejectedOn, null));

    public void Apply(PolicyCaseClosed e) => Stages.Add(new DispatchStage(CaseStage.Closed, e.ClosedOn, null));

    private static bool IsFinal(CaseStage stage) =>
        stage is CaseStage.Granted or CaseStage.Rejected or CaseStage.Ineligible or CaseStage.Closed;

    private DateOnly? FirstDayIn(CaseStage stage) => Stages.FirstOrDefault(s => s.Stage == stage)?.From;

    public Contribution Contribution()
    {
        if (Township.Length == 0) return Relief.Api.Dispatch.Contribution.None;
        var spans = new List<Span>();
        var items = new List<DispatchItem>();
        var decided = Stages.FirstOrDefault(s => IsFinal(s.Stage))?.From;
        spans.Add(new Span(M.PolicyCasesOpen, Township, OpenedOn, decided));

        for (var i = 0; i < Stages.Count; i++)
        {
            var stage = Stages[i];
            var left = i + 1 < Stages.Count ? Stages[i + 1].From : (DateOnly?)null;
            if (Policy == ExtendedPolicy.FinancialLoan && stage.Stage == CaseStage.UnderVerification)
                spans.Add(new Span(M.LoansVerifying, Township, stage.From, left));
            if (stage.DueOn is { } due && (left is null || left > due.AddDays(1)))
            {
                var overdueFrom = due.AddDays(1);
                spans.Add(new Span(M.PolicyCasesOverdue, Township, overdueFrom, left));
                items.Add(new DispatchItem($"overdue:{Id}:{i}", DispatchList.OverdueCase, Id, Township, Label, overdueFrom, left,
                    Policy.ToString(), stage.Stage.ToString(), due));
            }
        }

        var granted = FirstDayIn(CaseStage.Granted);
        switch (Policy)
        {
            case ExtendedPolicy.FinancialLoan:
                if (FirstDayIn(CaseStage.Applied) is { } intent) spans.Add(new Span(M.LoanIntents, Township, intent, null));
                if (FirstDayIn(CaseStage.Ineligible) is { } ineligible) spans.Add(new Span(M.LoansIneligible, Township, ineligible, null));
                if (granted is { } loan) spans.Add(new Span(M.LoansGranted, Township, loan, null));
                break;
            case ExtendedPolicy.PublicWelfarePost when granted is { } post:
                spans.Add(new Span(M.PublicWelfarePosts, Township, post, PostEndsAfter));
                break;
            case ExtendedPolicy.Entrepreneurship when granted is { } day:
                spans.Add(new Span(M.EntrepreneurshipSupported, Township, day, null));
                break;
            case ExtendedPolicy.MedicalAssistance when granted is { } day:
                spans.Add(new Span(M.MedicalAssistanceGranted, Township, day, null));
                break;
            case ExtendedPolicy.SocialAssistance when granted is { } day:
                spans.Add(new Span(M.SocialAssistanceGranted, Township, day, null));
                break;
            case ExtendedPolicy.CharityAssistance when granted is { } day:
                spans.Add(new Span(M.CharityAssistanceGranted, Township, day, null));
                break;
        }

        return new Contribution(spans, items);
    }
}

/// <summary>A stage of a case, from the day it was entered, with its due date if it has a service time.</summary>
public sealed record DispatchStage(CaseStage Stage, DateOnly From, DateOnly? DueOn);

/// <summary>A trainee: counted as trained from their first completed class.</summary>
public sealed class DispatchTrainee : IDispatchSubject
{
    /// <summary>The trainee (the family member) an event is about, when it is one of theirs.</summary>
    public static Guid? IdOf(object data) => data switch
    {
        ExtendedPolicies.Training.TraineeEnrolled e => e.MemberId,
        ExtendedPolicies.Training.TrainingCompleted e => e.MemberId,
        _ => null,
    };
    public void When(object data)
    {
        switch (data)
        {
            case ExtendedPolicies.Training.TraineeEnrolled e: Apply(e); break;
            case ExtendedPolicies.Training.TrainingCompleted e: Apply(e); break;
        }
    }

    public Guid Id { get; set; }
    public List<long>? Events { get; set; }
    public string Township { get; set; } = "";
    public Dictionary<Guid, DateOnly> Completions { get; set; } = [];

    public void Apply(ExtendedPolicies.Training.TraineeEnrolled e)
    {
        Id = e.MemberId;
        Township = e.Township;
    }

    public void Apply(ExtendedPolicies.Training.TrainingCompleted e) => Completions[e.EnrolmentId] = e.CompletedOn;

    public Contribution Contribution() =>
        Completions.Count == 0 || Township.Length == 0
            ? Relief.Api.Dispatch.Contribution.None
            : new Contribution([new Span(M.PeopleTrained, Township, Completions.Values.Min(), null)], []);
}
