using Relief.Api.ExtendedPolicies;
using Relief.Api.Households;
using Relief.Api.Infrastructure.Spreadsheets;

namespace Relief.Api.Uploads;

/// <summary>
/// The upload templates: for each kind, the columns of a department's spreadsheet in Chinese, each
/// mapped to a field of one record of the kind's JSON batch (households → <c>POST /api/households/batch</c>,
/// household members → <c>POST /api/household-members/batch</c>, policy decisions →
/// <c>POST /api/policy-case-decisions/batch</c>), and the code lists with their Chinese labels.
/// docs/integration.md ("Spreadsheet uploads") shows the same tables.
/// </summary>
public static class UploadTemplates
{
    public const string HouseholdsKind = "households";
    public const string MembersKind = "household-members";
    public const string DecisionsKind = "policy-decisions";

    public static readonly CodeList PovertyCauses = CodeList.Of("povertyCause", "致贫原因", new Dictionary<PovertyCause, CodeValue>
    {
        [PovertyCause.Illness] = new("因病", "Illness"),
        [PovertyCause.Disability] = new("因残", "Disability"),
        [PovertyCause.Schooling] = new("因学", "Schooling"),
        [PovertyCause.Disaster] = new("因灾", "Disaster"),
        [PovertyCause.LackOfLand] = new("缺土地", "LackOfLand"),
        [PovertyCause.LackOfWater] = new("缺水", "LackOfWater"),
        [PovertyCause.LackOfSkills] = new("缺技术", "LackOfSkills"),
        [PovertyCause.LackOfLabour] = new("缺劳力", "LackOfLabour"),
        [PovertyCause.LackOfCapital] = new("缺资金", "LackOfCapital"),
        [PovertyCause.PoorTransport] = new("交通落后", "PoorTransport"),
        [PovertyCause.LackOfMotivation] = new("自身发展动力不足", "LackOfMotivation"),
        [PovertyCause.Other] = new("其它", "Other", "其他"),
    });

    public static readonly CodeList Relations = CodeList.Of("relation", "与户主关系", new Dictionary<Relation, CodeValue>
    {
        [Relation.Head] = new("户主", "Head", "本人"),
        [Relation.Spouse] = new("配偶", "Spouse", "妻", "夫"),
        [Relation.Child] = new("子女", "Child", "子", "女", "儿子", "女儿"),
        [Relation.ChildInLaw] = new("儿媳/女婿", "ChildInLaw", "儿媳", "女婿"),
        [Relation.Grandchild] = new("孙子女", "Grandchild", "孙子", "孙女", "外孙子", "外孙女"),
        [Relation.Parent] = new("父母", "Parent", "父亲", "母亲"),
        [Relation.Sibling] = new("兄弟姐妹", "Sibling", "兄", "弟", "姐", "妹"),
        [Relation.Other] = new("其他", "Other", "其它"),
    });

    public static readonly CodeList Genders = CodeList.Of("gender", "性别", new Dictionary<Gender, CodeValue>
    {
        [Gender.Male] = new("男", "Male"),
        [Gender.Female] = new("女", "Female"),
    });

    public static readonly CodeList DisabilityTypes = CodeList.Of("disabilityType", "残疾类别", new Dictionary<DisabilityType, CodeValue>
    {
        [DisabilityType.Physical] = new("肢残", "Physical", "肢体残疾", "肢体"),
        [DisabilityType.Psychiatric] = new("精神", "Psychiatric", "精神残疾"),
        [DisabilityType.Intellectual] = new("智力", "Intellectual", "智力残疾", "智残"),
        [DisabilityType.Visual] = new("视力", "Visual", "视力残疾"),
        [DisabilityType.Hearing] = new("听力", "Hearing", "听力残疾"),
        [DisabilityType.Speech] = new("言语", "Speech", "言语残疾"),
        [DisabilityType.Multiple] = new("多重", "Multiple", "多重残疾"),
    });

    public static readonly CodeList DependencyLevels = CodeList.Of("dependencyLevel", "失能程度", new Dictionary<DependencyLevel, CodeValue>
    {
        [DependencyLevel.None] = new("无", "None", "能自理"),
        [DependencyLevel.Partial] = new("半失能", "Partial"),
        [DependencyLevel.Full] = new("全失能", "Full"),
    });

