using F = Relief.Api.Demo.DemoFigures;

namespace Relief.Api.Demo;

/// <summary>The demo county's plan: needs surveys (需求排查), happiness surveys (幸福指数) and verification rounds (逐户核实).</summary>
public sealed partial class DemoCounty
{
    /// <summary>
    /// Each family's needs are surveyed the day it joins: the family doctor, whatever the plan delivers to it or opens a
    /// case for, and, for every <see cref="F.FamiliesNeedingMedicalAidInVain"/>-th family, medical assistance that no case
    /// follows (an unmet need the report shows).
    /// </summary>
    private void PlanNeeds()
    {
        for (var i = 0; i < _families.Count; i++)
        {
            var family = _families[i];
            var needs = new SortedSet<string>(_planned.GetValueOrDefault(family) ?? [], StringComparer.Ordinal) { "FamilyDoctor" };
            if (i % F.FamiliesNeedingMedicalAidInVain == 0 && !needs.Contains("MedicalAssistance")) needs.Add("MedicalAssistance");
            At(family.RegisteredOn, async () =>
            {
                var saved = await Put($"/api/caregiver-families/{family.Id}/needs", new
                {
                    version = family.Version, surveyedOn = Day(family.RegisteredOn), needs, note = "入户需求排查",
                }, TownshipKey(family.Township));
                family.Version = saved.GetProperty("version").GetInt32();
            });
        }
    }

    /// <summary>
    /// Happiness surveys (幸福指数): <see cref="F.HappinessSurveyedHouseholds"/> households on the register since June, surveyed
    /// in July and again in October, most answering a little higher the second time.
    /// </summary>
    private void PlanHappiness()
    {
        var surveyed = _households.Where(h => h.RegisteredOn < new DateOnly(2020, 7, 1)).OrderBy(_ => _random.Next()).Take(F.HappinessSurveyedHouseholds).ToList();
        var july = WorkingDays(new DateOnly(2020, 7, 6), new DateOnly(2020, 7, 24));
        var october = WorkingDays(new DateOnly(2020, 10, 12), new DateOnly(2020, 10, 23));
        foreach (var household in surveyed)
        {
            var first = 2 + _random.Next(3);
            var second = Math.Min(5, first + _random.Next(3) - (_random.Next(10) == 0 ? 1 : 0));
            foreach (var (day, answer) in new[] { (Pick(july), first), (Pick(october), second) })
            {
                var spirit = Math.Clamp(answer + _random.Next(3) - 1, 1, 5);
                At(day, () => Post($"/api/households/{household.Id}/happiness-surveys", new
                {
                    surveyedOn = Day(day), surveyor = "乡镇幸福指数调查组", qualityOfLife = answer, spirit, satisfaction = answer,
                }, TownshipKey(household.Township)));
            }
        }
    }

    /// <summary>
    /// Two verification rounds (逐户核实): the bank checks the loans of the township with most loan families and closes the
    /// round, every family confirmed but one found changed; civil affairs opens a round of social assistance in
    /// another township at the end of October, still open.
    /// </summary>
    private void PlanVerificationRounds()
    {
        var loans = _planned.Where(p => p.Value.Contains("FinancialLoan")).GroupBy(p => p.Key.Township)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        var round = new Case();
        var opened = new DateOnly(2020, 10, 19);
        At(opened, async () => (round.Id, round.Version) = ((await Post("/api/verification-rounds",
            new { township = loans, policy = "FinancialLoan", openedOn = Day(opened) }, Bank)).GetProperty("id").GetGuid(), 1));
        var checkedOn = new DateOnly(2020, 10, 21);
        At(checkedOn, async () =>
        {
            var due = (await Get($"/api/verification-rounds/{round.Id}", Bank)).GetProperty("entries").EnumerateArray()
                .Select(e => e.GetProperty("subjectId").GetGuid()).ToList();
            for (var i = 0; i < due.Count; i++)
            {
                var saved = await Post($"/api/verification-rounds/{round.Id}/checks", i == 0
                    ? new { version = round.Version, subjectId = due[i], outcome = "Changed", checkedOn = Day(checkedOn), note = (string?)"家庭已外出务工，贷款需求待重新确认" }
                    : new { version = round.Version, subjectId = due[i], outcome = "Confirmed", checkedOn = Day(checkedOn), note = (string?)null }, Bank);
                round.Version = saved.GetProperty("version").GetInt32();
            }
        });
        var closedOn = new DateOnly(2020, 10, 23);
        At(closedOn, () => Post($"/api/verification-rounds/{round.Id}/close", new { version = round.Version, closedOn = Day(closedOn) }, Bank));

        var assistance = Townships.First(t => t != loans);
        var openedLate = new DateOnly(2020, 10, 26);
        At(openedLate, () => Post("/api/verification-rounds",
            new { township = assistance, policy = "SocialAssistance", openedOn = Day(openedLate) }, CivilAffairs));
    }
}
