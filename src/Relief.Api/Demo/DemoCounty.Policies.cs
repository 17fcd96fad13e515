using F = Relief.Api.Demo.DemoFigures;

namespace Relief.Api.Demo;

/// <summary>The demo county's plan: loans, the other extended policies, training and job placements.</summary>
public sealed partial class DemoCounty
{
    private void PlanLoans()
    {
        var days = WorkingDays(new DateOnly(2020, 6, 1), new DateOnly(2020, 10, 16));
        var applicants = _families.OrderBy(_ => _random.Next()).Take(F.LoanIntents).ToList();
        for (var i = 0; i < applicants.Count; i++)
        {
            var family = applicants[i];
            Plans(family, "FinancialLoan");
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
                Plans(family, policy);
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
            Plans(family, "TrainingAndEmployment");
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
            Plans(family, "TrainingAndEmployment");
            var channel = i % 3 == 2 ? "Recommendation" : "EnterpriseMatching";
            var placedOn = Clamp(Max(from, family.RegisteredOn));
            At(placedOn, () => Post("/api/job-placements", new
            {
                caregiverFamilyId = family.Id, memberId = family.MemberIds[Math.Min(member, family.MemberIds.Count - 1)], channel,
                employer = "武陟县宏达电气有限公司", placedOn = Day(placedOn),
            }, Hrss));
        }
    }
}
