namespace Relief.Api.Households;

/// <summary>The 12 national categories of poverty cause (致贫原因).</summary>
public enum PovertyCause
{
    Illness, Disability, Schooling, Disaster, LackOfLand, LackOfWater, LackOfSkills, LackOfLabour,
    LackOfCapital, PoorTransport, LackOfMotivation, Other,
}

/// <summary>A member's relation to the head of the household.</summary>
public enum Relation { Head, Spouse, Child, ChildInLaw, Grandchild, Parent, Sibling, Other }

public enum Gender { Male, Female }

/// <summary>残疾类别: physical 肢残, psychiatric 精神, intellectual 智力, visual, hearing, speech, multiple.</summary>
public enum DisabilityType { Physical, Psychiatric, Intellectual, Visual, Hearing, Speech, Multiple }

/// <summary>Loss of self-care ability: none, partial 半失能, full 全失能.</summary>
public enum DependencyLevel { None, Partial, Full }
