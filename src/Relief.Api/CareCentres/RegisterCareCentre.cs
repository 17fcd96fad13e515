using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;

namespace Relief.Api.CareCentres;

/// <summary>Register a care centre (医养中心) with its beds. Names are unique in the county.</summary>
public sealed record RegisterCareCentre([property: Required, MaxLength(100)] string? Name, [property: Required] string? Township, [property: Required] int? Beds, [property: Required] CentreBasis? BasedOn, DateOnly? OpenedOn) : IHasExample<RegisterCareCentre>
{
    public static RegisterCareCentre Example { get; } = new("乔庙医养中心", "qiaomiao", 120, CentreBasis.TownshipHealthCentre, new DateOnly(2020, 4, 1));
}

public static class RegisterCareCentreEndpoint
{
    public const int MaxBeds = 2000;

    /// <summary>The centre that already bears the requested name, if any.</summary>
    public static async Task<CentreDetails?> LoadAsync(RegisterCareCentre command, IQuerySession session, CancellationToken token) =>
        string.IsNullOrWhiteSpace(command.Name)
            ? null
            : await session.Query<CentreDetails>().FirstOrDefaultAsync(c => c.Name == command.Name.Trim(), token);

    public static ProblemDetails Validate(RegisterCareCentre command, CentreDetails? sameName, TownshipDirectory townships,
        Caller caller, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        errors.RequireText("name", command.Name, 100);
        var township = townships.Find(command.Township);
        if (command.Township is null) errors.Add("township", "is required.");
        else if (township is null)
            errors.Add("township", $"is not a township of the county; allowed: {string.Join(", ", townships.All.Select(t => t.Code))}.");
        else if (TownshipScope.Access(township.Code, caller, "centre") is { } forbidden)
            return forbidden;
        if (command.Beds is null) errors.Add("beds", "is required.");
        else if (command.Beds is < 1 or > MaxBeds) errors.Add("beds", $"is 1 to {MaxBeds}.");
        if (command.BasedOn is null) errors.Add("basedOn", "is required.");
        CentreRules.RequirePastDate(errors, "openedOn", command.OpenedOn, now);
        if (errors.Any) return errors.ToProblem();

        return sameName is not null
            ? Problems.Conflict(ProblemTypes.Conflict, "A centre with this name exists.",
                $"There is already a care centre named '{command.Name!.Trim()}'.")
            : WolverineContinue.NoProblems;
    }

    [WolverinePost("/api/care-centres"), Tags("Care centres")]
    [Authorize(Scopes.CentresWrite), Authorize(Owns.CareCentres)]
    public static (Created, IStartStream) Post(RegisterCareCentre command, TownshipDirectory townships, DateTimeOffset now)
    {
        var id = Guid.CreateVersion7(now);
        var registered = new CareCentreRegistered(id, command.Name!.Trim(), townships.Find(command.Township)!.Code,
            command.Beds!.Value, command.BasedOn!.Value, command.OpenedOn!.Value);
        return (new Created(id, $"/api/care-centres/{id}"), MartenOps.StartStream<CareCentre>(id, registered));
    }
}
