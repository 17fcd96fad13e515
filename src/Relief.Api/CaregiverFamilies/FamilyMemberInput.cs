using Relief.Api.Infrastructure.OpenApi;
using Relief.Api.Households;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Errors;
using Relief.Core.Identity;

namespace Relief.Api.CaregiverFamilies;

/// <summary>
/// A caregiver-family member as a caller sends it. Name, relation, birth date and gender are
/// required (checked by <see cref="Validate"/>); phone and resident ID are optional and are stored
/// encrypted, exactly as for household members.
/// </summary>
public sealed record FamilyMemberInput(
    string? Name,
    Relation? Relation,
    DateOnly? BirthDate,
    Gender? Gender,
    string? ResidentId,
    string? Phone) : IHasExample<FamilyMemberInput>
{
    public static FamilyMemberInput Example { get; } = new("李四", Households.Relation.Head, new DateOnly(1968, 5, 20), Households.Gender.Female, Core.Identity.ResidentId.Create("410823", new DateOnly(1968, 5, 20), 21), "13900139000");

    /// <summary>Adds a field error for every broken rule, under <paramref name="prefix"/>.</summary>
    public void Validate(string prefix, FieldErrors errors, DateOnly today)
    {
        errors.RequireText($"{prefix}name", Name, MemberInput.MaxNameLength);
        if (Relation is null) errors.Add($"{prefix}relation", "is required.");
        if (Gender is null) errors.Add($"{prefix}gender", "is required.");
        if (BirthDate is null) errors.Add($"{prefix}birthDate", "is required.");
        else if (BirthDate > today) errors.Add($"{prefix}birthDate", "must not be in the future.");

        if (ResidentId is not null)
        {
            var check = Core.Identity.ResidentId.Validate(ResidentId, today);
            if (!check.IsValid) errors.Add($"{prefix}residentId", check.Error);
            else if (BirthDate is { } birth && Core.Identity.ResidentId.BirthDate(check.Value) != birth)
                errors.Add($"{prefix}birthDate", "does not match the birth date in the resident ID.");
        }

        if (Phone is not null && PhoneNumber.Validate(Phone) is { IsValid: false } phone)
            errors.Add($"{prefix}phone", phone.Error);
    }

    /// <summary>The resident ID, normalized, or null. Call only after <see cref="Validate"/> passed.</summary>
    public string? NormalizedResidentId(DateOnly today) =>
        ResidentId is null ? null : Core.Identity.ResidentId.Validate(ResidentId, today).Value!;

    /// <summary>The member as stored: everything personal sealed under the person's own key. Call only after <see cref="Validate"/> passed.</summary>
    public FamilyMemberRecord ToRecord(DataProtector person, PersonalDataVault vault, DateOnly today)
    {
        var residentId = NormalizedResidentId(today);
        var phone = Phone is null ? null : PhoneNumber.Validate(Phone).Value!;
        return new FamilyMemberRecord(Relation!.Value, Gender,
            person.Seal(MemberFields.Personal, new FamilyMemberPersonalData(Name!.Trim(), BirthDate, residentId, phone)));
    }
}
