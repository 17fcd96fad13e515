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
        [PovertyCause.Illness] = new("Illness", "因病"),
        [PovertyCause.Disability] = new("Disability", "因残"),
        [PovertyCause.Schooling] = new("Schooling", "因学"),
        [PovertyCause.Disaster] = new("Disaster", "因灾"),
        [PovertyCause.LackOfLand] = new("LackOfLand", "缺土地"),
        [PovertyCause.LackOfWater] = new("LackOfWater", "缺水"),
        [PovertyCause.LackOfSkills] = new("LackOfSkills", "缺技术"),
        [PovertyCause.LackOfLabour] = new("LackOfLabour", "缺劳力"),
        [PovertyCause.LackOfCapital] = new("LackOfCapital", "缺资金"),
        [PovertyCause.PoorTransport] = new("PoorTransport", "交通落后"),
        [PovertyCause.LackOfMotivation] = new("LackOfMotivation", "自身发展动力不足"),
        [PovertyCause.Other] = new("Other", "其它", "其他"),
    });

    public static readonly CodeList Relations = CodeList.Of("relation", "与户主关系", new Dictionary<Relation, CodeValue>
    {
        [Relation.Head] = new("Head", "户主", "本人"),
        [Relation.Spouse] = new("Spouse", "配偶", "妻", "夫"),
        [Relation.Child] = new("Child", "子女", "子", "女", "儿子", "女儿"),
        [Relation.ChildInLaw] = new("ChildInLaw", "儿媳/女婿", "儿媳", "女婿"),
        [Relation.Grandchild] = new("Grandchild", "孙子女", "孙子", "孙女", "外孙子", "外孙女"),
        [Relation.Parent] = new("Parent", "父母", "父亲", "母亲"),
        [Relation.Sibling] = new("Sibling", "兄弟姐妹", "兄", "弟", "姐", "妹"),
        [Relation.Other] = new("Other", "其他", "其它"),
    });

    public static readonly CodeList Genders = CodeList.Of("gender", "性别", new Dictionary<Gender, CodeValue>
    {
        [Gender.Male] = new("Male", "男"),
        [Gender.Female] = new("Female", "女"),
    });

    public static readonly CodeList DisabilityTypes = CodeList.Of("disabilityType", "残疾类别", new Dictionary<DisabilityType, CodeValue>
    {
        [DisabilityType.Physical] = new("Physical", "肢残", "肢体残疾", "肢体"),
        [DisabilityType.Psychiatric] = new("Psychiatric", "精神", "精神残疾"),
        [DisabilityType.Intellectual] = new("Intellectual", "智力", "智力残疾", "智残"),
        [DisabilityType.Visual] = new("Visual", "视力", "视力残疾"),
        [DisabilityType.Hearing] = new("Hearing", "听力", "听力残疾"),
        [DisabilityType.Speech] = new("Speech", "言语", "言语残疾"),
        [DisabilityType.Multiple] = new("Multiple", "多重", "多重残疾"),
    });

    public static readonly CodeList DependencyLevels = CodeList.Of("dependencyLevel", "失能程度", new Dictionary<DependencyLevel, CodeValue>
    {
        [DependencyLevel.None] = new("None", "无", "能自理"),
        [DependencyLevel.Partial] = new("Partial", "半失能"),
        [DependencyLevel.Full] = new("Full", "全失能"),
    });

    public static readonly CodeList Decisions = CodeList.Of("decision", "办理结果", new Dictionary<CaseDecision, CodeValue>
    {
        [CaseDecision.Eligible] = new("Eligible", "符合条件"),
        [CaseDecision.Ineligible] = new("Ineligible", "不符合条件"),
        [CaseDecision.StartVerification] = new("StartVerification", "开始核实", "核实"),
        [CaseDecision.Grant] = new("Grant", "批准", "落实", "已发放", "已放贷"),
        [CaseDecision.Reject] = new("Reject", "驳回", "不予批准"),
        [CaseDecision.Close] = new("Close", "办结", "结案"),
    });

    /// <summary>Social assistance's kinds (社会救助): 低保, 特困 (the former 五保) and 临时救助, as the API's codes.</summary>
    public static readonly CodeList AssistanceKinds = CodeList.Of("assistance.kind", "救助类别", new Dictionary<SocialAssistanceKind, CodeValue>
    {
        [SocialAssistanceKind.MinimumLivingAllowance] = new("MinimumLivingAllowance", "低保", "最低生活保障"),
        [SocialAssistanceKind.ExtremePovertySupport] = new("ExtremePovertySupport", "特困", "五保", "特困供养", "五保户"),
        [SocialAssistanceKind.TemporaryAid] = new("TemporaryAid", "临时救助"),
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

    /// <summary>The template of an upload kind, or null.</summary>
    public static SheetTemplate? Of(string kind) => All.FirstOrDefault(t => t.Kind == kind);
}
