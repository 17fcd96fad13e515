using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;

namespace Relief.Api.Infrastructure.Errors;

/// <summary>
/// The language of a problem's words. A caller that asks with <c>Accept-Language: zh-CN</c> (or
/// <c>zh</c>, <c>zh-Hans</c>, any Chinese tag, q-values weighed) gets a Chinese <c>title</c> and
/// <c>detail</c> and Chinese field messages where they are templated; anyone else gets English. The
/// <c>type</c>, <c>status</c>, <c>instance</c>, field names and every other member stay as they are:
/// machines key on them.
/// <para>
/// Only the UI culture follows the caller. The request's <see cref="CultureInfo.CurrentCulture"/> is
/// the invariant culture whatever the caller asks, so numbers and dates in JSON, CSV, XLSX and any
/// interpolated text are written the same for everybody.
/// </para>
/// </summary>
public static class ProblemLanguage
{
    public static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");
    public static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-CN");

    /// <summary>
    /// The UI cultures a caller may ask for. <c>zh</c> and <c>zh-Hans</c> are listed beside
    /// <c>zh-CN</c> because the Accept-Language provider falls back from a specific tag to its parent
    /// (zh-TW → zh-Hant → zh), never from a parent to a child (zh → zh-CN).
    /// </summary>
    public static readonly IReadOnlyList<CultureInfo> UiCultures =
        [English, Chinese, CultureInfo.GetCultureInfo("zh-Hans"), CultureInfo.GetCultureInfo("zh")];

    public static IServiceCollection AddReliefLanguages(this IServiceCollection services) =>
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture(CultureInfo.InvariantCulture, English);
            o.SupportedCultures = [CultureInfo.InvariantCulture];
            o.SupportedUICultures = [.. UiCultures];
            o.FallBackToParentUICultures = true;
            o.RequestCultureProviders = [new AcceptLanguageHeaderRequestCultureProvider { MaximumAcceptLanguageHeaderValuesToTry = 5 }];
            o.ApplyCurrentCultureToResponseHeaders = false;
        });

    /// <summary>Outside the exception handler, so that the 500 it writes speaks the caller's language too.</summary>
    public static WebApplication UseReliefLanguages(this WebApplication app)
    {
        app.UseRequestLocalization();
        return app;
    }

    public static bool IsChinese(CultureInfo culture) =>
        string.Equals(culture.TwoLetterISOLanguageName, "zh", StringComparison.Ordinal);

    /// <summary>Puts the problem's title, detail and templated field messages into <paramref name="culture"/>'s language.</summary>
    public static void Translate(ProblemDetails problem, CultureInfo culture)
    {
        if (!IsChinese(culture)) return;
        var status = problem.Status ?? 500;
        var byType = problem.Type is { } type ? ChineseProblemTexts.OfType(type) : null;
        var byStatus = ChineseProblemTexts.OfStatus(status);
        var situation = ChineseProblemTexts.Situation(problem.Title);
        var detail = ChineseProblemTexts.Detail(problem.Detail);

        problem.Title = situation?.Title ?? byType?.Title ?? byStatus.Title;
        problem.Detail = detail ?? situation?.Detail ?? byType?.Detail ?? byStatus.Detail;
        if (problem is HttpValidationProblemDetails { Errors: { } errors })
        {
            foreach (var field in errors.Keys.ToList())
            {
                errors[field] = [.. errors[field].Select(ChineseProblemTexts.FieldMessage)];
            }
        }
    }
}

/// <summary>A problem's title and detail in one language.</summary>
public sealed record ProblemText(string Title, string Detail);

