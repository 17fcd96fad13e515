using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.CaregiverFamilies;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;

namespace Relief.Api.Supervision;

/// <summary>Record an exemplary-deed report meeting (先进事迹报告会) and the caregiver families it honoured.</summary>
public sealed record RecordExemplaryDeedMeeting(
    DateOnly? HeldOn,
    [property: Required, MaxLength(100)] string? Place,
    string? Township,
    [property: Required] int? Attendance,
    [property: Required] IReadOnlyList<Guid>? FamiliesHonoured,
    [property: MaxLength(500)] string? Note) : IHasExample<RecordExemplaryDeedMeeting>
{
    public static RecordExemplaryDeedMeeting Example { get; } = new(new DateOnly(2020, 9, 25), "木城街道办事处礼堂", "mucheng", 200, [ExampleIds.Family], "表彰亲情托养先进家庭。");
}

/// <summary>The caregiver families a meeting names, as far as they exist.</summary>
public sealed record HonouredFamilies(IReadOnlyList<CaregiverFamilyDetails> Found);

public static class RecordExemplaryDeedMeetingEndpoint
{
    public const int MaxAttendance = 100_000;
    public const int MaxFamilies = 200;

    public static async Task<HonouredFamilies> LoadAsync(RecordExemplaryDeedMeeting command, IQuerySession session,
        CancellationToken token) =>
        new(command.FamiliesHonoured is { Count: > 0 and <= MaxFamilies } ids
            ? (await session.LoadManyAsync<CaregiverFamilyDetails>(token, ids.Distinct())).Where(f => f.Registered).ToList()
            : []);

    public static ProblemDetails Validate(RecordExemplaryDeedMeeting command, HonouredFamilies families, TownshipDirectory townships,
        Caller caller, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        SupervisionRules.RequirePastDate(errors, "heldOn", command.HeldOn, now);
        errors.RequireText("place", command.Place, 100);
        var township = SupervisionRules.RequireTownship(errors, command.Township, townships);
        if (command.Attendance is null) errors.Add("attendance", "is required.");
        else if (command.Attendance is < 1 or > MaxAttendance) errors.Add("attendance", $"is 1 to {MaxAttendance}.");
        if (command.FamiliesHonoured is null) errors.Add("familiesHonoured", "is required (an empty list when none).");
        else if (command.FamiliesHonoured.Count > MaxFamilies) errors.Add("familiesHonoured", $"names at most {MaxFamilies} families.");
        else if (command.FamiliesHonoured.Distinct().Count() != command.FamiliesHonoured.Count)
            errors.Add("familiesHonoured", "names a family twice.");
        errors.OptionalText("note", command.Note, 500);
        if (errors.Any) return errors.ToProblem();

        var unknown = command.FamiliesHonoured!.Where(id => families.Found.All(f => f.Id != id)).ToList();
        return Problems.FirstOf(
            SupervisionRules.Access(township!, caller, "meeting"),
            unknown.Count == 0 ? null : CaregiverFamilyRules.NotFound(unknown[0]));
    }

    [WolverinePost("/api/exemplary-deed-meetings"), Tags("Recognition")]
    [Authorize(Scopes.SupervisionWrite), Authorize(Owns.Recognition)]
    public static (Created, IStartStream) Post(RecordExemplaryDeedMeeting command, TownshipDirectory townships, DateTimeOffset now)
    {
        var id = Guid.CreateVersion7(now);
        var held = new ExemplaryDeedMeetingHeld(id, command.HeldOn!.Value, command.Place!.Trim(), townships.Find(command.Township)!.Code,
            command.Attendance!.Value, command.FamiliesHonoured!, command.Note?.Trim());
        return (new Created(id, $"/api/exemplary-deed-meetings/{id}"), MartenOps.StartStream<ExemplaryDeedMeeting>(id, held));
    }
}
