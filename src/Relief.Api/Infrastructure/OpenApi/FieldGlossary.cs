using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Relief.Api.Infrastructure.OpenApi;

/// <summary>
/// What a field name means wherever it appears: one description per name that recurs across the
/// API (<c>version</c>, <c>township</c>, <c>householdId</c> …), so that a property without a doc
/// comment of its own is still described, and a name means the same thing in every schema. A doc
/// comment on the property (<c>&lt;param&gt;</c> of a record, <c>&lt;summary&gt;</c> of a property) wins.
/// </summary>
internal sealed class FieldGlossary : ISchemaFilter
{
    public static IReadOnlyDictionary<string, string> Meanings { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["version"] = "The stream's version: in a write, the version the caller read (a stale one is 409 concurrency-conflict); in an answer, the version after the write.",
        ["id"] = "The id of the record (a UUID v7 the API assigns).",
        ["url"] = "Where to read the record.",
        ["township"] = "The township's code (乡镇/街道), e.g. mucheng; GET /api/townships lists them.",
        ["townshipName"] = "The township's Chinese name.",
        ["village"] = "The village (村) within the township.",
        ["householdId"] = "The id of the safety-net household (兜底户).",
        ["memberId"] = "The id of a member of the household or caregiver family.",
        ["caregiverFamilyId"] = "The id of the caregiver family (托养人家庭).",
        ["familyId"] = "The id of the caregiver family (托养人家庭).",
        ["agreementId"] = "The id of the care agreement (五养协议), or of the family-doctor agreement where named so.",
        ["caseId"] = "The id of the extended-policy case (八延伸).",
        ["centreId"] = "The id of the care centre (医养中心).",
        ["stayId"] = "The id of a stay in a care centre: an admission or a trial stay.",
        ["centreStayId"] = "The admission (a stay in a care centre) a centralised-care agreement rests on.",
        ["planId"] = "The id of the household's care plan (一户一策).",
        ["visitId"] = "The id of an outreach visit (逐户走访).",
        ["ruleId"] = "The id of the dated rule.",
        ["streamId"] = "The id of the event stream.",
        ["note"] = "Free text (sealed under the person's or household's key where it may concern a person).",
        ["reason"] = "Why, in free text.",
        ["items"] = "The items of this page.",
        ["nextCursor"] = "Pass as cursor to read the next page; null on the last page.",
        ["name"] = "The name.",
        ["kind"] = "The kind, one of the enum's values.",
        ["status"] = "The current status, one of the enum's values.",
        ["startsOn"] = "The first day (yyyy-MM-dd, China time).",
        ["endsOn"] = "The last day (yyyy-MM-dd, China time); null or absent when open-ended.",
        ["endedOn"] = "The day it ended (yyyy-MM-dd).",
        ["from"] = "The first day (yyyy-MM-dd).",
        ["to"] = "The last day (yyyy-MM-dd); null while it lasts.",
        ["since"] = "The day it has held since (yyyy-MM-dd).",
        ["until"] = "The last day it is planned to last (yyyy-MM-dd).",
        ["effectiveFrom"] = "The day the rule or terms apply from (yyyy-MM-dd).",
        ["members"] = "The members.",
        ["member"] = "The member.",
        ["headName"] = "The name of the head of the household or family (personal data: masked without pii:read).",
        ["exception"] = "An exception granted to the rule, with its reason (only a department that may grant it).",
        ["policy"] = "One of the eight extended policies (八延伸).",
        ["amount"] = "An amount in yuan.",
        ["needs"] = "The needs found.",
        ["title"] = "The title.",
        ["mode"] = "The kind of care (五养).",
        ["stage"] = "The stage of the policy case.",
        ["surveyedOn"] = "The day of the survey (yyyy-MM-dd).",
        ["dueOn"] = "The day it is due (yyyy-MM-dd).",
        ["phone"] = "A mainland mobile number of 11 digits (personal data: masked without pii:read).",
        ["personalData"] = "Whether the personal data in this answer is Masked, Revealed or Erased.",
        ["signedOn"] = "The day it was signed (yyyy-MM-dd).",
        ["households"] = "The households.",
        ["openedOn"] = "The day it was opened (yyyy-MM-dd).",
        ["index"] = "The position in the batch, from 0.",
        ["nextReviewOn"] = "The day of the next review (yyyy-MM-dd).",
        ["closedOn"] = "The day it was closed (yyyy-MM-dd).",
        ["department"] = "The department (扶贫办, 人社, 医保, 卫健, 民政, 残联, 慈善总会, a bank or a township).",
        ["awardedOn"] = "The day it was awarded (yyyy-MM-dd).",
        ["beds"] = "The number of beds.",
        ["address"] = "The household's address (personal data: masked without pii:read).",
        ["povertyCause"] = "The main cause of poverty (the 12 national categories).",
        ["completedOn"] = "The day it was completed (yyyy-MM-dd).",
        ["period"] = "The period: a quarter (2020-Q3) or a month (2020-09).",
        ["qualityOfLife"] = "Quality of life, on the scale of the rubric.",
        ["relation"] = "The relation to the head of the household or family.",
        ["birthDate"] = "The date of birth (yyyy-MM-dd); must match the resident ID when both are given.",
        ["gender"] = "Male or Female.",
        ["residentId"] = "The resident ID number (身份证号, 18 characters, checksum verified; personal data: masked without pii:read).",
        ["daysOverdue"] = "Days since it fell due, in China time.",
        ["owner"] = "The department that owns it.",
        ["visitedOn"] = "The day of the visit (yyyy-MM-dd).",
        ["post"] = "The public-welfare post (公益岗位).",
        ["asOf"] = "The day the answer is as of (yyyy-MM-dd).",
        ["employer"] = "The employer.",
        ["trade"] = "The trade taught.",
        ["activatedOn"] = "The day the plan came into force (yyyy-MM-dd).",
        ["recordedAt"] = "When Relief recorded it (an instant with its offset).",
        ["registeredAt"] = "When Relief recorded the registration (an instant with its offset).",
        ["caregiver"] = "Who gives the care: a person, a caregiver family or an organisation.",
        ["terms"] = "The agreement's terms: period, duties, subsidy and asset clauses.",
        ["willingness"] = "Whether the person is willing to enter a care centre.",
        ["memberName"] = "The member's name (personal data: masked without pii:read).",
        ["certificateNo"] = "The certificate's number.",
        ["evaluatedOn"] = "The day of the evaluation (yyyy-MM-dd).",
        ["doctorOrTeam"] = "The family doctor or team who signed.",
        ["ceremony"] = "The signing ceremony, if any.",
    };

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema { Properties: { } properties }) return;
        foreach (var (name, property) in properties)
        {
            if (property is OpenApiSchema { Description: null or "" } concrete && Meanings.TryGetValue(name, out var meaning))
                concrete.Description = meaning;
        }
    }
}
