namespace Relief.Api.Tests.Support;

/// <summary>
/// One stream of every kind a route can name, built through the API, and the route values that name
/// them: what the route-wide tests (the bad-input sweep, county isolation) aim their requests at.
/// <see cref="Events"/> is for the test to fill: the events in the store once it is built.
/// </summary>
public sealed record World(Guid Household, Guid Member, Guid Centre, Guid Stay, Guid Agreement, Guid Family,
    Guid FamilyMember, Guid Case, Guid Class, Guid Enrolment, Guid Inspection, Guid Evaluation, Guid Subscription, Guid Plan = default, Guid Cadre = default, long Events = 0)
{
    public static async Task<World> BuildAsync(Api api)
    {
        var centre = await api.CentreWithBeds(5);
        var person = await api.EligiblePerson();
        var stay = await api.Admitted(centre, person);
        var agreement = await api.SignedAgreement(person.HouseholdId);
        var trainee = await api.FamilyHead();
        var policyCase = await api.OpenedCase(Requests.PolicyCase("FinancialLoan", familyId: trainee.FamilyId));
        var trainingClass = await api.ScheduledClass();
        var enrolment = await api.Enrolled(trainingClass, trainee);
        var inspection = await api.RecordedInspection();
        var evaluation = await api.Evaluated(person.HouseholdId);
        var plan = await api.DraftedPlan(person.HouseholdId);
        var cadre = (await api.OnPlan(plan, "cadre", Requests.Cadre(1))).GetProperty("cadreId").GetGuid();
        // Last: the world's events are recorded before anyone subscribes to them.
        var subscription = await api.WebhookSubscription(api.SinkWebhookUrl);
        return new World(person.HouseholdId, person.MemberId, centre, stay, agreement, trainee.FamilyId, trainee.MemberId,
            policyCase, trainingClass, enrolment, inspection, evaluation, subscription, plan, cadre);
    }

    public IEnumerable<Guid> Ids =>
        [Household, Member, Centre, Stay, Agreement, Family, FamilyMember, Case, Class, Enrolment, Inspection, Evaluation, Subscription, Plan];

    /// <summary>The value of each route parameter for <paramref name="template"/> (a member is a caregiver family's under its routes).</summary>
    public IReadOnlyDictionary<string, string> RouteValues(string template) => new Dictionary<string, string>
    {
        ["householdId"] = Household.ToString(),
        ["memberId"] = (template.StartsWith("/api/caregiver-families", StringComparison.Ordinal) ? FamilyMember : Member).ToString(),
        ["centreId"] = Centre.ToString(),
        ["stayId"] = Stay.ToString(),
        ["agreementId"] = Agreement.ToString(),
        ["familyId"] = Family.ToString(),
        ["caseId"] = Case.ToString(),
        ["classId"] = Class.ToString(),
        ["enrolmentId"] = Enrolment.ToString(),
        ["inspectionId"] = Inspection.ToString(),
        ["evaluationId"] = Evaluation.ToString(),
        ["subscriptionId"] = Subscription.ToString(),
        ["planId"] = Plan.ToString(),
        ["cadreId"] = Cadre.ToString(),
        ["number"] = "1",
        ["week"] = "2020-W40",
        ["deliveryId"] = Guid.NewGuid().ToString(),
        // A county of the registry: in the one-county test host its routes answer that counties are configuration here.
        ["code"] = "410823",
    };
}
