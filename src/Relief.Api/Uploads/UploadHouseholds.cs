using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Households;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Security;
using Relief.Api.Infrastructure.Spreadsheets;
using Wolverine.Http;
using Wolverine.Marten;

namespace Relief.Api.Uploads;

/// <summary>A households spreadsheet read, the batch its rows make, and the resident IDs active elsewhere.</summary>
public sealed record HouseholdsUpload(SheetRead Sheet, RegisterHouseholds? Batch, IReadOnlyList<ResidentConflict> Conflicts);

/// <summary>
/// A department's spreadsheet of households (兜底户), CSV or XLSX, with the columns of the
/// <c>households</c> template: each row one record of <c>POST /api/households/batch</c>, checked and
/// written by that batch, all rows or none.
/// </summary>
public static class UploadHouseholdsEndpoint
{
    public static async Task<HouseholdsUpload> LoadAsync(HttpContext context, PersonalDataVault vault, IQuerySession session, Caller caller,
        DateTimeOffset now, CancellationToken token)
    {
        var sheet = SheetReader.Read(UploadedFile.Of(context), UploadTemplates.Households);
        if (sheet.Problem is not null) return new HouseholdsUpload(sheet, null, []);

        var batch = new RegisterHouseholds(SheetRecords.Of<RegisterHousehold>(sheet));
        return new HouseholdsUpload(sheet, batch, await RegisterHouseholdsEndpoint.LoadAsync(batch, vault, session, caller, context, now, token));
    }

    /// <summary>An unreadable file is 4xx; a refused row refuses the upload with 422, listing every row.</summary>
    public static ProblemDetails Validate(HouseholdsUpload upload, TownshipDirectory townships, Caller caller, DateTimeOffset now) =>
        upload.Sheet.Problem
        ?? UploadRefusal.Of(upload.Sheet, RegisterHouseholdsEndpoint.Validate(upload.Batch!, upload.Conflicts, townships, caller, now),
            RegisterHouseholdsEndpoint.Prefix);

    [WolverinePost("/api/uploads/households"), Tags("Uploads")]
    [Authorize(Scopes.HouseholdsWrite), Authorize(Owns.HouseholdRegistry)]
    [SpreadsheetUpload(Example = UploadTemplates.HouseholdsExample)]
    public static (UploadAnswer, IMartenOp) Post([NotBody] HouseholdsUpload upload, TownshipDirectory townships, PersonalDataVault vault,
        DateTimeOffset now)
    {
        var (registered, write) = RegisterHouseholdsEndpoint.Post(upload.Batch!, townships, vault, now);
        return (UploadAnswer.Of(upload.Sheet, registered.Households.Select(h => (h.Id, h.Url, h.Id)).ToList()), write);
    }
}