    public static readonly CodeList Decisions = CodeList.Of("decision", "办理结果", new Dictionary<CaseDecision, CodeValue>
    {
        [CaseDecision.Eligible] = new("符合条件", "Eligible"),
        [CaseDecision.Ineligible] = new("不符合条件", "Ineligible"),
        [CaseDecision.StartVerification] = new("开始核实", "StartVerification", "核实"),
        [CaseDecision.Grant] = new("批准", "Grant", "落实", "已发放", "已放贷"),
        [CaseDecision.Reject] = new("驳回", "Reject", "不予批准"),
        [CaseDecision.Close] = new("办结", "Close", "结案"),
    });

    /// <summary>Social assistance's kinds (社会救助): 低保, 特困 (the former 五保) and 临时救助, as the API's codes.</summary>
    public static readonly CodeList AssistanceKinds = CodeList.Of("assistance.kind", "救助类别", new Dictionary<SocialAssistanceKind, CodeValue>
    {
        [SocialAssistanceKind.MinimumLivingAllowance] = new("低保", "MinimumLivingAllowance", "最低生活保障"),
        [SocialAssistanceKind.ExtremePovertySupport] = new("特困", "ExtremePovertySupport", "五保", "特困供养", "五保户"),
        [SocialAssistanceKind.TemporaryAid] = new("临时救助", "TemporaryAid"),
    });

    /// <summary>Households (兜底户): one row per household, as <c>POST /api/households/batch</c> takes it (members come in their own upload).</summary>
    public static readonly SheetTemplate Households = new(HouseholdsKind, "兜底户", "兜底户登记",
    [
        new("乡镇(街道)", "township", ColumnKind.Text, true, "乡镇(街道)的名称或代码，如 木城街道 或 mucheng"),
        new("村", "village", ColumnKind.Text, true, "村(社区)名，至多 50 字"),
        new("户主姓名", "headName", ColumnKind.Text, true, "至多 50 字；加密保存"),
        new("家庭住址", "address", ColumnKind.Text, true, "至多 200 字；加密保存"),
        new("致贫原因", "povertyCause", ColumnKind.Code, true, "见代码表 povertyCause：代码或中文", PovertyCauses),
    ], RegisterHouseholdsEndpoint.MaxHouseholds);

    /// <summary>Household members (家庭成员): one row per person, each naming the household by its Relief id.</summary>
    public static readonly SheetTemplate Members = new(MembersKind, "家庭成员", "家庭成员登记",
    [
        new("户编号", "householdId", ColumnKind.Id, true, "兜底户在 Relief 中的编号 (id)：兜底户上传的答复或户列表中的 id"),
        new("户版本", "version", ColumnKind.WholeNumber, false, "可不填；填写时须为最后读到的户版本 (version)，否则该行被拒 (409)"),
        new("姓名", "member.name", ColumnKind.Text, true, "至多 50 字；加密保存"),
        new("身份证号", "member.residentId", ColumnKind.Text, false, "18 位，末位可为 X；单元格请设为文本格式；加密保存"),
        new("残疾证号", "member.disabilityCertificateNo", ColumnKind.Text, false, "至多 30 字；加密保存"),
        new("与户主关系", "member.relation", ColumnKind.Code, true, "见代码表 relation；每户至多一名户主", Relations),
        new("出生日期", "member.birthDate", ColumnKind.Date, true, "yyyy-MM-dd；须与身份证号中的出生日期一致", null),
        new("性别", "member.gender", ColumnKind.Code, true, "男 / 女", Genders),
        new("联系电话", "member.phone", ColumnKind.Text, false, "11 位手机号或带区号的固定电话 (0391-1234567)；加密保存"),
        new("残疾类别", "member.disabilityType", ColumnKind.Code, false, "见代码表 disabilityType；与残疾等级同填或同不填", DisabilityTypes),
        new("残疾等级", "member.disabilityGrade", ColumnKind.WholeNumber, false, "1 (最重) 至 4", null),
        new("失能程度", "member.dependencyLevel", ColumnKind.Code, false, "见代码表 dependencyLevel", DependencyLevels),
    ], AddHouseholdMembersEndpoint.MaxMembers);

