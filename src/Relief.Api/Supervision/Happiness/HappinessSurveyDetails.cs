using Marten.Events.Aggregation;
using Relief.Api.Audit.Corrections;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Core.Protection;

namespace Relief.Api.Supervision;

/// <summary>The stored view of one happiness survey (inline): what the household's index, the township's and the trend read.</summary>
public sealed class HappinessSurveyDetails
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public Guid HouseholdId { get; set; }
    public string Township { get; set; } = "";
    public DateOnly SurveyedOn { get; set; }
    public string Surveyor { get; set; } = "";
    public int QualityOfLife { get; set; }
    public int Spirit { get; set; }
    public int Satisfaction { get; set; }
    public int Index { get; set; }

    /// <summary>The surveyor's note, sealed under the household's key (as in the event).</summary>
    public ProtectedValue? Note { get; set; }

    /// <summary>The survey was voided (a correction): it counts nowhere; the history keeps both entries.</summary>
    public bool Voided { get; set; }
}

/// <summary>A happiness survey as the API shows it (the note opened, <c>[erased]</c> once erased).</summary>
public sealed record HappinessSurveyResponse(
    Guid Id, int Version, Guid HouseholdId, string Township, DateOnly SurveyedOn, string Surveyor, int QualityOfLife, int Spirit,
    int Satisfaction, int Index, string? Note)
{
    public static HappinessSurveyResponse Of(HappinessSurveyDetails s, KeyChain keys) =>
        new(s.Id, s.Version, s.HouseholdId, s.Township, s.SurveyedOn, s.Surveyor, s.QualityOfLife, s.Spirit, s.Satisfaction, s.Index,
            keys.ShowText(SealedFields.Note, s.Note));
}

public sealed partial class HappinessSurveyDetailsProjection : SingleStreamProjection<HappinessSurveyDetails, Guid>
{
    /// <summary>A correction voids the stream's one survey: the view's version follows it, and the survey counts no more.</summary>
    public static void Apply(EntryVoided e, HappinessSurveyDetails view) => view.Voided = true;

    /// <summary>A correction on a stream of another kind makes no view.</summary>
    public static HappinessSurveyDetails? Create(EntryVoided e) => null;

    public static HappinessSurveyDetails Create(HappinessSurveyed e) => new()
    {
        Id = e.SurveyId, HouseholdId = e.HouseholdId, Township = e.Township, SurveyedOn = e.SurveyedOn, Surveyor = e.Surveyor,
        QualityOfLife = e.QualityOfLife, Spirit = e.Spirit, Satisfaction = e.Satisfaction, Index = e.Index, Note = e.Note,
    };
}