/// <summary>
/// The Chinese words of Relief's problems, in one table keyed by problem type (every
/// <see cref="ProblemTypes"/> constant has its entry: <c>ProblemLanguageTests</c> fails otherwise),
/// the framework's bare status answers keyed by status, and finer words for the situations a type
/// covers (keyed by the English title, which names the situation) and for templated details and
/// field messages (patterns over the English text). A C# table rather than a .resx: the keys are
/// the <see cref="ProblemTypes"/> constants themselves, the templates need patterns with captured
/// values, and a test can enumerate it without a resource manager or satellite assemblies.
/// </summary>
public static partial class ChineseProblemTexts
{
    public static IReadOnlyDictionary<string, ProblemText> ByType { get; } = new Dictionary<string, ProblemText>(StringComparer.Ordinal)
    {
        [ProblemTypes.Validation] = new("请求无效。", "请查看 errors 中各字段的错误。"),
        [ProblemTypes.InvalidJson] = new("请求体不是可接受的 JSON。", "请求体须是格式正确的 UTF-8 JSON，字段名和类型须与 OpenAPI 文档一致（日期写作 yyyy-MM-dd）。"),
        [ProblemTypes.UnsupportedMediaType] = new("只接受 JSON。", "请以 Content-Type: application/json 发送请求体。"),
        [ProblemTypes.PayloadTooLarge] = new("请求体过大。", "请求体超过了大小上限；请分批发送。"),
        [ProblemTypes.Unauthenticated] = new("需要身份认证。", "请在 X-Api-Key 中发送有效的 API 密钥，或发送 bearer 令牌。"),
        [ProblemTypes.Forbidden] = new("无权执行此操作。", "此凭据的权限范围、所属部门或所绑定的乡镇不允许此操作。"),
        [ProblemTypes.NotFound] = new("未找到。", "所请求的记录不存在。"),
        [ProblemTypes.Conflict] = new("与当前状态冲突。", "请求与记录的当前状态相矛盾；请重新读取记录，再决定是否需要此变更。"),
        [ProblemTypes.ConcurrencyConflict] = new("版本已过期。", "记录在您读取之后已被修改；请重新读取，用新的 version 重试。"),
        [ProblemTypes.IdempotencyKeyInvalid] = new("Idempotency-Key 无效。", "Idempotency-Key 须为可见的 ASCII 字符（例如一个 UUID），且只发送一次。"),
        [ProblemTypes.IdempotencyKeyReused] = new("此 Idempotency-Key 已用于另一请求。", "同一个键配了不同的方法、路径或请求体。新的请求请使用新的键。"),
        [ProblemTypes.IdempotencyInProgress] = new("使用此 Idempotency-Key 的请求仍在处理中。", "请等待它完成，然后重试以获得它的响应。"),
        [ProblemTypes.DuplicateResident] = new("该身份证号已在另一户中登记。", "一个人在同一时间只能是一个在保户的成员；请先从原户移出或迁移该成员。"),
        [ProblemTypes.HouseholdClosed] = new("该户已关闭。", "该户已退出兜底保障，不再接受新的记录。"),
        [ProblemTypes.NoQualifyingAgreement] = new("该家庭不在资格链内。",
            "八延伸政策只给予在该日期持有有效的亲情、邻里或包帮托养协议的托养人家庭。"),
        [ProblemTypes.CaseAlreadyOpen] = new("该政策已有未结案件。", "该家庭或该户已有此政策的未结案件；请读取其案件。"),
        [ProblemTypes.RoundAlreadyOpen] = new("已有一轮逐户核实正在进行。", "该乡镇此政策的核实轮次仍未结束；请在该轮次中记录核实，或先结束它。"),
        [ProblemTypes.RoundClosed] = new("该核实轮次已结束。", "已结束的轮次不能再记录核实，也不能再次结束。"),
        [ProblemTypes.AlreadyChecked] = new("本轮已核实过。", "该家庭或该户在本轮中已经核实过。"),
        [ProblemTypes.NotAdmissible] = new("准入规则不允许。", "现行的准入规则不允许此人入住或试住；如确有需要，可由有权部门批准例外。"),
        [ProblemTypes.UnreadableSpreadsheet] = new("无法读取该表格。",
            "表格须为 CSV（UTF-8 或 GB18030/GBK 编码）或 XLSX；第 1 行为模板的列名；列名不得未知、重复或缺少必填列；数据行 1 至 1000 行。"),
        [ProblemTypes.UploadRefused] = new("上传被拒绝，什么也没有写入。", "请查看 rows 中每一行的结果和 errors 中每个单元格的错误（行号、列名、字段），改正后重新上传整个文件。"),
        [ProblemTypes.CountiesUnreachable] = new("地区内没有一个县可以读取。", "各县均无法连接或未在时限内应答；每个县及其原因见 leftOut。请稍后重试。"),
        [ProblemTypes.DatabaseUnavailable] = new("该县的数据库暂不接受写入。", "数据库正在迁移或重启，本次请求没有写入任何内容。请在 Retry-After 所示的秒数之后重试。"),
        [ProblemTypes.BusinessRule] = new("业务规则不允许。", "请求格式正确，但业务规则不允许。"),
        [ProblemTypes.CountyRetired] = new("该县已停用。", "该县已从登记册中停用：其数据仍可读取，但不再接受写入。"),
        [ProblemTypes.TooManyRequests] = new("请求过多。", "请在 Retry-After 所示的秒数之后重试。"),
        [ProblemTypes.Internal] = new("发生了意外错误。", "错误已记录；报告问题时请提供 correlationId。"),
    };

