using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Relief.Core.Calendar;

namespace Relief.Api.Demo;

/// <summary>How far a demo run has come.</summary>
public sealed record DemoProgress(int Done, int Total, DateOnly Day);

/// <summary>
/// Builds the demo county through the HTTP API itself — the same endpoints, rules and handlers a
/// department system goes through, with the development keys of the departments that own each fact —
/// day by day from April to October 2020, with the API's clock set to each day. Its latest weekly
/// dispatch report reproduces every figure of the seed article (<see cref="DemoFigures"/>). The plan
/// is drawn from a fixed seed: every run builds the same county (with new ids).
/// </summary>
public sealed partial class DemoCounty(HttpClient http, Action<DateTimeOffset> setNow, IProgress<DemoProgress>? progress = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly string[] Townships =
    [
        "mucheng", "longyuan", "longquan", "sanyang", "dahongqiao", "beiguo", "qiaomiao", "zhandian", "xitao",
        "xieqiying", "dafeng", "gedangdian", "jiayingguan", "xiaodong", "ningguo",
    ];

    private static readonly string[] TownshipNames =
    [
        "木城街道", "龙源街道", "龙泉街道", "三阳乡", "大虹桥乡", "北郭乡", "乔庙镇", "詹店镇", "西陶镇",
        "谢旗营镇", "大封镇", "圪垱店乡", "嘉应观乡", "小董乡", "宁郭镇",
    ];

    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗"];
    private static readonly string[] Given = ["秀英", "桂兰", "建国", "国庆", "红梅", "志强", "玉兰", "德胜", "淑珍", "海燕", "春生", "凤英", "振华", "金花", "长林", "小燕", "丽娟", "卫东", "文革", "保国"];
    private static readonly string[] Villages = ["东关村", "西关村", "南街村", "北街村", "大王庄", "小李庄", "前刘村", "后张村", "河口村", "新庄村"];

    private const string PovertyOffice = "dev-poverty-office";
    private const string CivilAffairs = "dev-civil-affairs";
    private const string DisabledPersons = "dev-dpf";
    private const string Health = "dev-health";
    private const string Bank = "dev-bank";
    private const string Hrss = "dev-hrss";
    private const string MedicalSecurity = "dev-medical-security";
    private const string Charity = "dev-charity";

    private readonly Random _random = new(2020);
    private readonly List<(DateOnly Day, int Order, Func<Task> Run)> _steps = [];
    private readonly HashSet<string> _residentIds = [];
    private readonly List<Family> _families = [];
    private readonly List<Household> _households = [];

    /// <summary>The policies the plan delivers to (or opens a case for) each family: what its needs survey finds.</summary>
    private readonly Dictionary<Family, SortedSet<string>> _planned = [];

    /// <summary>The seed's exemplary families, by the mode of their agreement.</summary>
    private readonly Dictionary<string, Family> _exemplars = [];

    /// <summary>The granted public-welfare post cases: each post's job is one placement on a public-welfare post.</summary>
    private readonly List<(Family Family, Case Case, DateOnly GrantedOn)> _posts = [];

    private sealed class Household
    {
        public Guid Id;
        public Guid HeadMemberId;
        public required string Township;
        public DateOnly RegisteredOn;

        /// <summary>The day the household's care began (its admission, or its family's agreement), and what gives it.</summary>
        public DateOnly CaredFrom;
        public Guid[]? Stay;
        public List<(string Mode, Guid[] Id)> Agreements = [];
    }

    private sealed class Family
    {
        public Guid Id;
        public int Version;
        public required string Township;
        public DateOnly RegisteredOn;
        /// <summary>The mode of the family's agreement (KinshipCare, NeighbourCare or AssignedHelperCare).</summary>
        public required string Mode;
        /// <summary>Its people, head first, as registered.</summary>
        public List<FamilyPerson> People = [];
        public List<Guid> MemberIds = [];
    }

    private sealed class Case
    {
        public Guid Id;
        public int Version;
    }

    /// <summary>The number of API requests the demo makes.</summary>
    public int Requests => _steps.Count;

    public async Task BuildAsync(CancellationToken token)
    {
        Plan();
        var ordered = _steps.OrderBy(s => s.Day).ThenBy(s => s.Order).ToList();
        for (var i = 0; i < ordered.Count; i++)
        {
            token.ThrowIfCancellationRequested();
            var (day, _, run) = ordered[i];
            // Mid-morning China time on the day: every "today" and "now" of the API is that day.
            setNow(new DateTimeOffset(day.ToDateTime(new TimeOnly(10, 0)), ChinaTime.Offset).ToUniversalTime());
            await run();
            progress?.Report(new DemoProgress(i + 1, ordered.Count, day));
        }
    }

    private void At(DateOnly day, Func<Task> run) => _steps.Add((Clamp(day), _steps.Count, run));

    // ---------------------------------------------------------------- the plan

    private void Plan()
    {
        PlanCentres(out var centres);
        PlanHouseholds(centres);
        PlanLoans();
        PlanOtherPolicies();
        PlanTraining();
        PlanRecognition();
        PlanSupervision();
        PlanCarePlans();
        // Planned last: they draw from the seed after everything above, which therefore comes out as before.
        PlanNeeds();
        PlanHappiness();
        PlanVerificationRounds();
    }

    /// <summary>Remembers that the plan takes a measure of <paramref name="policy"/> for the family.</summary>
    private void Plans(Family family, string policy)
    {
        if (!_planned.TryGetValue(family, out var policies)) _planned[family] = policies = new SortedSet<string>(StringComparer.Ordinal);
        policies.Add(policy);
    }

    // ---------------------------------------------------------------- HTTP

    private async Task<(Guid, int)> Opened(object body, string key)
    {
        var created = await Post("/api/policy-cases", body, key);
        return (created.GetProperty("id").GetGuid(), 1);
    }

    private async Task Move(Case policyCase, string step, object body, string key)
    {
        var saved = await Post($"/api/policy-cases/{policyCase.Id}/{step}", body, key);
        policyCase.Version = saved.GetProperty("version").GetInt32();
    }

    private async Task<JsonElement> Post(string url, object body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body, body.GetType(), options: Json) };
        request.Headers.Add("X-Api-Key", key);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        request.Headers.Add("X-External-Ref", "demo");
        return await Send(request);
    }

    private async Task<JsonElement> Put(string url, object body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = JsonContent.Create(body, body.GetType(), options: Json) };
        request.Headers.Add("X-Api-Key", key);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        request.Headers.Add("X-External-Ref", "demo");
        return await Send(request);
    }

    private async Task<JsonElement> Get(string url, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("X-Api-Key", key);
        return await Send(request);
    }

    private async Task<JsonElement> Send(HttpRequestMessage request)
    {
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"The demo's {request.Method} {request.RequestUri} was answered {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
