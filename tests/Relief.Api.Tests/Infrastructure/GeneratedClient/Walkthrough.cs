// Compiled at test time (GeneratedClientTests) together with the client NSwag generates from the
// OpenAPI document: it uses that client alone, as a department system would, and nothing of Relief.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;

namespace Relief.Generated;

public static class Walkthrough
{
    /// <summary>Registers a household with its head, signs it a neighbour-care agreement, reads both back.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> RunAsync(HttpClient http, string residentId)
    {
        var client = new ReliefClient(http);

        var registered = await client.RegisterHouseholdAsync(body: new RegisterHousehold
        {
            Township = "mucheng",
            Village = "东关村",
            HeadName = "张三",
            Address = "东关村一组 8 号",
            PovertyCause = PovertyCause.Illness,
            Members =
            [
                new MemberInput
                {
                    Name = "张三",
                    Relation = Relation.Head,
                    BirthDate = new DateOnly(1950, 3, 15),
                    Gender = Gender.Male,
                    ResidentId = residentId,
                    Phone = "13800138000",
                    DisabilityType = DisabilityType.Physical,
                    DisabilityGrade = 1,
                    DependencyLevel = DependencyLevel.Full,
                },
            ],
        });

        var household = await client.GetHouseholdAsync(householdId: registered.Id);

        var signed = await client.SignCareAgreementAsync(householdId: registered.Id, body: new SignCareAgreement
        {
            Mode = CareMode.NeighbourCare,
            Caregiver = new CaregiverInput { Kind = CaregiverKind.Person, Name = "李大娘" },
            Terms = new CareTermsInput
            {
                StartsOn = new DateOnly(2020, 4, 1),
                EndsOn = new DateOnly(2021, 3, 31),
                Duties = ["daily visit", "meals"],
                MonthlySubsidy = 300,
            },
            SignedOn = new DateOnly(2020, 4, 1),
        });

        var agreement = await client.GetCareAgreementAsync(agreementId: signed.Id);
        var agreements = await client.GetHouseholdCareAgreementsAsync(householdId: registered.Id);

        return new Dictionary<string, string>
        {
            ["householdId"] = registered.Id.ToString(),
            ["householdVersion"] = registered.Version.ToString(),
            ["householdTownship"] = household.Township,
            ["agreementId"] = signed.Id.ToString(),
            ["agreementHousehold"] = agreement.HouseholdId.ToString(),
            ["agreementMode"] = agreement.Mode.ToString(),
            ["householdAgreements"] = string.Join(",", agreements.Select(a => a.Id)),
        };
    }
}