    /// <summary>The framework's answers that carry no type of Relief's own, keyed by status.</summary>
    public static IReadOnlyDictionary<int, ProblemText> ByStatus { get; } = new Dictionary<int, ProblemText>
    {
        [400] = new("请求无效。", "请求的格式或内容不正确。"),
        [401] = new("需要身份认证。", "请在 X-Api-Key 中发送有效的 API 密钥，或发送 bearer 令牌。"),
        [403] = new("禁止访问。", "此凭据不允许此操作。"),
        [404] = new("未找到。", "没有这个地址或记录。"),
        [405] = new("不允许此请求方法。", "此地址不接受这个 HTTP 方法；允许的方法见 Allow 响应头。"),
        [406] = new("无法提供所要求的格式。", "此地址无法以 Accept 请求头所要求的媒体类型回答。"),
        [409] = new("冲突。", "请求与当前状态冲突。"),
        [413] = new("请求体过大。", "请求体超过了大小上限；请分批发送。"),
        [415] = new("不支持的媒体类型。", "请以 Content-Type: application/json 发送请求体。"),
        [422] = new("无法处理。", "请求格式正确，但不能被处理。"),
        [429] = new("请求过多。", "请在 Retry-After 所示的秒数之后重试。"),
        [500] = new("发生了意外错误。", "错误已记录；报告问题时请提供 correlationId。"),
        [503] = new("服务暂不可用。", "请稍后重试。"),
    };

    public static ProblemText? OfType(string type) => ByType.GetValueOrDefault(type);

    public static ProblemText OfStatus(int status) =>
        ByStatus.GetValueOrDefault(status)
        ?? (status >= 500 ? ByStatus[500] : new ProblemText("请求未能完成。", $"HTTP 状态 {status.ToString(CultureInfo.InvariantCulture)}。"));

