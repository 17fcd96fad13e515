using System.Security.Cryptography;
using System.Text.Json;
using Relief.Api.Infrastructure.PersonalData;
using Relief.Core.Protection;

namespace Relief.Api.Ledger;

/// <summary>
/// The one-line summary of an event in the ledger (台账), in Chinese and in English: what happened,
/// with the few facts that identify it (a name, a care mode, a policy, a reason).
/// </summary>
public static class LedgerSummaries
{
    /// <summary>
    /// A line's facts are JSON paths into the event's data (<c>caregiver.name</c>); a path to a record
    /// sealed as one names the member it shows after a colon (<c>member.personal:name</c>).
    /// <c>LedgerSummaryTests</c> holds every path to the event's stored members.
    /// </summary>
    private sealed record Line(string Zh, string En, params string[] Facts);

    /// <summary>Every event kind the ledger summarises, with the fact paths of its line (for the convention test).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> FactPaths =>
        Lines.ToDictionary(l => l.Key, l => (IReadOnlyList<string>)l.Value.Facts, StringComparer.Ordinal);

    private static readonly Dictionary<string, Line> Lines = new(StringComparer.Ordinal)
    {
        ["HouseholdRegistered"] = new("登记兜底户", "Household registered", "headName", "village"),
        ["HouseholdDetailsChanged"] = new("更正户信息", "Household details changed", "headName", "village"),
        ["HouseholdMemberAdded"] = new("增加家庭成员", "Member added", "member.personal:name", "member.relation"),
        ["HouseholdMemberChanged"] = new("更正家庭成员信息", "Member details changed", "member.personal:name"),
        ["HouseholdMemberRemoved"] = new("减少家庭成员", "Member removed", "reason"),
        ["HouseholdMemberMovedOut"] = new("成员迁出", "Member moved out", "movedOn"),
        ["HouseholdMemberMovedIn"] = new("成员迁入", "Member moved in", "member.personal:name"),
        ["HouseholdClosed"] = new("销户", "Household closed", "reason", "note"),
        ["HouseholdMonitoringChanged"] = new("监测状态变更", "Monitoring status changed", "status"),
        ["HouseholdPersonalDataErased"] = new("个人信息删除（加密销毁）", "Personal data erased", "reason"),
        ["CareAgreementSigned"] = new("签订五养协议", "Care agreement signed", "mode", "caregiver.name"),
        ["CareAgreementRenewed"] = new("续签五养协议", "Care agreement renewed", "endsOn"),
        ["CareAgreementAmended"] = new("变更五养协议条款", "Care agreement amended", "effectiveFrom"),
        ["CareAgreementEnded"] = new("终止五养协议", "Care agreement ended", "reason"),
        ["CareCentreRegistered"] = new("登记医养中心", "Care centre registered", "name", "beds"),
        ["CentreBedsChanged"] = new("医养中心床位变更", "Centre beds changed", "beds", "reason"),
        ["ResidentAdmitted"] = new("入住医养中心", "Resident admitted", "admittedOn"),
        ["TrialStayStarted"] = new("试住", "Trial stay started", "from", "until"),
        ["TrialStayConverted"] = new("试住转入住", "Trial stay converted to admission", "admittedOn"),
        ["TrialStayEnded"] = new("结束试住", "Trial stay ended", "reason"),
        ["ResidentDischarged"] = new("离开医养中心", "Resident discharged", "reason"),
        ["ResidentTransferredOut"] = new("转出医养中心", "Resident transferred out", "on"),
        ["ResidentTransferredIn"] = new("转入医养中心", "Resident transferred in", "on"),
        ["CentreServiceDelivered"] = new("五位一体服务", "Centre service delivered", "service"),
        ["FundingRuleAdopted"] = new("采用经费标准", "Funding rule adopted", "effectiveFrom"),
        ["AdmissionRuleAdopted"] = new("采用入住条件", "Admission rule adopted", "effectiveFrom"),
        ["AdmissionExceptionGranted"] = new("破例入住", "Admitted by exception to the admission rule", "kind", "reason"),
        ["CaregiverFamilyRegistered"] = new("登记托养人家庭", "Caregiver family registered", "headName", "village"),
        ["CaregiverFamilyMemberAdded"] = new("托养人家庭增加成员", "Caregiver family member added", "member.personal:name"),
        ["CaregiverFamilyMemberChanged"] = new("更正托养人家庭成员信息", "Caregiver family member changed", "member.personal:name"),
        ["CaregiverFamilyMemberRemoved"] = new("托养人家庭减少成员", "Caregiver family member removed", "reason"),
        ["FamilyDoctorAgreementSigned"] = new("家庭医生签约", "Family-doctor agreement signed", "doctorOrTeam"),
        ["FamilyDoctorAgreementEnded"] = new("家庭医生解约", "Family-doctor agreement ended", "reason"),
        ["NeedsSurveyed"] = new("需求排查", "Needs surveyed", "needs"),
        ["CaregiverFamilyPersonalDataErased"] = new("托养人家庭个人信息删除（加密销毁）", "Caregiver family's personal data erased", "reason"),
        ["PolicyCaseOpened"] = new("八延伸政策立案", "Policy case opened", "policy", "stage"),
        ["PolicyApplied"] = new("申请", "Applied", "appliedOn"),
        ["LoanFoundEligible"] = new("贷款资格审核通过", "Loan found eligible", "decidedBy"),
        ["LoanFoundIneligible"] = new("贷款资格审核未通过", "Loan found ineligible", "reason"),
        ["VerificationStarted"] = new("逐户核实", "Verification started", "startedBy"),
        ["PolicyGranted"] = new("政策落实", "Policy granted", "grantedBy"),
        ["PolicyCaseRejected"] = new("不予落实", "Policy case rejected", "reason"),
        ["PolicyCaseClosed"] = new("结案", "Policy case closed", "note"),
        ["EligibilityExceptionGranted"] = new("破例办理（不在亲情、邻里、包帮托养范围）", "Granted by exception to the eligibility chain", "subject", "reason"),
        ["CaseBecameOverdue"] = new("办理超时", "Case became overdue", "stage", "dueOn"),
        ["TrainingClassScheduled"] = new("开设培训班", "Training class scheduled", "title"),
        ["TraineeEnrolled"] = new("参加培训", "Trainee enrolled", "enrolledOn"),
        ["TrainingCompleted"] = new("培训结业", "Training completed", "completedOn"),
        ["TraineeWithdrew"] = new("退出培训", "Trainee withdrew", "reason"),
        ["JobPlaced"] = new("就业安置", "Placed in a job", "channel", "employer"),
        ["ExemplaryDeedMeetingHeld"] = new("召开先进事迹报告会", "Exemplary-deed meeting held", "place"),
        ["HonourAwarded"] = new("精神奖励", "Honour awarded", "kind", "title"),
        ["MaterialRewardGranted"] = new("物质奖励", "Material reward granted", "amount", "reason"),
        ["InspectionRecorded"] = new("监督检查", "Inspection recorded", "inspector", "findings"),
        ["FollowUpCompleted"] = new("整改完成", "Follow-up completed", "number", "note"),
        ["HouseholdEvaluated"] = new("评比", "Household evaluated", "score"),
        ["CaregiverWarned"] = new("托养人警示", "Caregiver warned", "caregiverName", "score"),
        ["HappinessSurveyed"] = new("幸福指数调查", "Happiness surveyed", "index", "note"),
        ["VerificationRoundOpened"] = new("开展逐户核实", "Verification round opened", "policy", "township"),
        ["VerificationChecked"] = new("逐户核实结果", "Checked in a verification round", "outcome", "note"),
        ["VerificationRoundClosed"] = new("逐户核实结束", "Verification round closed", "confirmed", "changed"),
        ["EntryVoided"] = new("作废更正", "Entry voided", "voidedEventType", "reason"),
        ["Archived"] = new("归档（不再变更）", "Stream archived", "reason"),
    };

