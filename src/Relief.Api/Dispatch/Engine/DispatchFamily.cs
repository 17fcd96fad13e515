using Relief.Api.CaregiverFamilies;
using Relief.Api.ExtendedPolicies;
using Relief.Api.ExtendedPolicies.Needs;
using Relief.Api.ExtendedPolicies.Training;
using Relief.Core.Calendar;
using Relief.Core.Protection;
using M = Relief.Api.Dispatch.Engine.DispatchMetrics;

namespace Relief.Api.Dispatch.Engine;

/// <summary>
/// A caregiver family, its people, their family-doctor agreements, and its surveyed needs with the
/// measures that meet them (<see cref="NeedFulfilment"/>): its enrolments, placements and family-doctor
/// agreements from its own events, its policy cases kept in step by the projection (<see cref="Track"/>).
/// </summary>
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
        TraineeEnrolled e => e.CaregiverFamilyId,
        TraineeWithdrew e => e.CaregiverFamilyId,
        JobPlaced e => e.CaregiverFamilyId,
        _ => null,
    };
    public void Apply(object data)
    {
        switch (data)
        {
            case CaregiverFamilyRegistered e: Apply(e, ChinaTime.Today(e.RegisteredAt)); break;
            case CaregiverFamilyMemberAdded e: Apply(e); break;
            case CaregiverFamilyMemberRemoved e: Apply(e); break;
            case FamilyDoctorAgreementSigned e: Apply(e); break;
            case FamilyDoctorAgreementEnded e: Apply(e); break;
            case NeedsSurveyed e: Apply(e); break;
            case TraineeEnrolled e: Apply(e); break;
            case TraineeWithdrew e: Apply(e); break;
            case JobPlaced e: Apply(e); break;
        }
    }

    public Guid Id { get; set; }
    public List<long>? Events { get; set; }
    public string Township { get; set; } = "";

    /// <summary>The head's name, sealed as in the events.</summary>
    public ProtectedValue HeadName { get; set; } = ProtectedValue.LegacyPlaintext("");
    public DateOnly Since { get; set; }

    /// <summary>The latest business date seen on the family's stream: the date of its undated events.</summary>
    public DateOnly LastDate { get; set; }

    public Dictionary<Guid, DispatchFamilyMember> Members { get; set; } = [];

    /// <summary>Every needs survey, in the order recorded.</summary>
    public List<SurveyedNeeds> Surveys { get; set; } = [];

    /// <summary>The measures taken for the family, by id: what meets its needs.</summary>
    public Dictionary<Guid, Measure> Measures { get; set; } = [];

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
        Measures[e.AgreementId] = new Measure(ExtendedPolicy.FamilyDoctor, MeasureKind.FamilyDoctorAgreement, e.AgreementId, e.SignedOn,
            e.SignedOn, false);
    }

    public void Apply(FamilyDoctorAgreementEnded e)
    {
        See(e.EndedOn);
        if (Members.TryGetValue(e.MemberId, out var member) && member.Doctor.TryGetValue(e.AgreementId, out var term))
            member.Doctor[e.AgreementId] = term with { Until = Days.Earlier(term.Until, Days.After(e.EndedOn)) };
    }

    public void Apply(NeedsSurveyed e)
    {
        See(e.SurveyedOn);
        Surveys.Add(new SurveyedNeeds(e.SurveyedOn, e.Needs));
    }

    public void Apply(TraineeEnrolled e) =>
        Measures[e.EnrolmentId] = new Measure(ExtendedPolicy.TrainingAndEmployment, MeasureKind.Enrolment, e.EnrolmentId, e.EnrolledOn,
            e.EnrolledOn, false);

    public void Apply(TraineeWithdrew e)
    {
        if (Measures.TryGetValue(e.EnrolmentId, out var enrolment)) Measures[e.EnrolmentId] = enrolment with { DeliveredOn = null };
    }

    public void Apply(JobPlaced e) =>
        Measures[e.PlacementId] = new Measure(ExtendedPolicy.TrainingAndEmployment, MeasureKind.Placement, e.PlacementId, e.PlacedOn,
            e.PlacedOn, false);

    /// <summary>The family's loan cases, by id: the loan figures count the family once (户), not each case.</summary>
    public Dictionary<Guid, LoanCourse> Loans { get; set; } = [];

    /// <summary>
    /// A policy case of the family as it stands now (null: it no longer exists, its opening voided), and
    /// its course when it is a loan case.
    /// </summary>
    public void Track(Guid caseId, Measure? policyCase, LoanCourse? loan)
    {
        if (policyCase is null) Measures.Remove(caseId);
        else Measures[caseId] = policyCase;
        if (loan is null) Loans.Remove(caseId);
        else Loans[caseId] = loan;
    }

    private void See(DateOnly day)
    {
        if (day > LastDate) LastDate = day;
    }

    public Contribution Contribution()
    {
        if (Township.Length == 0) return Engine.Contribution.None;
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
        spans.AddRange(NeedFulfilment.UnmetSpans(Surveys, Measures.Values.ToList()).Select(n => new Span(M.NeedsUnmet, Township, n.From, n.Until)));
        spans.AddRange(LoanCourse.Spans(Loans.Values, Township));
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
