using System.Globalization;
using Relief.Api.CareAgreements;
using Relief.Api.Dispatch.Engine;
using Relief.Api.ExtendedPolicies;
using Relief.Api.ExtendedPolicies.Needs;
using Relief.Api.Infrastructure.Security;
using Relief.Core.Calendar;

namespace Relief.Api.Dispatch.Report;

/// <summary>The languages a page is written in: Chinese (the meeting's), English, or both side by side (the API's printable page).</summary>
public enum PageLanguage
{
    Chinese,
    English,
    Bilingual,
}

/// <summary>
/// The words, dates and numbers of a page in its language. Chinese is the default (<c>?lang=zh</c>),
/// English on request (<c>?lang=en</c>); every link a page writes keeps the choice. Dates are written
/// as Chinese readers write them (<c>2020年9月28日</c>, <c>2020年第40周</c>), numbers with a thousands
/// separator (<c>1,652</c>), changes signed (<c>+3</c>, <c>−2</c>, <c>持平</c>).
/// </summary>
public sealed class ReportText(PageLanguage language)
{
    public const string Parameter = "lang";

    public static readonly ReportText Chinese = new(PageLanguage.Chinese);
    public static readonly ReportText English = new(PageLanguage.English);
    public static readonly ReportText Bilingual = new(PageLanguage.Bilingual);

    public PageLanguage Language { get; } = language;

    /// <summary>The value of <c>lang</c> that keeps this language in a link (<c>zh</c>, <c>en</c>).</summary>
    public string Code => Language == PageLanguage.English ? "en" : "zh";

    public string HtmlLang => Language == PageLanguage.English ? "en" : "zh-CN";

    /// <summary>The language a request asks for: <c>?lang=en</c> for English, anything else Chinese.</summary>
    public static ReportText Of(string? lang) =>
        string.Equals(lang, "en", StringComparison.OrdinalIgnoreCase) ? English : Chinese;

    /// <summary>One phrase in the page's language; both, Chinese first, on a bilingual page.</summary>
    public string Say(string chinese, string english) => Language switch
    {
        PageLanguage.Chinese => chinese,
        PageLanguage.English => english,
        _ => $"{chinese} {english}",
    };

    /// <summary>A figure's name in the page's language, from the one dictionary of figure names (<see cref="FigureLabels"/>).</summary>
    public string Label(string metric)
    {
        var label = FigureLabels.Of(metric);
        return Language switch
        {
            PageLanguage.Chinese => label.Chinese,
            PageLanguage.English => label.English,
            _ => label.Both,
        };
    }

    public string Date(DateOnly date) => Language switch
    {
        PageLanguage.Chinese => string.Create(CultureInfo.InvariantCulture, $"{date.Year}年{date.Month}月{date.Day}日"),
        PageLanguage.English => date.ToString("d MMM yyyy", CultureInfo.InvariantCulture),
        _ => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };

    /// <summary>An instant in China time: <c>2020年10月4日 10:00</c>, <c>4 Oct 2020 10:00</c>.</summary>
    public string Instant(DateTimeOffset instant)
    {
        var local = instant.ToOffset(ChinaTime.Offset);
        return $"{Date(DateOnly.FromDateTime(local.DateTime))} {local.ToString("HH:mm", CultureInfo.InvariantCulture)}";
    }

    /// <summary>An ISO week as the meeting names it: <c>2020年第40周</c>, <c>Week 40, 2020</c>.</summary>
    public string Week(string isoWeek)
    {
        if (!IsoWeek.TryParse(isoWeek, out var week)) return isoWeek;
        return Language switch
        {
            PageLanguage.Chinese => string.Create(CultureInfo.InvariantCulture, $"{week.Year}年第{week.Week}周"),
            PageLanguage.English => string.Create(CultureInfo.InvariantCulture, $"Week {week.Week}, {week.Year}"),
            _ => isoWeek,
        };
    }

