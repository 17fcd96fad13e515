using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Security;
using Wolverine.Marten;

namespace Relief.Api.Infrastructure.PersonalData;

/// <summary>Whose personal identifiers were read.</summary>
public enum PersonalDataOwner { Household, CaregiverFamily }

/// <summary>
/// A record that a caller read personal identifiers in full (PIPL: every disclosure is
/// accountable): whose, by whom, from which department and on whose behalf, when.
/// </summary>
public sealed class PersonalDataDisclosure
{
    public Guid Id { get; set; }
    public PersonalDataOwner Owner { get; set; }
    public Guid OwnerId { get; set; }
    public string Caller { get; set; } = "";
    public Department Department { get; set; }
    public string? Operator { get; set; }
    public string? CorrelationId { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>Storing the disclosure when identifiers are shown in full; nothing otherwise.</summary>
    public static IMartenOp RecordIf(bool revealed, PersonalDataOwner owner, Guid ownerId, Caller caller,
        HttpContext context, DateTimeOffset now) =>
        revealed
            ? MartenOps.Store(new PersonalDataDisclosure
            {
                Id = Guid.CreateVersion7(now), Owner = owner, OwnerId = ownerId, Caller = caller.Subject,
                Department = caller.Department, Operator = caller.Operator, CorrelationId = CorrelationMiddleware.Of(context),
                At = now,
            })
            : MartenOps.Nothing();
}
