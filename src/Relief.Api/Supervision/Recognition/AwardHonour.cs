using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.OpenApi;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.CaregiverFamilies;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;
using Wolverine.Marten;

namespace Relief.Api.Supervision;

/// <summary>Award a caregiver family an honour (精神奖励), at a recorded meeting when <c>MeetingId</c> names one.</summary>
public sealed record AwardHonour([property: Required] HonourKind? Kind, [property: Required, MaxLength(100)] string? Title, DateOnly? AwardedOn, Guid? MeetingId) : IHasExample<AwardHonour>
{
    public static AwardHonour Example { get; } = new(HonourKind.FilialPiety, "2020年度木城街道孝心家庭", new DateOnly(2020, 10, 1), null);
}

public static class AwardHonourEndpoint
{
    public static async Task<(CaregiverFamilyDetails?, ExemplaryDeedMeetingDetails?)> LoadAsync(Guid familyId, AwardHonour command,
        IQuerySession session, CancellationToken token) =>
        (await session.LoadAsync<CaregiverFamilyDetails>(familyId, token),
            command.MeetingId is { } meetingId ? await session.LoadAsync<ExemplaryDeedMeetingDetails>(meetingId, token) : null);

    public static ProblemDetails Validate(AwardHonour command, Guid familyId, CaregiverFamilyDetails? family,
        ExemplaryDeedMeetingDetails? meeting, Caller caller, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        if (command.Kind is null) errors.Add("kind", "is required.");
        errors.RequireText("title", command.Title, 100);
        SupervisionRules.RequirePastDate(errors, "awardedOn", command.AwardedOn, now);
        if (errors.Any) return errors.ToProblem();

        if (family is not { Registered: true }) return CaregiverFamilyRules.NotFound(familyId);
        return Problems.FirstOf(
            CaregiverFamilyRules.Access(family.Township, caller),
            command.MeetingId is { } meetingId && meeting is null ? SupervisionRules.NotFound("exemplary-deed meeting", meetingId) : null);
    }

    [WolverinePost("/api/caregiver-families/{familyId}/honours"), Tags("Recognition")]
    [Authorize(Scopes.SupervisionWrite), Authorize(Owns.Recognition)]
    public static (Created, IStartStream) Post(AwardHonour command, Guid familyId, CaregiverFamilyDetails family, DateTimeOffset now)
    {
        var id = Guid.CreateVersion7(now);
        var awarded = new HonourAwarded(id, familyId, family.Township, command.Kind!.Value, command.Title!.Trim(),
            command.AwardedOn!.Value, command.MeetingId);
        return (new Created(id, $"/api/caregiver-families/{familyId}/recognition"), MartenOps.StartStream<Honour>(id, awarded));
    }
}
