using System.ComponentModel.DataAnnotations;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.OpenApi;
using Relief.Core.Identity;

namespace Relief.Api.Households;

/// <summary>A household member as a department sends it (its rules: <c>Validate</c>).</summary>
public sealed record MemberInput(
    [property: Required, MaxLength(MemberInput.MaxNameLength)] string? Name,
    [property: RegularExpression(Core.Identity.ResidentId.Pattern)] string? ResidentId,
    [property: MaxLength(MemberInput.MaxCertificateLength)] string? DisabilityCertificateNo,
    [property: Required] Relation? Relation,
    [property: Required] DateOnly? BirthDate,
    [property: Required] Gender? Gender,
    [property: RegularExpression(PhoneNumber.Pattern)] string? Phone,
    DisabilityType? DisabilityType,
    [property: Range(MemberInput.MostSevereGrade, MemberInput.LeastSevereGrade)] int? DisabilityGrade,
    DependencyLevel? DependencyLevel) : IHasExample<MemberInput>
{
    public static MemberInput Example { get; } = new("张三", Core.Identity.ResidentId.Create("410823", new DateOnly(1950, 3, 15), 101), null, Households.Relation.Head,
        new DateOnly(1950, 3, 15), Households.Gender.Male, "13800138000", Households.DisabilityType.Physical, 1,
        Households.DependencyLevel.Full);

    public const int MaxNameLength = 50;
    public const int MaxCertificateLength = 30;
    public const int MostSevereGrade = 1;
    public const int LeastSevereGrade = 4;

    /// <summary>Adds a field error for every broken rule, under <paramref name="prefix"/>.</summary>
    public void Validate(string prefix, FieldErrors errors, DateOnly today)
    {
        errors.RequireText($"{prefix}name", Name, MaxNameLength);
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

        errors.OptionalText($"{prefix}disabilityCertificateNo", DisabilityCertificateNo, MaxCertificateLength);
        if (DisabilityGrade is not null && DisabilityGrade is < MostSevereGrade or > LeastSevereGrade)
            errors.Add($"{prefix}disabilityGrade", "is 1 (most severe) to 4.");
        if (DisabilityGrade is not null && DisabilityType is null)
            errors.Add($"{prefix}disabilityType", "is required when a disability grade is given.");
        if (DisabilityType is not null && DisabilityGrade is null)
            errors.Add($"{prefix}disabilityGrade", "is required when a disability type is given.");
    }

    /// <summary>
    /// The member as stored: everything personal sealed under the person's own key. Call only after
    /// <see cref="Validate"/> passed.
    /// </summary>
    public MemberRecord ToRecord(DataProtector person, PersonalDataVault vault, DateOnly today)
    {
        var residentId = ResidentId is null ? null : Core.Identity.ResidentId.Validate(ResidentId, today).Value!;
        var phone = Phone is null ? null : PhoneNumber.Validate(Phone).Value!;
        var personal = new MemberPersonalData(Name!.Trim(), BirthDate!.Value, residentId,
            string.IsNullOrWhiteSpace(DisabilityCertificateNo) ? null : DisabilityCertificateNo.Trim(), phone,
            DisabilityType, DisabilityGrade, DependencyLevel);
        return new MemberRecord(Relation!.Value, Gender!.Value, person.Seal(MemberFields.Personal, personal));
    }

    /// <summary>The blind index of the member's resident ID, or null without one. Call only after <see cref="Validate"/> passed.</summary>
    public string? ResidentIndex(PersonalDataVault vault, DateOnly today) =>
        ResidentId is null
            ? null
            : vault.BlindIndex(BlindIndexKinds.ResidentId, Core.Identity.ResidentId.Validate(ResidentId, today).Value!);
}

/// <summary>The name a sealed record is bound to (part of its associated data).</summary>
public static class MemberFields
{
    /// <summary>A member's <see cref="MemberPersonalData"/> (or a family member's), sealed as one.</summary>
    public const string Personal = "personal";

    /// <summary>A person's name, sealed on its own where another stream names them (a trainee, a placement).</summary>
    public const string Name = "name";
}
