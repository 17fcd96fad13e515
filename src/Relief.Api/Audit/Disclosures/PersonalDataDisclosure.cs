using Relief.Api.Audit.Corrections;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Security;
using Wolverine.Marten;

namespace Relief.Api.Audit.Disclosures;

/// <summary>Whose personal data was disclosed.</summary>
public enum PersonalDataOwner { Household, CaregiverFamily }

/// <summary>What was disclosed.</summary>
public enum DisclosureKind
{
    /// <summary>Identifiers were shown in full to a caller holding <c>pii:read</c>.</summary>
    Revealed,

    /// <summary>
    /// A duplicate check told the caller that a resident ID it sent is active in the owner's
    /// household (answered 409): the caller learned that the person is in the county's safety net.
    /// </summary>
    Confirmed,
}

/// <summary>
/// A caller was shown personal data (PIPL: every disclosure is accountable): what, whose, by whom,
/// from which department and on whose behalf, when. An event, so it is append-only and covered by
/// the hash chain like every other fact; each disclosure is a stream of its own, so that recording
/// one never contends with another.
/// </summary>
public sealed record PersonalDataDisclosed(
    Guid DisclosureId,
    DisclosureKind Kind,
    PersonalDataOwner Owner,
    Guid OwnerId,
    string Caller,
    Department Department,
    string? Operator,
    string? CorrelationId,
    DateTimeOffset At);

/// <summary>A disclosure as auditors read it: the stream's one event, kept as a document to query by owner.</summary>
public sealed class PersonalDataDisclosure
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public DisclosureKind Kind { get; set; }
    public PersonalDataOwner Owner { get; set; }
    public Guid OwnerId { get; set; }
    public string Caller { get; set; } = "";
    public Department Department { get; set; }
    public string? Operator { get; set; }
    public string? CorrelationId { get; set; }
    public DateTimeOffset At { get; set; }

    public static PersonalDataDisclosure Create(PersonalDataDisclosed e) => new()
    {
        Id = e.DisclosureId, Kind = e.Kind, Owner = e.Owner, OwnerId = e.OwnerId, Caller = e.Caller,
        Department = e.Department, Operator = e.Operator, CorrelationId = e.CorrelationId, At = e.At,
    };

    /// <summary>A correction on a stream of another kind makes no document.</summary>
    public static PersonalDataDisclosure? Create(EntryVoided e) => null;

    /// <summary>The disclosure event of a caller's read or probe, as of <paramref name="now"/>.</summary>
    public static PersonalDataDisclosed Of(DisclosureKind kind, PersonalDataOwner owner, Guid ownerId, Caller caller,
        HttpContext context, DateTimeOffset now) =>
        new(Guid.CreateVersion7(now), kind, owner, ownerId, caller.Subject, caller.Department, caller.Operator,
            CorrelationMiddleware.Of(context), now);

    /// <summary>Recording the disclosure when identifiers are shown in full; nothing otherwise.</summary>
    public static IMartenOp RecordIf(bool revealed, PersonalDataOwner owner, Guid ownerId, Caller caller,
        HttpContext context, DateTimeOffset now) =>
        revealed ? Record(Of(DisclosureKind.Revealed, owner, ownerId, caller, context, now)) : MartenOps.Nothing();

    /// <summary>Starting the disclosure's own stream with its event.</summary>
    public static IMartenOp Record(params IReadOnlyList<PersonalDataDisclosed> disclosed) =>
        disclosed.Count == 0 ? MartenOps.Nothing() : new StartDisclosures(disclosed);

    private sealed class StartDisclosures(IReadOnlyList<PersonalDataDisclosed> disclosed) : IMartenOp
    {
        public void Execute(Marten.IDocumentSession session)
        {
            foreach (var e in disclosed) session.Events.StartStream<PersonalDataDisclosure>(e.DisclosureId, e);
        }
    }
}
