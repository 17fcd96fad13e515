using F = Relief.Api.Demo.DemoFigures;

namespace Relief.Api.Demo;

/// <summary>The demo county's plan: recognition (meetings, honours, rewards) and supervision (inspections, evaluations).</summary>
public sealed partial class DemoCounty
{
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
                var (kind, title) = Exemplar(family) ?? ("ExemplaryCaregiver", "五养模范家庭");
                At(heldOn, () => Post($"/api/caregiver-families/{family.Id}/honours", new
                {
                    kind, title, awardedOn = Day(heldOn), meetingId = meeting[0],
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

    /// <summary>
    /// The seed's two exemplars, honoured at the first meetings that honour a family of their mode: 王成林's
    /// family for filial care under a kinship agreement (孝老爱亲), 王秋平's for neighbour care (好邻居). The
    /// family takes the exemplar's name (the head's, and the surname 王 for all); nothing is drawn from the
    /// seed, so the rest of the county comes out as before.
    /// </summary>
    private (string Kind, string Title)? Exemplar(Family family)
    {
        (string Head, string Gender, string Kind, string Title)? exemplar = family.Mode switch
        {
            "KinshipCare" when !_exemplars.ContainsKey("KinshipCare") => ("王成林", "Male", "FilialPiety", "孝老爱亲模范家庭"),
            "NeighbourCare" when !_exemplars.ContainsKey("NeighbourCare") => ("王秋平", "Female", "GoodNeighbour", "邻里托养好邻居"),
            _ => null,
        };
        if (exemplar is not { } e) return null;
        _exemplars[family.Mode] = family;
        family.People = [family.People[0] with { Name = e.Head, Gender = e.Gender },
            .. family.People.Skip(1).Select(p => p with { Name = "王" + p.Name[1..] })];
        return (e.Kind, e.Title);
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
}
