using Relief.Api.CaregiverFamilies;
using Relief.Core.Calendar;
using Relief.Core.Protection;
using M = Relief.Api.Dispatch.Engine.DispatchMetrics;

namespace Relief.Api.Dispatch.Engine;

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