    /// <summary>
    /// The Chinese and English summary of an event of kind <paramref name="kind"/> with this data. A
    /// sealed fact (a head's or caregiver's name) is opened with <paramref name="keys"/>, which must
    /// hold the keys <see cref="SealedFacts"/> named: <c>[erased]</c> once its key was forgotten.
    /// </summary>
    public static (string Zh, string En) Of(string kind, string data, KeyChain? keys = null)
    {
        var line = Lines.GetValueOrDefault(kind) ?? new Line(kind, kind);
        using var document = JsonDocument.Parse(data);
        var facts = line.Facts.Select(path => Fact(document.RootElement, path, keys ?? KeyChain.Empty)).OfType<string>().ToList();
        if (facts.Count == 0) return (line.Zh, line.En);
        var joined = string.Join(", ", facts);
        return ($"{line.Zh}（{joined}）", $"{line.En} ({joined})");
    }

    /// <summary>The sealed values among the facts a summary of this event shows, whose keys must be loaded.</summary>
    public static IEnumerable<ProtectedValue> SealedFacts(string kind, string data)
    {
        if (Lines.GetValueOrDefault(kind) is not { } line) return [];
        using var document = JsonDocument.Parse(data);
        return line.Facts.Select(path => Find(document.RootElement, JsonPathOf(path))).OfType<JsonElement>()
            .Where(IsSealed).Select(e => e.Deserialize<ProtectedValue>()!).ToList();
    }

    private static bool IsSealed(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty("keyId", out _) && e.TryGetProperty("ciphertext", out _);

    private static JsonElement? Find(JsonElement root, string path)
    {
        var current = root;
        foreach (var part in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current)) return null;
        }

        return current;
    }

    private static string JsonPathOf(string path) => path.Split(':')[0];

    private static string? Fact(JsonElement root, string path, KeyChain keys)
    {
        var jsonPath = JsonPathOf(path);
        if (Find(root, jsonPath) is not { } current) return null;
        if (IsSealed(current))
        {
            string shown;
            try
            {
                shown = keys.Show(jsonPath.Split('.')[^1], current.Deserialize<ProtectedValue>()!);
            }
            catch (CryptographicException)
            {
                return PersonalDataMask.Erased;
            }

            return path.Contains(':', StringComparison.Ordinal) ? MemberOfSealedRecord(shown, path.Split(':')[1]) : shown;
        }

        var text = current.ValueKind switch
        {
            JsonValueKind.String => current.GetString(),
            JsonValueKind.Number => current.GetRawText(),
            JsonValueKind.Array => string.Join("/", current.EnumerateArray().Select(i => i.ValueKind == JsonValueKind.String ? i.GetString() : i.GetRawText())),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
        if (string.IsNullOrEmpty(text)) return null;
        return text.Length > 60 ? text[..60] + "…" : text;
    }

    /// <summary>One member of a record sealed as one (its JSON, opened): <c>[erased]</c> stays as it is.</summary>
    private static string? MemberOfSealedRecord(string opened, string member)
    {
        if (opened == PersonalDataMask.Erased) return opened;
        try
        {
            using var record = JsonDocument.Parse(opened);
            return record.RootElement.ValueKind == JsonValueKind.Object && record.RootElement.TryGetProperty(member, out var value)
                && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
