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

/// <summary>A members spreadsheet read, the batch its rows make, and what that batch loaded.</summary>
public sealed record MembersUpload(SheetRead Sheet, AddHouseholdMembers? Batch, MemberBatch? Loaded);

/// <summary>
/// A department's spreadsheet of household members (家庭成员), CSV or XLSX, with the columns of the
/// <c>household-members</c> template: each row one record of <c>POST /api/household-members/batch</c>,
/// checked and written by that batch, all rows or none.
/// </summary>
public static class UploadHouseholdMembersEndpoint
{
    public static async Task<MembersUpload> LoadAsync(HttpContext context, IDocumentSession session, PersonalDataVault vault, Caller caller,
        DateTimeOffset now, CancellationToken token)
    {
        var sheet = SheetReader.Read(UploadedFile.Of(context), UploadTemplates.Members);
        if (sheet.Problem is not null) return new MembersUpload(sheet, null, null);

        var batch = new AddHouseholdMembers(SheetRecords.Of<HouseholdMemberRecord>(sheet));
        return new MembersUpload(sheet, batch, await AddHouseholdMembersEndpoint.LoadAsync(batch, session, vault, caller, context, now, token));
    }

    /// <summary>An unreadable file is 4xx; a refused row refuses the upload with 422, listing every row.</summary>
    public static ProblemDetails Validate(MembersUpload upload, Caller caller, PersonalDataVault vault, DateTimeOffset now) =>
        upload.Sheet.Problem
        ?? UploadRefusal.Of(upload.Sheet, AddHouseholdMembersEndpoint.Validate(upload.Batch!, upload.Loaded!, caller, vault, now),
            AddHouseholdMembersEndpoint.Prefix);

    [WolverinePost("/api/uploads/household-members"), Tags("Uploads")]
    [Authorize(Scopes.HouseholdsWrite), Authorize(Owns.HouseholdRegistry)]
    [SpreadsheetUpload(Example = UploadTemplates.MembersExample)]
    public static (UploadAnswer, IMartenOp) Post([NotBody] MembersUpload upload, PersonalDataVault vault, DateTimeOffset now)
    {
        var (added, write) = AddHouseholdMembersEndpoint.Post(upload.Batch!, upload.Loaded!, vault, now);
        return (UploadAnswer.Of(upload.Sheet, added.Members.Select(m => (m.MemberId, m.Url, m.HouseholdId)).ToList()), write);
    }
}
