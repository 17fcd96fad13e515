using Marten;
using Microsoft.AspNetCore.Mvc;
using Relief.Api.Infrastructure.Problems;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;

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

}

/// <summary>A write to an unknown agreement is a 404, whatever version was sent.</summary>
public static class AgreementMustExist
{
    public static bool AppliesTo(HttpChain chain) =>
        chain.HttpMethods.Any(m => m is "POST" or "PUT" or "PATCH" or "DELETE")
        && chain.RoutePattern?.Parameters.Any(p => p.Name == "agreementId") == true;

    public static async Task<ProblemDetails> BeforeAsync(Guid agreementId, IDocumentSession session, CancellationToken token) =>
        await session.Events.FetchStreamStateAsync(agreementId, token) is null
            ? AgreementRules.NotFound(agreementId)
            : WolverineContinue.NoProblems;
}
