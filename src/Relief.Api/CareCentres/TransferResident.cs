using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using Marten;
using JasperFx.Events;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.CareCentres;

/// <summary>
/// Move a resident to another centre on <c>On</c>. Both centre streams change in one transaction:
/// the stay ends here (<c>TransferredOut</c>) and continues as a new admission there, which must
/// have a free bed. Both streams are checked at commit against the versions this request read.
/// </summary>
public sealed record TransferResident([property: Required] Guid? ToCentreId, DateOnly? On) : IHasExample<TransferResident>
{
    public static TransferResident Example { get; } = new(ExampleIds.OtherCentre, new DateOnly(2020, 10, 1));
}

/// <summary>What a transfer answers: the stay that ended, the stay that began and both centres' new versions.</summary>
public sealed record ResidentTransferred : IStreamVersioned<ResidentTransferred>, IHasExample<ResidentTransferred>
{
    public static ResidentTransferred Example { get; } = new(ExampleIds.Centre, ExampleIds.Stay, ExampleIds.OtherCentre, ExampleIds.OtherStay) { FromVersion = 6, ToVersion = 3 };

    public ResidentTransferred(Guid fromCentreId, Guid fromStayId, Guid toCentreId, Guid stayId) =>
        (FromCentreId, FromStayId, ToCentreId, StayId) = (fromCentreId, fromStayId, toCentreId, stayId);

    // Declared one by one (not positional) so that each version, filled in from its stream, stays after its centre's ids in the body.
    public Guid FromCentreId { get; }
    public Guid FromStayId { get; }
    public int FromVersion { get; init; }
    public Guid ToCentreId { get; }
    public Guid StayId { get; }
    public int ToVersion { get; init; }

    public ResidentTransferred WithVersions(StreamVersions streams) =>
        this with { FromVersion = streams.Of(FromCentreId), ToVersion = streams.Of(ToCentreId) };
}

/// <summary>
/// The centre a resident is moving to (null when there is no such centre) and its stream, fetched for
/// writing so that its version is checked at commit.
/// </summary>
public sealed record TransferTarget(CareCentre? Centre, IEventStream<CareCentre>? Stream = null)
{
    public static readonly TransferTarget None = new(Centre: null);
}

/// <summary>Appends events to a centre stream fetched for writing, so its version is checked at commit.</summary>
public sealed record AppendToCentre(IEventStream<CareCentre> Stream, object[] Events) : IMartenOp
{
    public void Execute(IDocumentSession session) => Stream.AppendMany(Events);
}

public static class TransferResidentEndpoint
{
    public static async Task<(CentreStay?, TransferTarget)> LoadAsync(TransferResident command, Guid centreId, Guid stayId,
        IDocumentSession session, CancellationToken token)
    {
        var stay = await session.LoadAsync<CentreStay>(stayId, token);
        if (command.ToCentreId is not { } to || to == centreId) return (stay, TransferTarget.None);
        var state = await session.Events.FetchStreamStateAsync(to, token);
        if (state?.AggregateType != typeof(CareCentre)) return (stay, TransferTarget.None);
        var stream = await session.Events.FetchForWriting<CareCentre>(to, token);
        return (stay, new TransferTarget(stream.Aggregate, stream));
    }

    public static ProblemDetails Validate(TransferResident command, CareCentre centre, Guid stayId, CentreStay? stay,
        TransferTarget target, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        if (command.ToCentreId is null) errors.Add("toCentreId", "is required.");
        else if (command.ToCentreId == centre.Id) errors.Add("toCentreId", "must be another centre.");
        CentreRules.RequirePastDate(errors, "on", command.On, now);
        if (errors.Any) return errors.ToProblem();

        if (CentreRules.ActiveStay(centre, stay, stayId, StayKind.Admission) is { } inactive) return inactive;
        if (target.Centre is not { } to) return CentreRules.NotFound(command.ToCentreId!.Value);

        var on = command.On!.Value;
        return Problems.FirstOf(
            CentreRules.NotBefore(centre.Stays[stayId], on, "transfer"),
            on < to.OpenedOn
                ? Problems.Conflict(ProblemTypes.Conflict, "The target centre was not open yet.",
                    $"{to.Name} opened on {to.OpenedOn:yyyy-MM-dd}.")
                : null,
            CentreRules.FreeBed(to));
    }

    [WolverinePost("/api/care-centres/{centreId}/residents/{stayId}/transfer"), Tags("Care centres")]
    [Authorize(Scopes.CentresWrite), Authorize(Owns.CareCentres)]
    public static (ResidentTransferred, Events, IMartenOp) Post(TransferResident command,
        [WriteModel("centreId", AlwaysEnforceConsistency = true)] CareCentre centre, Guid stayId, TransferTarget target,
        DateTimeOffset now)
    {
        var to = target.Centre!;
        var resident = centre.Stays[stayId];
        var newStayId = Guid.CreateVersion7(now);
        var on = command.On!.Value;
        return (new ResidentTransferred(centre.Id, stayId, to.Id, newStayId),
            [new ResidentTransferredOut(centre.Id, stayId, to.Id, newStayId, on)],
            new AppendToCentre(target.Stream!,
                [new ResidentTransferredIn(to.Id, newStayId, centre.Id, stayId, resident.HouseholdId, resident.MemberId, on,
                    resident.DisabilityType)]));
    }
}
