namespace Relief.Api.Infrastructure.OpenApi;

/// <summary>
/// The ids the document's examples use, one per thing an example names, so that the examples of one
/// walk-through refer to each other (the household the registration example answers is the household
/// the member examples name). <c>ExampleTests</c> replaces each by a real id of its kind before it
/// sends an example.
/// </summary>
public static class ExampleIds
{
    public static readonly Guid Household = Guid.Parse("0191d3a2-7c4e-7000-8000-000000000001");
    public static readonly Guid Member = Guid.Parse("0191d3a2-7c4e-7000-8000-000000000002");
    public static readonly Guid Centre = Guid.Parse("0191d3a2-7c4e-7000-8000-000000000003");
    public static readonly Guid Stay = Guid.Parse("0191d3a2-7c4e-7000-8000-000000000004");
    public static readonly Guid Agreement = Guid.Parse("0191d3a2-7c4e-7000-8000-000000000005");
    public static readonly Guid Family = Guid.Parse("0191d3a2-7c4e-7000-8000-000000000006");
    public static readonly Guid FamilyMember = Guid.Parse("0191d3a2-7c4e-7000-8000-000000000007");
    public static readonly Guid Case = Guid.Parse("0191d3a2-7c4e-7000-8000-000000000008");
    public static readonly Guid Plan = Guid.Parse("0191d3a2-7c4e-7000-8000-000000000009");
    public static readonly Guid Visit = Guid.Parse("0191d3a2-7c4e-7000-8000-00000000000a");
    public static readonly Guid Round = Guid.Parse("0191d3a2-7c4e-7000-8000-00000000000b");
    public static readonly Guid Inspection = Guid.Parse("0191d3a2-7c4e-7000-8000-00000000000c");
    public static readonly Guid Class = Guid.Parse("0191d3a2-7c4e-7000-8000-00000000000d");
    public static readonly Guid Enrolment = Guid.Parse("0191d3a2-7c4e-7000-8000-00000000000e");
    public static readonly Guid Rule = Guid.Parse("0191d3a2-7c4e-7000-8000-00000000000f");
    public static readonly Guid Subscription = Guid.Parse("0191d3a2-7c4e-7000-8000-000000000010");
    public static readonly Guid OtherHousehold = Guid.Parse("0191d3a2-7c4e-7000-8000-000000000011");
    public static readonly Guid OtherCentre = Guid.Parse("0191d3a2-7c4e-7000-8000-000000000012");
    public static readonly Guid OtherStay = Guid.Parse("0191d3a2-7c4e-7000-8000-000000000013");
    public static readonly Guid Cadre = Guid.Parse("0191d3a2-7c4e-7000-8000-000000000014");
    public static readonly Guid FamilyDoctorAgreement = Guid.Parse("0191d3a2-7c4e-7000-8000-000000000015");
}