    /// <summary>Policy decisions (政策办理): one row per decision on a policy case (八延伸).</summary>
    public static readonly SheetTemplate PolicyDecisions = new(DecisionsKind, "政策办理", "八延伸政策办理结果",
    [
        new("事项编号", "caseId", ColumnKind.Id, true, "政策事项在 Relief 中的编号 (id)"),
        new("事项版本", "version", ColumnKind.WholeNumber, false, "可不填；填写时须为最后读到的事项版本 (version)，否则该行被拒 (409)"),
        new("办理结果", "decision", ColumnKind.Code, true, "见代码表 decision；符合条件/不符合条件只用于金融贷款", Decisions),
        new("办理日期", "on", ColumnKind.Date, true, "yyyy-MM-dd；不晚于今天，不早于事项进入当前阶段之日"),
        new("原因/说明", "reason", ColumnKind.Text, false, "不符合条件、驳回时必填；办结未决事项时必填 (撤回原因)；至多 500 字；加密保存"),
        new("公益岗位", "post.post", ColumnKind.Text, false, "批准公益岗位时必填"),
        new("用工单位", "post.employer", ColumnKind.Text, false, "批准公益岗位时必填"),
        new("月工资(元)", "post.monthlyPay", ColumnKind.Amount, false, "批准公益岗位时必填"),
        new("上岗日期", "post.startsOn", ColumnKind.Date, false, "批准公益岗位时必填"),
        new("离岗日期", "post.endsOn", ColumnKind.Date, false, "可不填"),
        new("创业项目", "business.project", ColumnKind.Text, false, "批准创业扶持时必填"),
        new("扶持内容", "business.support", ColumnKind.Text, false, "批准创业扶持时必填"),
        new("扶持金额(元)", "business.amount", ColumnKind.Amount, false, "可不填"),
        new("贷款金额(元)", "loan.amount", ColumnKind.Amount, false, "批准金融贷款时必填"),
        new("贷款银行", "loan.bank", ColumnKind.Text, false, "批准金融贷款时必填"),
        new("贷款期限(月)", "loan.termMonths", ColumnKind.WholeNumber, false, "批准金融贷款时必填，1 至 360"),
        new("救助类别", "assistance.kind", ColumnKind.CodeOrText, false,
            "批准救助时必填：社会救助填代码表 assistance.kind (低保、特困/五保、临时救助)；医疗、慈善救助填文字", AssistanceKinds),
        new("救助金额(元)", "assistance.amount", ColumnKind.Amount, false, "批准救助时必填"),
        new("发放日期", "assistance.givenOn", ColumnKind.Date, false, "批准救助时必填"),
    ], DecidePolicyCasesEndpoint.MaxDecisions);

    public static IReadOnlyList<SheetTemplate> All { get; } = [Households, Members, PolicyDecisions];

    /// <summary>A households CSV as a department sends it (the OpenAPI example): the template's two header rows and one household.</summary>
    public const string HouseholdsExample =
        "乡镇(街道)*,村*,户主姓名*,家庭住址*,致贫原因*\r\ntownship,village,headName,address,povertyCause\r\n木城街道,东关村,张三,东关村一组 8 号,因病\r\n";

    /// <summary>A members CSV (the OpenAPI example): the household's id and a spouse.</summary>
    public const string MembersExample =
        "户编号*,姓名*,身份证号,与户主关系*,出生日期*,性别*,联系电话,失能程度\r\n"
        + "householdId,member.name,member.residentId,member.relation,member.birthDate,member.gender,member.phone,member.dependencyLevel\r\n"
        + "0191d3a2-7c4e-7000-8000-000000000001,李桂兰,410823195206011029,配偶,1952-06-01,女,13912345678,半失能\r\n";

    /// <summary>A decisions CSV (the OpenAPI example): a loan intent found eligible, a minimum living allowance granted.</summary>
    public const string DecisionsExample =
        "事项编号*,办理结果*,办理日期*,原因/说明,救助类别,救助金额(元),发放日期\r\n"
        + "caseId,decision,on,reason,assistance.kind,assistance.amount,assistance.givenOn\r\n"
        + "0191d3a2-7c4e-7000-8000-000000000008,符合条件,2020-09-30,,,,\r\n"
        + "0191d3a2-7c4e-7000-8000-000000000018,批准,2020-09-30,,低保,480,2020-09-30\r\n";

    /// <summary>The template of an upload kind, or null.</summary>
    public static SheetTemplate? Of(string kind) => All.FirstOrDefault(t => t.Kind == kind);
}