    /// <summary>
    /// The situations a type covers, by their English title (a pattern: some titles name a kind or a
    /// stage). The Chinese detail explains the situation and what to do; the ids and dates of the
    /// English detail are in the route (<c>instance</c>) and the record the caller reads next.
    /// </summary>
    private static readonly (Regex English, string Title, string Detail)[] Situations =
    [
        S("The request is not valid.", "请求无效。", "请查看 errors 中各字段的错误。"),
        S("The body is not acceptable JSON.", "请求体不是可接受的 JSON。", "请求体须是格式正确的 UTF-8 JSON，字段名和类型须与 OpenAPI 文档一致。"),
        S("The batch was refused; nothing was written.", "整批被拒绝，什么也没有写入。", "请查看 errors 中各条记录的错误，改正后重新发送整批。"),
        S("Only JSON is accepted.", "只接受 JSON。", "请以 Content-Type: application/json 发送请求体。"),
        S("Only a form is accepted.", "只接受表单。", "请以 application/x-www-form-urlencoded 表单发送。"),
        S("Only CSV and XLSX files are accepted.", "只接受 CSV 和 XLSX 文件。",
            "请以 text/csv、XLSX 媒体类型或 multipart/form-data 中的一个文件（.csv 或 .xlsx）上传表格。"),
        S("The spreadsheet cannot be read.", "无法读取该表格。", "请按模板检查文件的编码、列名和行数。"),
        S("The upload was refused; nothing was written.", "上传被拒绝，什么也没有写入。",
            "请查看 rows 中每一行的结果和 errors 中每个单元格的错误（行号、列名、字段），改正后重新上传整个文件。"),
        S("The household changed since it was read.", "该户在您读取之后已被修改。", "请重新读取该户，用新的 version 重试，或不填 version。"),
        S("The case changed since it was read.", "该事项在您读取之后已被修改。", "请重新读取该事项，用新的 version 重试，或不填 version。"),
        S("The case is decided twice in the batch.", "同一事项在一批中办理了两次。", "一批中每个事项只能有一条办理结果；请分批上传。"),
        S("The body is too large.", "请求体过大。", "请求体超过了大小上限；请分批发送。"),
        S("Authentication is required.", "需要身份认证。", "请在 X-Api-Key 中发送有效的 API 密钥，或发送 bearer 令牌。"),
        S("The caller lacks a required scope.", "调用方缺少所需的权限范围。", "此接口需要的权限范围见英文 detail 或 OpenAPI 文档。"),
        S("The caller's department does not own this fact.", "调用方所属部门无权记录此事项。", "此事项只能由负责的部门记录；负责部门的配置见集成说明（docs/integration.md）。"),
        S("Forbidden.", "无权执行此操作。", "此凭据的权限范围、所属部门或所绑定的乡镇不允许此操作。"),
        S("The counties are configuration here.", "本服务的县来自配置。", "本服务未启用县登记册（Relief:CountyRegistry:Enabled），县只能在配置中增减。"),
        S("The county cannot be added.", "无法添加该县。", "县代码须是新的，其数据库须可连接，且不是登记册或另一个县的数据库；原因见英文 detail。"),
        S("The county is retired.", "该县已停用。", "该县已从登记册中停用：其数据仍可读取，但不再接受写入。"),
        S("The county cannot be moved now.", "现在无法迁移该县。", "该县须未停用、未在迁移中，目标须不是它自己的、登记册的或另一个县的数据库；原因见英文 detail。"),
        S("The move cannot be completed.", "无法完成迁移。", "副本须可连接，且与冻结的数据库拥有完全相同的事件和流；请重新复制。原因见英文 detail。"),
        S("The county is not moving.", "该县不在迁移中。", "没有正在进行的迁移可以取消或完成。"),
        S("The county's database accepts no writes for now.", "该县的数据库暂不接受写入。", "数据库正在迁移或重启，本次请求没有写入任何内容。请在 Retry-After 所示的秒数之后重试。"),
        S("No such county.", "没有这个县。", "登记册中没有这个县代码。"),
        S("A region's credential reads no county's records.", "地区凭据不能读取单个县的记录。",
            "此凭据只能读取其所辖地区（市、省）各县的汇总指标（/api/region/…），不能读取或写入任何一个县的记录。"),
        S("No county of the region is served here.", "本服务不服务该地区的任何县。", "此凭据所辖地区的县都不在本服务范围内。"),
        S("No county of the region could be read.", "地区内没有一个县可以读取。", "各县均无法连接或未在时限内应答；每个县及其原因见 leftOut。请稍后重试。"),
        S("This credential's county is not served here.", "此凭据所属的县不在本服务范围内。", "凭据须指明本服务所服务的县。"),
        S("This credential's township is not one of its county's.", "此凭据所属的乡镇不是其所属县的乡镇。", "凭据须指明其所属县登记的乡镇之一。"),
        S("A request with this Idempotency-Key is still running.", "使用此 Idempotency-Key 的请求仍在处理中。", "请等待它完成，然后重试以获得它的响应。"),
        S("This Idempotency-Key was used for another request.", "此 Idempotency-Key 已用于另一请求。", "同一个键配了不同的方法、路径或请求体。新的请求请使用新的键。"),
        S("An unexpected error occurred.", "发生了意外错误。", "错误已记录；报告问题时请提供 correlationId。"),
        S("Too many requests.", "请求过多。", "此调用方在时间窗口内的请求数超过了上限；请在 Retry-After 所示的秒数之后重试。"),
        S("The county's expensive reads are all in use.", "本县的高开销查询名额已用完。", "核验、导出和按时点查询报表同时运行的数量有限；请在 Retry-After 所示的秒数之后重试。"),

        S("No such household.", "没有这一户。", "没有这个 ID 的兜底户。"),
        S("No such member.", "没有这个成员。", "该户或该家庭没有这个 ID 的成员。"),
        S("No such care agreement.", "没有这份五养协议。", "没有这个 ID 的五养协议。"),
        S("No such care centre.", "没有这个医养中心。", "没有这个 ID 的医养中心。"),
        S("No such care plan.", "没有这份一户一策方案。", "没有这个 ID 的方案。"),
        S("No care plan.", "还没有一户一策方案。", "该户还没有方案；请先起草方案。"),
        S("No such cadre.", "没有这位帮扶责任人。", "该方案从未有过这个 ID 的帮扶责任人。"),
        S("No such caregiver family.", "没有这个托养人家庭。", "没有这个 ID 的托养人家庭。"),
        S("No such enrolment.", "没有这个报名。", "该培训班没有这个 ID 的报名。"),
        S("No such entry.", "没有这条记录。", "事件日志中没有这个序号的记录。"),
        S("No such job placement.", "没有这次就业安置。", "没有这个 ID 的就业安置。"),
        S("No such policy case.", "没有这个政策案件。", "没有这个 ID 的八延伸政策案件。"),
        S("No such stay.", "没有这次入住。", "该医养中心没有这个 ID 的入住或试住。"),
        S("No such training class.", "没有这个培训班。", "没有这个 ID 的培训班。"),
        S("No such webhook delivery.", "没有这次 webhook 投递。", "贵部门没有这个 ID 的 webhook 投递。"),
        S("No such webhook subscription.", "没有这个 webhook 订阅。", "贵部门没有这个 ID 的 webhook 订阅。"),
        S("No such [a-z -]+\\.", "没有这条记录。", "没有这个 ID 的记录。"),
        S("No caregiver name.", "没有托养人姓名。", "该协议的托养人没有记录姓名。"),
        S("No report for this week", "这一周没有报告。", "某一周的报告在记录了该周或之后日期的事实后才会生成。"),
        S("No report for this week as known then", "当时这一周没有报告。", "在所问的时点，尚未记录该周或之后日期的任何事实。"),
        S("No weekly dispatch report yet", "还没有周工作调度报告。", "报告随事件记录异步生成（约一秒之内）；请稍后再读。"),
        S("The household did not exist then.", "该户当时还不存在。", "到所问的版本或时点为止，该户没有任何事件。"),

        S("The household is closed.", "该户已关闭。", "该户已退出兜底保障，不再接受新的记录。"),
        S("The stream is closed.", "该记录流已关闭。", "该条记录所属的流已归档（已关闭的户）。"),
        S("The record is archived.", "该记录已归档。", "已归档的记录不再接受新的记录。"),
        S("The resident ID is active in another household.", "该身份证号已在另一户中登记。", "一个人在同一时间只能是一个在保户的成员；请先从原户移出或迁移该成员。"),
        S("The resident ID is in an earlier record of the batch.", "该身份证号已出现在本批较前的记录中。", "同一身份证号在一批中只能出现一次。"),
        S("The household moved to has changed.", "迁入的户已被修改。", "迁入户的版本与请求中的 toVersion 不一致；请重新读取该户后重试。"),
        S("The household moved to has a head.", "迁入的户已有户主。", "请先修改该成员与户主的关系，或修改另一户的户主，再迁移。"),
        S("The household's personal data was erased.", "该户的个人信息已被删除。", "该户的密钥已按删除请求销毁，不能再记录其个人信息。"),
        S("The member's personal data was erased.", "该成员的个人信息已被删除。", "该成员的密钥已按删除请求销毁，不能再记录或读取其个人信息。"),
        S("Already erased.", "已经删除过了。", "这些个人信息此前已被删除。"),
        S("Recorded in clear before per-person sealing.", "在按人加密之前以明文记录。", "该记录在按人加密之前写入，不在任何密钥之下，删除无法触及（见 docs/security.md §4）。"),
        S("The caregiver is a member of a caregiver family.", "托养人是托养人家庭的成员。", "请在托养人家庭成员的个人信息删除接口删除：协议上的姓名用同一密钥加密。"),
        S("The caregiver's name was recorded in clear.", "托养人姓名以明文记录。", "该姓名在加密之前记录，不在任何可销毁的密钥之下。"),
        S("The head cannot be removed.", "户主不能被移出。", "一个家庭须保留户主；请先指定另一位户主。"),
        S("A concurrent request recorded the same thing first.", "另一个并发请求先记录了同样的内容。", "请重新读取当前状态，如仍需要此变更再重试。"),
        S("A centre with this name exists.", "已有同名的医养中心。", "医养中心的名称须唯一。"),
        S("Fewer beds than occupied.", "床位数少于已占用的床位。", "床位数不能少于当前已入住和试住的人数。"),
        S("The centre is full.", "医养中心已满。", "所有床位都已被入住或试住占用。"),
        S("The target centre was not open yet.", "目标医养中心当时尚未开放。", "转院日期早于目标医养中心的开放日期。"),
        S("The member already has an active stay.", "该成员已有一次进行中的入住。", "一个人同一时间只能有一次入住或试住。"),
        S("The stay is no longer active.", "该次入住已结束。", "已离开或已结束的入住不能再记录。"),
        S("Trial stays are free.", "试住是免费的。", "试住不产生费用。"),
        S("Not a [a-z ]+\\.", "入住类型不符。", "该次入住的类型与此操作不符（入住与试住是不同的）。"),
        S("The [a-z ]+ is dated before the stay began.", "日期早于入住开始。", "所记录的日期不能早于该次入住的开始日期。"),
        S("A centralised-care agreement rests on this stay.", "有集中医养协议依赖于此次入住。", "请先终止该集中医养协议，再办理离开。"),
        S("Centralised care rests on an active admission.", "集中医养须以有效的入住为依据。", "所指的入住须是进行中的正式入住（不是试住）。"),
        S("The admission rule refuses this [a-z ]+\\.", "准入规则不允许此次入住或试住。", "现行的准入规则不适用于此人；如确有需要，可由有权部门批准例外。"),
        S("No exception is needed.", "无需例外。", "现行规则已经允许此事项，不需要批准例外。"),
        S("A rule applies from that date or later already.", "已有自该日或更晚起适用的规则。", "新规则的生效日期须晚于最近一条规则的生效日期。"),
        S("No funding rule in force.", "没有有效的资金规则。", "该日期没有适用的集中医养资金规则。"),
        S("The rule sets no rate for this resident.", "规则没有为此入住人员设定费率。", "现行资金规则没有此残疾类别的月费率。"),
        S("The resident was not in this stay that month.", "该月此人不在此次入住中。", "所问的月份不在该次入住的起止日期之内。"),
        S("The month of a transfer is charged to the earlier stay.", "转院当月的费用计入前一次入住。", "请查询前一次入住该月的费用。"),
        S("The agreement has ended.", "协议已终止。", "已终止的协议不能再续签、修改或终止。"),
        S("The care plan is in force.", "方案已生效。", "已生效的方案不能再这样修改；请通过复核修改。"),
        S("The care plan is not in force.", "方案尚未生效。", "方案须先启用才能复核或走访。"),
        S("The care plan is not complete.", "方案尚不完整。", "方案须有评估、选定的照护方式和帮扶责任人才能生效。"),
        S("The household has a care plan.", "该户已有方案。", "一户只有一份一户一策方案；请修改现有方案。"),
        S("The follow-up is already completed.", "整改已完成。", "该项整改此前已记录为完成。"),
        S("The family is outside the eligibility chain.", "该家庭不在资格链内。", "八延伸政策只给予在该日期持有有效的亲情、邻里或包帮托养协议的托养人家庭。"),
        S("A case of this policy is already open.", "该政策已有未结案件。", "该家庭或该户已有此政策的未结案件；请读取其案件。"),
        S("The case cannot go from [A-Za-z]+ to [A-Za-z]+\\.", "案件不能进入此阶段。", "案件当前所处的阶段不允许此步骤；请读取案件，查看其阶段。"),
        S("Not this family's public-welfare post case.", "不是该家庭的公益岗位案件。", "就业安置所指的须是该家庭的公益岗位案件。"),
        S("The public-welfare post is not granted.", "公益岗位尚未批准。", "公益岗位案件须先批准，才能安置就业。"),
        S("The public-welfare post is already placed.", "该公益岗位已安置。", "一个公益岗位案件只对应一次就业安置。"),
        S("The member is already enrolled.", "该成员已报名。", "该成员已在此培训班中报名。"),
        S("The class is full.", "培训班已满。", "培训班的名额已全部报满。"),
        S("The class is over.", "培训班已结束。", "已结束的培训班不再接受报名。"),
        S("The enrolment is [a-z]+\\.", "该报名已不在进行中。", "已结业或已退出的报名不能再这样修改。"),
        S("The member already has a family-doctor agreement.", "该成员已签约家庭医生。", "该成员的家庭医生签约仍然有效。"),
        S("The member has no family-doctor agreement to end.", "该成员没有可终止的家庭医生签约。", "该成员没有尚未终止的家庭医生签约。"),
        S("A later survey is recorded.", "已有更晚的调查。", "需求排查的日期不能早于该家庭最近一次调查。"),
        S("A verification round is already open.", "已有一轮逐户核实正在进行。", "该乡镇此政策的核实轮次仍未结束；请在该轮次中记录核实，或先结束它。"),
        S("The verification round is closed.", "该核实轮次已结束。", "已结束的轮次不能再记录核实，也不能再次结束。"),
        S("Already checked in this round.", "本轮已核实过。", "该家庭或该户在本轮中已经核实过。"),
        S("This entry cannot be voided.", "此条记录不能作废。", "该记录是系统簿记，不是记录的事实；请重新记录正确的事实。"),
        S("The entry is already voided.", "此条记录已作废。", "该记录此前已被作废。"),
        S("Too many webhook subscriptions.", "webhook 订阅过多。", "贵部门的有效 webhook 订阅已达上限；请先取消不用的订阅。"),
        S("The subscription is already cancelled.", "该订阅已取消。", "该 webhook 订阅此前已取消。"),
        S("The subscription is cancelled.", "该订阅已取消。", "已取消订阅的投递不能重放。"),
        S("The delivery is still pending.", "该投递仍在进行中。", "投递仍在排队或重试中；完成后才能重放。"),
    ];

