using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Relief.Api.CareCentres;

/// <summary>
/// Give the centre a new number of beds (beds added or taken out of service). <c>Version</c> is the
/// centre's version the caller last read: this edits the centre itself.
/// </summary>
public sealed record ChangeCentreBeds([property: JsonRequired] int Version, [property: Required] int? Beds, [property: Required, MaxLength(200)] string? Reason) : IHasExample<ChangeCentreBeds>
{
    public static ChangeCentreBeds Example { get; } = new(3, 150, "新楼启用，增加 30 张床位。");
}

/// <summary>What a change to a centre answers: the centre's new version.</summary>
public sealed record CentreSaved(Guid CentreId) : IStreamVersioned<CentreSaved>, IHasExample<CentreSaved>
{
    public static CentreSaved Example { get; } = new(ExampleIds.Centre) { Version = 4 };

    public int Version { get; init; }

    public CentreSaved WithVersions(StreamVersions streams) => this with { Version = streams.Of(CentreId) };
}

public static class ChangeCentreBedsEndpoint
{
    public static ProblemDetails Validate(ChangeCentreBeds command, CareCentre centre)
    {
        var errors = new FieldErrors();
        if (command.Beds is null) errors.Add("beds", "is required.");
        else if (command.Beds is < 1 or > RegisterCareCentreEndpoint.MaxBeds) errors.Add("beds", $"is 1 to {RegisterCareCentreEndpoint.MaxBeds}.");
        errors.RequireText("reason", command.Reason, 200);
        if (errors.Any) return errors.ToProblem();

        return command.Beds < centre.Occupied
            ? Problems.Conflict(ProblemTypes.Conflict, "Fewer beds than occupied.",
                $"{centre.Name} has {centre.Occupied} occupied beds; it cannot have only {command.Beds}.")
            : WolverineContinue.NoProblems;
    }

    [WolverinePost("/api/care-centres/{centreId}/beds"), Tags("Care centres")]
    [Authorize(Scopes.CentresWrite), Authorize(Owns.CareCentres)]
    public static (CentreSaved, Events) Post(ChangeCentreBeds command, [WriteModel("centreId")] CareCentre centre, DateTimeOffset now) =>
        (new CentreSaved(centre.Id),
            [new CentreBedsChanged(centre.Id, centre.Beds, command.Beds!.Value, command.Reason!.Trim(), ChinaTime.Today(now))]);
}
