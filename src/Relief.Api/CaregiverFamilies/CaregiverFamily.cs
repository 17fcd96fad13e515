namespace Relief.Api.CaregiverFamilies;

// The caregiver family stream (托养人家庭): its events and its write model.
// The first event is fixed here because care agreements start family streams with it
// (a kinship, neighbour or assigned-helper agreement "makes" a family when it names none).

/// <summary>
/// A family that signed (or will sign) a kinship, neighbour or assigned-helper agreement was
/// registered, with the person who signs as its first member (<c>Head</c>).
/// </summary>
public sealed record CaregiverFamilyRegistered(
    Guid FamilyId,
    string Township,
    string Village,
    string HeadName,
    DateTimeOffset RegisteredAt);
