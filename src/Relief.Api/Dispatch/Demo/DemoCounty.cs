using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Relief.Core.Calendar;
using Relief.Core.Identity;
using F = Relief.Api.Dispatch.Demo.DemoFigures;

namespace Relief.Api.Dispatch.Demo;

/// <summary>How far a demo run has come.</summary>
public sealed record DemoProgress(int Done, int Total, DateOnly Day);

/// <summary>
/// Builds the demo county through the HTTP API itself — the same endpoints, rules and handlers a
/// department system goes through, with the development keys of the departments that own each fact —
/// day by day from April to October 2020, with the API's clock set to each day. Its latest weekly
/// dispatch report reproduces every figure of the seed article (<see cref="DemoFigures"/>). The plan
/// is drawn from a fixed seed: every run builds the same county (with new ids).
/// </summary>
public sealed class DemoCounty(HttpClient http, Action<DateTimeOffset> setNow, IProgress<DemoProgress>? progress = null)
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

    /// <summary>The granted public-welfare post cases: each post's job is one placement on a public-welfare post.</summary>
    private readonly List<(Family Family, Case Case, DateOnly GrantedOn)> _posts = [];

    private sealed class Household
    {
        public Guid Id;
        public Guid HeadMemberId;
        public required string Township;
        public DateOnly RegisteredOn;
    }

    private sealed class Family
    {
        public Guid Id;
        public int Version;
        public required string Township;
        public DateOnly RegisteredOn;
        public required List<string> Names;
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
    }

    private void PlanCentres(out List<(Guid[] Id, string Township, string Name)> centres)
    {
        At(F.FirstDay, () => Post("/api/funding-rules", new
        {
            effectiveFrom = "2020-04-01",
            monthlyRates = new Dictionary<string, decimal> { ["Physical"] = 2600m, ["Psychiatric"] = 1600m, ["Intellectual"] = 2300m },
            pooledFunds = new { disabledPersonsFederation = 0m, civilAffairs = 0m },
            countyShare = 2,
            townshipShare = 1,
        }, DisabledPersons));

        // The seed's admission rule, adopted as a dated rule: centralised care for the severely disabled,
        // free trial stays for the partly or fully dependent.
        At(F.FirstDay, () => Post("/api/admission-rules", new
        {
            effectiveFrom = "2020-04-01",
            admission = new { disabilityGrades = new[] { 1, 2 }, dependencyLevels = Array.Empty<string>() },
            trialStay = new { disabilityGrades = new[] { 1, 2 }, dependencyLevels = new[] { "Partial", "Full" } },
        }, DisabledPersons));

        int[] beds = [160, 140, 120, 110, 100, 100, 98, 80];
        centres = [];
        for (var i = 0; i < F.CareCentres; i++)
        {
            var township = Townships[i * 2 % Townships.Length];
            var name = $"{TownshipNames[Array.IndexOf(Townships, township)]}{(i % 2 == 0 ? "敬老院" : "卫生院")}医养中心";
            var holder = new Guid[1];
            var openedOn = F.FirstDay.AddDays(i);
            var bedCount = beds[i];
            var basis = i % 2 == 0 ? "NursingHome" : "TownshipHealthCentre";
            At(openedOn, async () => holder[0] = (await Post("/api/care-centres",
                new { name, township, beds = bedCount, basedOn = basis, openedOn = Day(openedOn) }, CivilAffairs)).GetProperty("id").GetGuid());
            centres.Add((holder, township, name));
        }
    }

    private void PlanHouseholds(List<(Guid[] Id, string Township, string Name)> centres)
    {
        var workingDays = WorkingDays(new DateOnly(2020, 4, 20), new DateOnly(2020, 9, 25));
        var familySizes = Sizes(F.CaregiverFamilies, F.CaregiverFamilyPeople, 2, 6);
        var familyIndex = 0;

        // Which households live in a centre: every 7th or so, 62 in all, the first ten on a trial stay first.
        var centreSlots = Enumerable.Range(0, F.Households).OrderBy(_ => _random.Next()).Take(F.CentreResidents).ToHashSet();
        var centreCount = 0;
        for (var i = 0; i < F.Households; i++)
        {
            var township = Townships[Weighted(i)];
            var day = workingDays[(int)((long)i * workingDays.Count / F.Households)];
            var household = new Household { Township = township, RegisteredOn = day };
            _households.Add(household);
            if (centreSlots.Contains(i))
            {
                var centre = centres.FirstOrDefault(c => c.Township == township);
                if (centre.Id is null) centre = centres[centreCount % centres.Count];
                var trial = centreCount < F.TrialStaysConverted;
                var withFamily = centreCount >= F.TrialStaysConverted && centreCount < F.TrialStaysConverted + F.CentreHouseholdsWithFamilyToo;
                // A trial stay starts on a Monday and becomes an admission on the Wednesday: covered by the week's end.
                if (trial) day = household.RegisteredOn = day.AddDays(-(int)day.DayOfWeek + 1);
                PlanCentreHousehold(household, centre, trial, day);
                if (withFamily) PlanFamilyCare(household, familySizes[familyIndex++], day, "KinshipCare");
                centreCount++;
            }
            else
            {
                PlanHomeHousehold(household, day);
                var mode = _random.Next(10) switch { < 5 => "KinshipCare", < 8 => "NeighbourCare", _ => "AssignedHelperCare" };
                PlanFamilyCare(household, familySizes[familyIndex++], day, mode);
            }
        }
    }

    private void PlanHomeHousehold(Household household, DateOnly day)
    {
        var members = Enumerable.Range(0, _random.Next(1, 4))
            .Select(m => Member(m == 0 ? "Head" : m == 1 ? "Spouse" : "Child", severe: false))
            .ToList();
        At(day, async () =>
            household.Id = (await Post("/api/households", HouseholdBody(household.Township, members), TownshipKey(household.Township)))
                .GetProperty("id").GetGuid());
    }

    private void PlanCentreHousehold(Household household, (Guid[] Id, string Township, string Name) centre, bool trial, DateOnly day)
    {
        var members = new List<object> { Member("Head", severe: true) };
        if (_random.Next(3) == 0) members.Add(Member("Spouse", severe: false));
        var key = TownshipKey(household.Township);
        var stay = new Guid[1];
        At(day, async () =>
        {
            household.Id = (await Post("/api/households", HouseholdBody(household.Township, members), key)).GetProperty("id").GetGuid();
            household.HeadMemberId = (await Get($"/api/households/{household.Id}", key)).GetProperty("members")[0].GetProperty("memberId").GetGuid();
        });
        var admittedOn = trial ? day.AddDays(2) : day;
        if (trial)
        {
            var trialStay = new Guid[1];
            At(day, async () => trialStay[0] = (await Post($"/api/care-centres/{centre.Id[0]}/trial-stays",
                new { householdId = household.Id, memberId = household.HeadMemberId, from = Day(day), until = Day(day.AddDays(13)) },
                CivilAffairs)).GetProperty("stayId").GetGuid());
            At(admittedOn, async () => stay[0] = (await Post($"/api/care-centres/{centre.Id[0]}/trial-stays/{trialStay[0]}/conversion",
                new { admittedOn = Day(admittedOn) }, CivilAffairs)).GetProperty("stayId").GetGuid());
        }
        else
        {
            At(day, async () => stay[0] = (await Post($"/api/care-centres/{centre.Id[0]}/admissions",
                new { householdId = household.Id, memberId = household.HeadMemberId, admittedOn = Day(day) }, CivilAffairs))
                .GetProperty("stayId").GetGuid());
        }

        var agreementDay = admittedOn;
        At(agreementDay, () => Post($"/api/households/{household.Id}/care-agreements", new
        {
            mode = "CentralisedCare",
            caregiver = new { kind = "Organisation", name = centre.Name },
            terms = Terms(agreementDay),
            centreStayId = stay[0],
            signedOn = Day(agreementDay),
        }, CivilAffairs));
    }

    /// <summary>A caregiver family of <paramref name="size"/> people signs an agreement for the household, and later its family-doctor agreements.</summary>
    private void PlanFamilyCare(Household household, int size, DateOnly day, string mode)
    {
        var surname = Pick(Surnames);
        var names = Enumerable.Range(0, size).Select(i => surname + Pick(Given) + (i == 0 ? "" : "")).ToList();
        // Names within a family are told apart for the members' lookup.
        for (var i = 1; i < names.Count; i++) if (names.Take(i).Contains(names[i])) names[i] += i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var family = new Family { Township = household.Township, RegisteredOn = day, Names = names };
        _families.Add(family);
        var key = TownshipKey(household.Township);
        var head = FamilyMember(names[0], "Head");
        var others = names.Skip(1).Select((n, i) => FamilyMember(n, i == 0 ? "Spouse" : "Child")).ToList();
        At(day, async () =>
        {
            family.Id = (await Post("/api/caregiver-families",
                new { township = household.Township, village = Pick(Villages), head, members = others }, key)).GetProperty("id").GetGuid();
            var read = await Get($"/api/caregiver-families/{family.Id}", key);
            family.Version = read.GetProperty("version").GetInt32();
            family.MemberIds = read.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("memberId").GetGuid()).ToList();
        });
        At(day, () => Post($"/api/households/{household.Id}/care-agreements", new
        {
            mode,
            caregiver = new { kind = "CaregiverFamily", caregiverFamilyId = family.Id },
            terms = Terms(day),
            signedOn = Day(day),
        }, key));

        // The township's family-doctor signing ceremony: the second Friday after the family joined.
        var ceremony = day.AddDays(7 + ((int)DayOfWeek.Friday - (int)day.DayOfWeek + 7) % 7);
        var townshipName = TownshipNames[Array.IndexOf(Townships, household.Township)];
        for (var m = 0; m < size; m++)
        {
            var index = m;
            At(ceremony, async () =>
            {
                var saved = await Post($"/api/caregiver-families/{family.Id}/members/{family.MemberIds[index]}/family-doctor", new
                {
                    version = family.Version,
                    signedOn = Day(ceremony > F.LastDay ? F.LastDay : ceremony),
                    doctorOrTeam = $"{townshipName}卫生院家庭医生团队",
                    ceremony = $"{townshipName}家庭医生签约仪式",
                }, Health);
                family.Version = saved.GetProperty("version").GetInt32();
            });
        }
    }

    private void PlanLoans()
    {
        var days = WorkingDays(new DateOnly(2020, 6, 1), new DateOnly(2020, 10, 16));
        var applicants = _families.OrderBy(_ => _random.Next()).Take(F.LoanIntents).ToList();
        for (var i = 0; i < applicants.Count; i++)
        {
            var family = applicants[i];
            var opened = Max(days[i * days.Count / applicants.Count], family.RegisteredOn);
            var loan = new Case();
            At(opened, async () => (loan.Id, loan.Version) = await Opened(new
            {
                policy = "FinancialLoan", stage = "Applied", openedOn = Day(opened), caregiverFamilyId = family.Id,
            }, TownshipKey(family.Township)));

            var decided = opened.AddDays(2 + _random.Next(3));
            if (i % 5 == 4 && i / 5 < F.LoansIneligible)
            {
                At(decided, () => Move(loan, "eligibility", new { version = loan.Version, eligible = false, decidedOn = Day(decided), reason = "征信记录不良" }, Bank));
                continue;
            }

            At(decided, () => Move(loan, "eligibility", new { version = loan.Version, eligible = true, decidedOn = Day(decided) }, Bank));
            var started = decided.AddDays(1 + _random.Next(2));
            At(started, () => Move(loan, "verification", new { version = loan.Version, startedOn = Day(started) }, Bank));
            if (i is 3 or 10)
            {
                var granted = started.AddDays(6);
                At(granted, () => Move(loan, "grant", new
                {
                    version = loan.Version, grantedOn = Day(granted),
                    loan = new { amount = 50000m, bank = "武陟县农村商业银行", termMonths = 36 },
                }, Bank));
            }
        }
    }

    private void PlanOtherPolicies()
    {
        (string Policy, int Count, string Owner)[] policies =
        [
            ("PublicWelfarePost", 12, Hrss), ("Entrepreneurship", 6, Hrss), ("MedicalAssistance", 20, MedicalSecurity),
            ("SocialAssistance", 25, CivilAffairs), ("CharityAssistance", 8, Charity),
        ];
        var days = WorkingDays(new DateOnly(2020, 5, 11), new DateOnly(2020, 10, 9));
        foreach (var (policy, count, owner) in policies)
        {
            // One open case per family and policy: each case of a policy is another family's.
            var families = _families.OrderBy(_ => _random.Next()).Take(count).ToList();
            for (var i = 0; i < count; i++)
            {
                var family = families[i];
                var opened = Max(Pick(days), family.RegisteredOn);
                var started = opened.AddDays(1);
                var granted = started.AddDays(3 + _random.Next(4));
                var c = new Case();
                At(opened, async () => (c.Id, c.Version) = await Opened(new
                {
                    policy, stage = "Applied", openedOn = Day(opened), caregiverFamilyId = family.Id,
                }, TownshipKey(family.Township)));
                At(started, () => Move(c, "verification", new { version = c.Version, startedOn = Day(started) }, owner));
                object grant = policy switch
                {
                    "PublicWelfarePost" => new
                    {
                        version = 0, grantedOn = Day(granted),
                        post = new { post = "保洁员", employer = "村委会", monthlyPay = 500m, startsOn = Day(granted), endsOn = Day(granted.AddYears(1)) },
                    },
                    "Entrepreneurship" => new { version = 0, grantedOn = Day(granted), business = new { project = "家庭养殖", support = "技术指导与场地", amount = 3000m } },
                    "SocialAssistance" => new { version = 0, grantedOn = Day(granted), assistance = new { kind = "MinimumLivingAllowance", amount = 380m, givenOn = Day(granted) } },
                    _ => new { version = 0, grantedOn = Day(granted), assistance = new { kind = policy == "MedicalAssistance" ? "住院救助" : "慈善助困", amount = 1200m, givenOn = Day(granted) } },
                };
                At(granted, () => Move(c, "grant", WithVersion(grant, c.Version), owner));
                if (policy == "PublicWelfarePost") _posts.Add((family, c, granted));
            }
        }
    }

    private void PlanTraining()
    {
        string[] trades = ["Electrician", "Welder", "BeautyAndHairdressing", "Cooking", "Housekeeping", "Farming"];
        var starts = WorkingDays(new DateOnly(2020, 5, 6), new DateOnly(2020, 10, 19));
        var trainees = new List<Family>();
        var placed = new List<(Family Family, int Member, DateOnly From)>();
        for (var i = 0; i < F.TrainingClasses; i++)
        {
            var startsOn = starts[i * starts.Count / F.TrainingClasses];
            var endsOn = startsOn.AddDays(12 + _random.Next(8));
            var trade = trades[i % trades.Length];
            var township = Pick(Townships);
            var classId = new Guid[1];
            var number = i + 1;
            At(startsOn.AddDays(-7), async () => classId[0] = (await Post("/api/training-classes", new
            {
                trade, title = $"2020年第{number}期{TradeName(trade)}培训班", provider = "武陟县职业培训中心", township,
                startsOn = Day(startsOn), endsOn = Day(endsOn), capacity = 30,
            }, Hrss)).GetProperty("id").GetGuid());

            // One trainee in a class: 35 complete (their class over by the end of October); classes still
            // running at the end have a trainee still in class.
            var completes = endsOn <= F.LastDay && trainees.Count < F.PeopleTrained;
            if (!completes && endsOn <= F.LastDay) continue;
            var family = _families.Where(f => f.RegisteredOn < startsOn && !trainees.Contains(f)).OrderBy(_ => _random.Next()).FirstOrDefault();
            if (family is null) continue;
            trainees.Add(family);
            var enrolment = new Guid[1];
            var certificate = $"WZ2020-{number:D3}-{trainees.Count:D3}";
            At(startsOn, async () => enrolment[0] = (await Post($"/api/training-classes/{classId[0]}/enrolments",
                new { caregiverFamilyId = family.Id, memberId = family.MemberIds[0] }, Hrss)).GetProperty("enrolmentId").GetGuid());
            if (!completes) continue;
            At(endsOn, () => Post($"/api/training-classes/{classId[0]}/enrolments/{enrolment[0]}/completion",
                new { completedOn = Day(endsOn), certificateNo = certificate }, Hrss));
            placed.Add((family, 0, endsOn.AddDays(5)));
        }

        // 58 people placed in jobs: each granted public-welfare post is one placement (the post's job, naming
        // its case), the others by enterprise matching or recommendation: most of the trained, and others of
        // the caregiver families.
        foreach (var (family, post, grantedOn) in _posts)
        {
            var placedOn = Clamp(grantedOn.AddDays(3));
            At(placedOn, () => Post("/api/job-placements", new
            {
                caregiverFamilyId = family.Id, memberId = family.MemberIds[0], channel = "PublicWelfarePost", caseId = post.Id,
                placedOn = Day(placedOn),
            }, Hrss));
        }

        var others = _families.Except(trainees).OrderBy(_ => _random.Next()).Select(f => (f, 1, WorkingDays(new DateOnly(2020, 6, 1), F.LastDay)[_random.Next(100)]));
        var placements = placed.Take(30).Concat(others.Select(o => (o.f, o.Item2, o.Item3))).Take(F.JobPlacements - _posts.Count).ToList();
        for (var i = 0; i < placements.Count; i++)
        {
            var (family, member, from) = placements[i];
            var channel = i % 3 == 2 ? "Recommendation" : "EnterpriseMatching";
            var placedOn = Clamp(Max(from, family.RegisteredOn));
            At(placedOn, () => Post("/api/job-placements", new
            {
                caregiverFamilyId = family.Id, memberId = family.MemberIds[Math.Min(member, family.MemberIds.Count - 1)], channel,
                employer = "武陟县宏达电气有限公司", placedOn = Day(placedOn),
            }, Hrss));
        }
    }

    private void PlanRecognition()
    {
        var days = WorkingDays(new DateOnly(2020, 6, 5), new DateOnly(2020, 10, 28));
        for (var i = 0; i < F.ExemplaryDeedMeetings; i++)
        {
            var heldOn = days[i * days.Count / F.ExemplaryDeedMeetings];
            var township = Townships[i % Townships.Length];
            var honoured = _families.Where(f => f.Township == township && f.RegisteredOn < heldOn).Take(F.HonoursPerMeeting).ToList();
            var meeting = new Guid[1];
            var townshipName = TownshipNames[i % Townships.Length];
            At(heldOn, async () => meeting[0] = (await Post("/api/exemplary-deed-meetings", new
            {
                heldOn = Day(heldOn), place = $"{townshipName}政府礼堂", township, attendance = 150 + _random.Next(250),
                familiesHonoured = honoured.Select(f => f.Id).ToList(),
            }, PovertyOffice)).GetProperty("id").GetGuid());
            foreach (var family in honoured)
            {
                At(heldOn, () => Post($"/api/caregiver-families/{family.Id}/honours", new
                {
                    kind = "ExemplaryCaregiver", title = "五养模范家庭", awardedOn = Day(heldOn), meetingId = meeting[0],
                }, PovertyOffice));
            }
        }

        var rewardDays = WorkingDays(new DateOnly(2020, 7, 1), new DateOnly(2020, 10, 28));
        for (var i = 0; i < F.MaterialRewards; i++)
        {
            var family = Pick(_families);
            var awardedOn = Max(Pick(rewardDays), family.RegisteredOn);
            var amount = 500m * (1 + _random.Next(4));
            At(awardedOn, () => Post($"/api/caregiver-families/{family.Id}/material-rewards",
                new { amount, awardedOn = Day(awardedOn), reason = "孝老爱亲，照料周到" }, PovertyOffice));
        }
    }

    private void PlanSupervision()
    {
        string[] inspectors = ["Society", "HelperUnit", "Media"];
        var days = WorkingDays(new DateOnly(2020, 5, 18), new DateOnly(2020, 10, 28));
        for (var i = 0; i < F.Inspections; i++)
        {
            var household = Pick(_households);
            var inspectedOn = Max(days[i * days.Count / F.Inspections], household.RegisteredOn);
            var followUps = i % 3 == 0
                ? new[] { new { action = "改善居住卫生", dueOn = Day(inspectedOn.AddDays(14)), owner = "CivilAffairs" } }
                : [];
            At(inspectedOn, () => Post("/api/inspections", new
            {
                householdId = household.Id, township = household.Township, inspector = inspectors[i % 3], inspectedOn = Day(inspectedOn),
                findings = i % 3 == 0 ? "居室卫生较差，需督促托养人改进。" : "托养落实到位，老人生活状况良好。", followUps,
            }, PovertyOffice));
        }

        // The third quarter's evaluations, in October, of households cared for since June at least.
        var evaluated = _households.Where(h => h.RegisteredOn < new DateOnly(2020, 6, 30)).OrderBy(_ => _random.Next()).Take(F.Evaluations).ToList();
        var evaluationDays = WorkingDays(new DateOnly(2020, 10, 8), new DateOnly(2020, 10, 23));
        foreach (var household in evaluated)
        {
            var each = _random.Next(20) == 0 ? 2 : 3 + _random.Next(3);
            var evaluatedOn = Pick(evaluationDays);
            At(evaluatedOn, () => Post($"/api/households/{household.Id}/evaluations", new
            {
                period = "2020-Q3", evaluator = "乡镇评比小组", evaluatedOn = Day(evaluatedOn),
                qualityOfLife = new { housing = each, food = each, hygiene = each, health = each, companionship = each },
                mentalState = each,
            }, TownshipKey(household.Township)));
        }
    }

    // ---------------------------------------------------------------- the plan's material

    private object HouseholdBody(string township, IReadOnlyList<object> members) => new
    {
        township, village = Pick(Villages), headName = Name(members[0]), address = $"{Pick(Villages)}{_random.Next(1, 9)}组{_random.Next(1, 60)}号",
        povertyCause = Pick(["Illness", "Disability", "LackOfLabour", "LackOfSkills", "Other"]), members,
    };

    private static string Name(object member) => (string)member.GetType().GetProperty("name")!.GetValue(member)!;

    private object Member(string relation, bool severe)
    {
        var birth = relation == "Child"
            ? new DateOnly(1975 + _random.Next(25), 1 + _random.Next(12), 1 + _random.Next(28))
            : new DateOnly(1935 + _random.Next(30), 1 + _random.Next(12), 1 + _random.Next(28));
        string[] types = ["Physical", "Psychiatric", "Intellectual"];
        var mildlyDisabled = !severe && _random.Next(4) == 0;
        return new
        {
            name = Pick(Surnames) + Pick(Given),
            residentId = NewResidentId(birth),
            relation,
            birthDate = Day(birth),
            gender = _random.Next(2) == 0 ? "Male" : "Female",
            disabilityType = severe ? types[_random.Next(3)] : mildlyDisabled ? "Physical" : null,
            disabilityGrade = severe ? 1 + _random.Next(2) : mildlyDisabled ? 3 + _random.Next(2) : (int?)null,
            dependencyLevel = severe ? "Full" : (_random.Next(3) == 0 ? "Partial" : "None"),
        };
    }

    private object FamilyMember(string name, string relation)
    {
        var birth = relation == "Child"
            ? new DateOnly(1985 + _random.Next(20), 1 + _random.Next(12), 1 + _random.Next(28))
            : new DateOnly(1955 + _random.Next(25), 1 + _random.Next(12), 1 + _random.Next(28));
        return new { name, relation, birthDate = Day(birth), gender = _random.Next(2) == 0 ? "Male" : "Female", residentId = NewResidentId(birth) };
    }

    private string NewResidentId(DateOnly birth)
    {
        while (true)
        {
            var id = ResidentId.Create("410823", birth, _random.Next(1, 999));
            if (_residentIds.Add(id)) return id;
        }
    }

    private static object Terms(DateOnly startsOn) => new
    {
        startsOn = Day(startsOn),
        endsOn = Day(startsOn.AddYears(3).AddDays(-1)),
        duties = new[] { "日常照料", "定期探望", "陪同就医" },
        monthlySubsidy = 300m,
        assetClauses = Array.Empty<object>(),
    };

    private static object WithVersion(object body, int version)
    {
        var node = JsonSerializer.SerializeToNode(body, Json)!.AsObject();
        node["version"] = version;
        return node;
    }

    private static string TradeName(string trade) => trade switch
    {
        "Electrician" => "电工", "Welder" => "电焊工", "BeautyAndHairdressing" => "美容美发", "Cooking" => "烹饪",
        "Housekeeping" => "家政服务", _ => "种植养殖",
    };

    /// <summary>Townships weighted so that the bigger ones hold more households.</summary>
    private int Weighted(int i) => (int)((i * 7919L + i / 15) % Townships.Length) switch
    {
        var t when t < 3 && _random.Next(4) == 0 => (t + 3) % Townships.Length,
        var t => t,
    };

    /// <summary><paramref name="count"/> sizes between min and max adding up to <paramref name="total"/>.</summary>
    private List<int> Sizes(int count, int total, int min, int max)
    {
        var sizes = Enumerable.Range(0, count).Select(_ => min + _random.Next(max - min + 1)).ToList();
        while (sizes.Sum() != total)
        {
            var i = _random.Next(count);
            if (sizes.Sum() < total && sizes[i] < max) sizes[i]++;
            else if (sizes.Sum() > total && sizes[i] > min) sizes[i]--;
        }

        return sizes;
    }

    private static List<DateOnly> WorkingDays(DateOnly from, DateOnly to)
    {
        var days = new List<DateOnly>();
        for (var d = from; d <= to; d = d.AddDays(1))
            if (d.DayOfWeek is not DayOfWeek.Saturday and not DayOfWeek.Sunday) days.Add(d);
        return days;
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

    /// <summary>No later than the demo's last day: nothing is recorded as happening after it.</summary>
    private static DateOnly Clamp(DateOnly day) => day > F.LastDay ? F.LastDay : day;

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static string TownshipKey(string township) => $"dev-township-{township}";

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
