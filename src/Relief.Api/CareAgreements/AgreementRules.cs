using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.Security;

namespace Relief.Api.CareAgreements;

/// <summary>The rules every change to a signed agreement obeys.</summary>
public static class AgreementRules
{
    public static ProblemDetails? Access(CareAgreement agreement, Caller caller) =>
        TownshipScope.Access(agreement.Township, caller, "agreement");

    public static ProblemDetails? NotEnded(CareAgreement agreement) =>
        agreement.EndedOn is { } ended
            ? Problems.Conflict(ProblemTypes.Conflict, "The agreement has ended.", $"It ended on {ended:yyyy-MM-dd}; sign a new one.")
            : null;

    public static ProblemDetails NotFound(Guid agreementId) => Problems.NotFound("No such care agreement.", $"There is no care agreement {agreementId}.");

    /// <summary><c>{agreementId}</c> names a care agreement on every write route.</summary>
    public static readonly StreamRoute Stream = StreamRoute.For<CareAgreement>("agreementId", NotFound);
}