    /// <summary>Templated details, by pattern over the English detail; the captured values are kept.</summary>
    private static readonly (Regex English, string Chinese)[] Details =
    [
        (P("See errors for each field\\."), "请查看 errors 中各字段的错误。"),
        (P("This route needs the scope '(?<scope>[^']+)'\\."), "此接口需要权限范围 '${scope}'。"),
        (P("(?<what>.+) needs? the scope (?<a>[^ ]+) or (?<b>[^ ]+)\\."), "需要权限范围 ${a} 或 ${b}。"),
        (P("(?<what>.+) needs the scope (?<a>[^ ]+)\\."), "需要权限范围 ${a}。"),
        (P("'(?<fact>[^']+)' may be recorded only by: (?<owners>.+)\\."), "'${fact}' 只能由以下部门记录：${owners}。"),
        (P("This key is bound to the township '(?<township>[^']+)'\\..*"), "此密钥绑定于乡镇 '${township}'，只能访问该乡镇的记录。"),
        (P("Send a valid key in X-Api-Key or a bearer token\\."), "请在 X-Api-Key 中发送有效的 API 密钥，或发送 bearer 令牌。"),
    ];

    /// <summary>Templated field messages (FieldErrors and the JSON body check), by pattern; the captured values are kept.</summary>
    private static readonly (Regex English, string Chinese)[] FieldMessages =
    [
        (P("is required\\."), "必填。"),
        (P("is required \\(an empty list when none\\)\\."), "必填（没有时给空列表）。"),
        (P("An Idempotency-Key is 1 to (?<n>\\d+) printable ASCII characters, sent once\\."), "Idempotency-Key 须为 1 到 ${n} 个可见 ASCII 字符，且只发送一次。"),
        (P("is at most (?<n>\\d+) characters\\."), "最多 ${n} 个字符。"),
        (P("has at most (?<n>\\d+) (?<what>[a-z ]+)\\."), "最多 ${n} 项。"),
        (P("is not a township of the county\\."), "不是本县的乡镇。"),
        (P("is not a township of the county; allowed: (?<codes>.+)\\."), "不是本县的乡镇；可选：${codes}。"),
        (P("must not be in the future\\."), "不能晚于今天。"),
        (P("must not start in the future\\."), "开始日期不能晚于今天。"),
        (P("is one of (?<values>.+)\\."), "取值须为以下之一：${values}。"),
        (P("'(?<value>[^']*)' is not a (?<type>\\w+); allowed values: (?<values>.+)\\."), "'${value}' 不是有效的 ${type}；可选值：${values}。"),
        (P("is given twice\\."), "重复给出。"),
        (P("must not be before (?<field>[a-zA-Z]+)\\."), "不能早于 ${field}。"),
        (P("must be after (?<field>[a-zA-Z]+)\\."), "须晚于 ${field}。"),
        (P("must be an ISO week such as 2020-W40\\."), "须为 ISO 周，例如 2020-W40。"),
        (P("is not a cursor this list gave\\."), "不是此列表给出的游标。"),
        (P("is a whole number from 1 to (?<n>\\d+)\\."), "须为 1 到 ${n} 之间的整数。"),
        (P("is true or false\\."), "须为 true 或 false。"),
        (P("is a date written yyyy-MM-dd\\."), "须为 yyyy-MM-dd 格式的日期。"),
        (P("is 0 to 100\\."), "须在 0 到 100 之间。"),
        (P("is not a household id\\."), "不是户的 ID。"),
        (P("is not a member of the household\\."), "不是该户的成员。"),
        (P("has the wrong type or format \\(dates are yyyy-MM-dd, numbers are plain JSON numbers\\)\\."),
            "类型或格式错误（日期写作 yyyy-MM-dd，数字为普通 JSON 数字）。"),
        (P("is not a field of this request \\(unknown fields are refused, so that a misspelt one is never dropped\\)\\."),
            "不是此请求的字段（未知字段会被拒绝，以免拼错的字段被悄悄丢弃）。"),
    ];

