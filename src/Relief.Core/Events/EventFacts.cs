namespace Relief.Core.Events;

// The facts many events carry, each declared once, on the events themselves. The weekly dispatch
// report reads them in C#; the audit trail and the ledgers generate their SQL from them (the JSON
// member behind each fact, event type by event type), so a renamed member cannot leave a query
// reading a name no event carries any more.

/// <summary>An event of one household's record: the household it belongs to.</summary>
public interface IHouseholdEvent
{
    Guid HouseholdId { get; }
}

/// <summary>
/// An event about a household or a caregiver family, naming either or both (a policy case, an
/// inspection): the streams it begins belong to the household's history when it names one.
/// </summary>
public interface IHouseholdOrFamilyEvent
{
    Guid? HouseholdId { get; }
    Guid? CaregiverFamilyId { get; }
}

/// <summary>An event that says which township it happened in (its code; none for a county-wide one).</summary>
public interface ITownshipEvent
{
    string? Township { get; }
}

/// <summary>
/// An event that says on which day what it records happened (signed on, ended on, admitted on; the
/// China date of an instant such as a registration), when that differs from the day it was recorded.
/// Events without one happened the day they were recorded.
/// </summary>
public interface IHasBusinessDate
{
    DateOnly BusinessDate { get; }
}
