using F = Relief.Api.Demo.DemoFigures;

namespace Relief.Api.Demo;

/// <summary>
/// The demo county's care plans (一户一策): every household is visited (逐户走访) the day after its care
/// began, assessed, given its plan with a responsible cadre and a review in half a year; plans are
/// reviewed three days before their review date when that falls within the demo; every household is followed
/// up (随访) once in October. Planned after everything else, so that the seed's figures are untouched.
/// </summary>
public sealed partial class DemoCounty
{
    private sealed class CarePlanRun
    {
        public Guid Id;
        public int Version;
        public Guid Visit;
    }

    private void PlanCarePlans()
    {
        for (var i = 0; i < _households.Count; i++)
        {
            var household = _households[i];
            var plan = new CarePlanRun();
            var key = TownshipKey(household.Township);
            var visitedOn = household.CaredFrom.AddDays(1);
            var activatedOn = household.CaredFrom.AddDays(2);
            var reviewOn = activatedOn.AddDays(F.CarePlanReviewDays);
            var centre = household.Stay is not null;
            var willingness = centre ? "Willing" : _random.Next(4) switch { 0 => "Undecided", _ => "Unwilling" };
            var cadre = new { name = Pick(Surnames) + Pick(Given), phone = $"139{_random.Next(10_000_000, 100_000_000)}" };
            var followUpOn = new DateOnly(2020, 10, 5).AddDays(i % 20);

            At(visitedOn, async () =>
            {
                var head = (await Get($"/api/households/{household.Id}", key)).GetProperty("members")[0].GetProperty("memberId").GetGuid();
                household.HeadMemberId = head;
                plan.Id = (await Post($"/api/households/{household.Id}/care-plan", new { draftedOn = Day(visitedOn) }, key))
                    .GetProperty("id").GetGuid();
                var visit = await Post($"/api/care-plans/{plan.Id}/outreach-visits", new
                {
                    version = 1, visitedOn = Day(visitedOn), members = new[] { new { memberId = head, willingness } },
                }, key);
                (plan.Visit, plan.Version) = (visit.GetProperty("visitId").GetGuid(), visit.GetProperty("version").GetInt32());
            });
            At(activatedOn, async () =>
            {
                await Step(plan, "assessment", new
                {
                    visitId = plan.Visit, assessedOn = Day(activatedOn),
                    members = new[] { new { memberId = household.HeadMemberId, dependency = centre ? "Full" : "Partial" } },
                    needs = centre ? new[] { "Nursing", "MedicalCare" } : new[] { "DailyCare", "Meals", "Companionship" },
                }, key);
                var care = household.Agreements.Select(a => (object)new { mode = a.Mode, agreementId = a.Id[0] }).ToList();
                if (household.Stay is { } stay) care.Insert(0, new { mode = "CentralisedCare", centreStayId = stay[0] });
                await Step(plan, "care", new { chosenOn = Day(activatedOn), care }, key);
                await Step(plan, "cadre", new { cadre.name, cadre.phone, assignedOn = Day(activatedOn) }, key);
                await Step(plan, "activation", new { activatedOn = Day(activatedOn), nextReviewOn = Day(reviewOn) }, key);
            });
            var reviewedOn = reviewOn.AddDays(-3);
            if (reviewedOn <= F.LastDay)
            {
                At(reviewedOn, () => Step(plan, "review",
                    new { reviewedOn = Day(reviewedOn), nextReviewOn = Day(reviewedOn.AddDays(F.CarePlanReviewDays)) }, key));
            }

            At(followUpOn, () => Step(plan, "follow-up-visits", new { visitedOn = Day(followUpOn) }, key));
        }
    }

    /// <summary>A change to a plan at its current version; the plan keeps the version answered.</summary>
    private async Task Step(CarePlanRun plan, string route, object body, string key)
    {
        var node = System.Text.Json.JsonSerializer.SerializeToNode(body, Json)!.AsObject();
        node["version"] = plan.Version;
        plan.Version = (await Post($"/api/care-plans/{plan.Id}/{route}", node, key)).GetProperty("version").GetInt32();
    }
}