    /// <summary>A week's days: <c>2020年9月28日至10月4日</c>, <c>28 Sep – 4 Oct 2020</c>.</summary>
    public string Range(DateOnly from, DateOnly to) => Language switch
    {
        PageLanguage.Chinese => from.Year == to.Year
            ? string.Create(CultureInfo.InvariantCulture, $"{Date(from)}至{to.Month}月{to.Day}日")
            : $"{Date(from)}至{Date(to)}",
        PageLanguage.English => from.Year == to.Year
            ? $"{from.ToString("d MMM", CultureInfo.InvariantCulture)} – {Date(to)}"
            : $"{Date(from)} – {Date(to)}",
        _ => $"{Date(from)} – {Date(to)}",
    };

    /// <summary>A kind of care (五养) by its Chinese and English names.</summary>
    public string Mode(CareMode mode) => mode switch
    {
        CareMode.CentralisedCare => Say("集中医养", "Centralised care"),
        CareMode.KinshipCare => Say("亲情托养", "Kinship care"),
        CareMode.NeighbourCare => Say("邻里托养", "Neighbour care"),
        CareMode.CharityCare => Say("慈善托养", "Charity care"),
        CareMode.AssignedHelperCare => Say("包帮托养", "Assigned-helper care"),
        _ => mode.ToString(),
    };

    /// <summary>An extended policy (八延伸) by its code (<c>FinancialLoan</c> → 金融贷款); an unknown code as it is.</summary>
    public string Policy(string code) => code switch
    {
        nameof(ExtendedPolicy.PublicWelfarePost) => Say("公益岗位", "Public-welfare post"),
        nameof(ExtendedPolicy.TrainingAndEmployment) => Say("培训就业", "Training and employment"),
        nameof(ExtendedPolicy.Entrepreneurship) => Say("创业发展", "Entrepreneurship"),
        nameof(ExtendedPolicy.FinancialLoan) => Say("金融贷款", "Financial loan"),
        nameof(ExtendedPolicy.FamilyDoctor) => Say("家庭医生", "Family doctor"),
        nameof(ExtendedPolicy.MedicalAssistance) => Say("医疗救助", "Medical assistance"),
        nameof(ExtendedPolicy.SocialAssistance) => Say("社会救助", "Social assistance"),
        nameof(ExtendedPolicy.CharityAssistance) => Say("慈善救助", "Charity assistance"),
        _ => code,
    };

    /// <summary>A policy case's stage by its code.</summary>
    public string Stage(string code) => code switch
    {
        nameof(CaseStage.NeedIdentified) => Say("需求已识别", "Need identified"),
        nameof(CaseStage.Applied) => Say("已申请", "Applied"),
        nameof(CaseStage.Eligible) => Say("符合条件", "Eligible"),
        nameof(CaseStage.UnderVerification) => Say("核实中", "Under verification"),
        _ => code,
    };

    /// <summary>A need's state (逐人落实).</summary>
    public string Need(NeedStatus status) => status switch
    {
        NeedStatus.Open => Say("未办理", "Open"),
        NeedStatus.InProgress => Say("办理中", "In progress"),
        _ => Say("已落实", "Met"),
    };

    /// <summary>A department by its short Chinese name (扶贫办, 人社 …).</summary>
    public string DepartmentName(Department department) => department switch
    {
        Department.PovertyAlleviationOffice => Say("扶贫办", "Poverty-alleviation office"),
        Department.HumanResourcesAndSocialSecurity => Say("人社", "Human resources"),
        Department.MedicalSecurity => Say("医保", "Medical security"),
        Department.HealthCommission => Say("卫健", "Health commission"),
        Department.CivilAffairs => Say("民政", "Civil affairs"),
        Department.DisabledPersonsFederation => Say("残联", "Disabled persons' federation"),
        Department.CharityFederation => Say("慈善总会", "Charity federation"),
        Department.Bank => Say("银行", "Bank"),
        Department.Township => Say("乡镇", "Township"),
        _ => Say("审计", "Audit"),
    };

    public static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A change: signed, with a true minus sign; no change is <c>持平</c> (<c>±0</c> in English).</summary>
    public string Change(int change) => change switch
    {
        > 0 => "+" + Number(change),
        < 0 => "−" + Number(-change),
        _ => Language == PageLanguage.Chinese ? "持平" : "±0",
    };
}
