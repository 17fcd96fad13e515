using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.ExtendedPolicies;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Security;
using Relief.Api.Infrastructure.Spreadsheets;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

namespace Relief.Api.Uploads;

/// <summary>A decisions spreadsheet read, the batch its rows make, and what that batch loaded.</summary>
public sealed record DecisionsUpload(SheetRead Sheet, DecidePolicyCases? Batch, CaseBatch? Loaded);

/// <summary>
/// A department's spreadsheet of decisions on policy cases (八延伸 办理结果), CSV or XLSX, with the
/// columns of the <c>policy-decisions</c> template: each row one record of
/// <c>POST /api/policy-case-decisions/batch</c>, checked and written by that batch, all rows or none.
/// </summary>
public static class UploadPolicyDecisionsEndpoint
{
    public static async Task<DecisionsUpload> LoadAsync(HttpContext context, IDocumentSession session, PersonalDataVault vault,
        CancellationToken token)
    {
        var sheet = SheetReader.Read(UploadedFile.Of(context), UploadTemplates.PolicyDecisions);
        if (sheet.Problem is not null) return new DecisionsUpload(sheet, null, null);

        var batch = new DecidePolicyCases(SheetRecords.Of<PolicyDecision>(sheet));
        return new DecisionsUpload(sheet, batch, await DecidePolicyCasesEndpoint.LoadAsync(batch, session, vault, token));
    }

    /// <summary>An unreadable file is 4xx; a refused row refuses the upload with 422, listing every row.</summary>
    public static ProblemDetails Validate(DecisionsUpload upload, Caller caller, OwnershipTable ownership, DateTimeOffset now) =>
        upload.Sheet.Problem
        ?? UploadRefusal.Of(upload.Sheet, DecidePolicyCasesEndpoint.Validate(upload.Batch!, upload.Loaded!, caller, ownership, now),
            DecidePolicyCasesEndpoint.Prefix);

    [WolverinePost("/api/uploads/policy-decisions"), Tags("Uploads")]
    [Authorize(Scopes.PoliciesWrite)]
    [SpreadsheetUpload(Example = UploadTemplates.DecisionsExample)]
    public static (UploadAnswer, IMartenOp, OutgoingMessages) Post([NotBody] DecisionsUpload upload, [NotBody] Caller caller, ServiceTimes serviceTimes,
        DateTimeOffset now)
    {
        var (decided, write, messages) = DecidePolicyCasesEndpoint.Post(upload.Batch!, upload.Loaded!, caller, serviceTimes, now);
        return (UploadAnswer.Of(upload.Sheet, decided.Cases.Select(c => (c.CaseId, c.Url, c.CaseId)).ToList()), write, messages);
    }
}