    /// <summary>The Chinese title and detail of the situation an English title names, if known.</summary>
    public static ProblemText? Situation(string? englishTitle)
    {
        if (englishTitle is null) return null;
        foreach (var (english, title, detail) in Situations)
        {
            if (english.IsMatch(englishTitle)) return new ProblemText(title, detail);
        }

        return null;
    }

    /// <summary>The Chinese of a templated English detail, if it is one.</summary>
    public static string? Detail(string? englishDetail) => Templated(englishDetail, Details);

    /// <summary>A field message in Chinese where it is templated; as it is otherwise.</summary>
    public static string FieldMessage(string englishMessage) => Templated(englishMessage, FieldMessages) ?? englishMessage;

    /// <summary>Every situation's English title pattern (for tests).</summary>
    public static IEnumerable<Regex> SituationTitles => Situations.Select(s => s.English);

    private static string? Templated(string? english, (Regex English, string Chinese)[] templates)
    {
        if (english is null) return null;
        foreach (var (pattern, chinese) in templates)
        {
            var match = pattern.Match(english);
            if (match.Success) return match.Result(chinese);
        }

        return null;
    }

    private static (Regex, string, string) S(string englishTitle, string title, string detail) =>
        (P(englishTitle.Contains('[', StringComparison.Ordinal) ? englishTitle : Regex.Escape(englishTitle)), title, detail);

    private static Regex P(string pattern) =>
        new("^" + pattern + "$", RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromMilliseconds(100));
}
