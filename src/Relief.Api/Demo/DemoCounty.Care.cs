using F = Relief.Api.Demo.DemoFigures;

namespace Relief.Api.Demo;

/// <summary>The demo county's plan: care centres, households and the care each household gets.</summary>
public sealed partial class DemoCounty
{
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
        household.CaredFrom = day;
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
        household.Stay = stay;
        household.CaredFrom = admittedOn;
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
        var family = new Family { Township = household.Township, RegisteredOn = day, Mode = mode };
        _families.Add(family);
        var key = TownshipKey(household.Township);
        family.People = [FamilyMember(names[0], "Head"), .. names.Skip(1).Select((n, i) => FamilyMember(n, i == 0 ? "Spouse" : "Child"))];
        // The people are read when the step runs: the recognition may have renamed an exemplary family by then.
        At(day, async () =>
        {
            family.Id = (await Post("/api/caregiver-families",
                new { township = household.Township, village = Pick(Villages), head = family.People[0], members = family.People.Skip(1).ToList() }, key))
                .GetProperty("id").GetGuid();
            var read = await Get($"/api/caregiver-families/{family.Id}", key);
            family.Version = read.GetProperty("version").GetInt32();
            family.MemberIds = read.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("memberId").GetGuid()).ToList();
        });
        var agreement = new Guid[1];
        household.Agreements.Add((mode, agreement));
        At(day, async () => agreement[0] = (await Post($"/api/households/{household.Id}/care-agreements", new
        {
            mode,
            caregiver = new { kind = "CaregiverFamily", caregiverFamilyId = family.Id },
            terms = Terms(day),
            signedOn = Day(day),
        }, key)).GetProperty("id").GetGuid());

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
}
