using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Relief.Api.Infrastructure.OpenApi;

/// <summary>
/// What the document says of itself: a description for each tag (the modules) and the components
/// in name order, so that a generated client and the snapshot do not move when routes are added in
/// another order.
/// </summary>
internal sealed class DocumentInfoFilter : IDocumentFilter
{
    /// <summary>What each tag (a module's routes) is about; a tag not listed here gets none (lint warns).</summary>
    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Households"] = "Safety-net households (兜底户) and their members: registration, changes, closure, erasure.",
        ["Care agreements"] = "The five kinds of care (五养): agreements signed, amended, renewed and ended.",
        ["Care plans"] = "One plan per household (一户一策): assessment, chosen care, measures, responsible cadre, reviews.",
        ["Care centres"] = "Care centres (医养中心): beds, admissions, trial stays, discharges, transfers and the five services.",
        ["Funding rules"] = "How a resident's stay is paid for, and the monthly cost of each resident.",
        ["Caregiver families"] = "Families who signed a kinship, neighbour or assigned-helper agreement (托养人家庭), and their needs survey.",
        ["Extended policies"] = "The eight extended policies (八延伸): a case per family and policy, from application to grant or closure.",
        ["Training and employment"] = "Training classes, enrolments and job placements (培训就业).",
        ["Evaluations"] = "Periodic appraisals of a household's quality of life (评比) and the warnings they raise.",
        ["Inspections"] = "Supervision visits (监督检查) and their follow-ups.",
        ["Recognition"] = "Honours, material rewards and exemplary-deed meetings (奖励).",
        ["Weekly dispatch"] = "The weekly dispatch meeting's report (周工作调度) and the lists behind its figures.",
        ["Ledger"] = "The ledger (台账): every recorded fact of a household or of the county.",
        ["Audit"] = "History, time travel, corrections, the hash chain, exports and personal-data disclosures.",
        ["Notifications"] = "Webhook subscriptions and their deliveries.",
        ["Happiness index"] = "The households' happiness surveys (幸福指数): recorded, voided, and the index of a household and of the county.",
        ["Verification rounds"] = "Departments checking household by household, person by person, that every need found is delivered (逐户核实、逐人落实).",
        ["Region roll-ups"] = "A city's or province's weekly dispatch (地区汇总, reports:region): every county's figures side by side with the totals, figures only.",
        ["Counties"] = "The county registry (province-wide, counties:admin): counties added, listed and retired while every node serves.",
        ["Uploads"] = "A department's spreadsheet (CSV or XLSX with Chinese columns) through a JSON batch, all rows or none; the templates.",
    };

    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        var tags = swaggerDoc.Paths.Values.SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>())
            .SelectMany(o => o.Tags ?? new HashSet<OpenApiTagReference>()).Select(t => t.Name).OfType<string>()
            .Distinct().Order(StringComparer.Ordinal);
        swaggerDoc.Tags = new HashSet<OpenApiTag>(tags.Select(name =>
            new OpenApiTag { Name = name, Description = TagDescriptions.GetValueOrDefault(name) }));

        if (swaggerDoc.Components?.Schemas is { } schemas)
        {
            var sorted = schemas.OrderBy(s => s.Key, StringComparer.Ordinal).ToList();
            schemas.Clear();
            foreach (var (name, schema) in sorted) schemas[name] = schema;
        }
    }
}
