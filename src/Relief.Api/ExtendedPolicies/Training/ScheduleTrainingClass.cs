using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;

namespace Relief.Api.ExtendedPolicies.Training;

/// <summary>
/// Schedule a training class (培训班): the trade it teaches, its provider, its dates (inclusive) and
/// its seats. <c>Township</c> is where it is held, when it is held in one.
/// </summary>
public sealed record ScheduleTrainingClass(
    [property: Required] Trade? Trade,
    [property: Required, MaxLength(100)] string? Title,
    [property: Required, MaxLength(100)] string? Provider,
    string? Township,
    [property: Required] DateOnly? StartsOn,
    [property: Required] DateOnly? EndsOn,
    [property: Required] int? Capacity) : IHasExample<ScheduleTrainingClass>
{
    public static ScheduleTrainingClass Example { get; } = new(Training.Trade.Electrician, "2020年第三期电工培训班", "武陟县职业培训中心", "mucheng", new DateOnly(2020, 10, 1), new DateOnly(2020, 10, 30), 30);
}

public static class ScheduleTrainingClassEndpoint
{
    public static ProblemDetails Validate(ScheduleTrainingClass command, TownshipDirectory townships)
    {
        var errors = new FieldErrors();
        if (command.Trade is null) errors.Add("trade", "is required.");
        errors.RequireText("title", command.Title, 100);
        errors.RequireText("provider", command.Provider, 100);
        if (command.Township is not null && townships.Find(command.Township) is null)
            errors.Add("township", "is not a township of the county.");
        if (command.StartsOn is null) errors.Add("startsOn", "is required.");
        if (command.EndsOn is null) errors.Add("endsOn", "is required.");
        else if (command.EndsOn < command.StartsOn) errors.Add("endsOn", "must not be before startsOn.");
        if (command.Capacity is null) errors.Add("capacity", "is required.");
        else if (command.Capacity is < 1 or > TrainingRules.MaxCapacity) errors.Add("capacity", $"is 1 to {TrainingRules.MaxCapacity}.");
        return errors.ToProblem();
    }

    [WolverinePost("/api/training-classes"), Tags("Training and employment")]
    [Authorize(Scopes.PoliciesWrite), Authorize(Owns.TrainingAndEmployment)]
    public static (Created, IStartStream) Post(ScheduleTrainingClass command, TownshipDirectory townships, DateTimeOffset now)
    {
        var id = Guid.CreateVersion7(now);
        var scheduled = new TrainingClassScheduled(id, command.Trade!.Value, command.Title!.Trim(), command.Provider!.Trim(),
            townships.Find(command.Township)?.Code, command.StartsOn!.Value, command.EndsOn!.Value, command.Capacity!.Value);
        return (new Created(id, $"/api/training-classes/{id}"), MartenOps.StartStream<TrainingClass>(id, scheduled));
    }
}
