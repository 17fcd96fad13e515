using Marten;
using Relief.Api.Infrastructure.Http;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;

namespace Relief.Api.Infrastructure.Provenance;

/// <summary>
/// Stamps every event a write request records with its provenance, as Marten event metadata:
/// correlation and causation ids, the caller as user name, and headers naming the department,
/// the caller, the operator, the township binding, the organisation (which bank) and the department's own record id.
/// </summary>
public static class ProvenanceMiddleware
{
    public const string ExternalRefHeader = "X-External-Ref";
    public const string CausationHeader = "X-Causation-Id";
    private const int MaxHeaderLength = 128;

    /// <summary>Applies to every write route but the county registry's, which records no event (and has no county to open a session in).</summary>
    public static bool AppliesTo(HttpChain chain) =>
        chain.HttpMethods.Any(m => m is "POST" or "PUT" or "PATCH" or "DELETE")
        && !chain.Method.Method.IsDefined(typeof(Tenancy.ProvinceWideAttribute), inherit: false);

    public static void Before(HttpContext context, IDocumentSession session, Caller caller)
    {
        session.CorrelationId = CorrelationMiddleware.Of(context);
        session.CausationId = Header(context, CausationHeader) ?? context.TraceIdentifier;
        session.LastModifiedBy = caller.Subject;

        session.SetHeader(ProvenanceHeaders.Department, caller.Department.ToString());
        session.SetHeader(ProvenanceHeaders.Caller, caller.Subject);
        session.SetHeader(ProvenanceHeaders.Credential, context.User.FindFirst(ReliefClaims.Credential)?.Value ?? "bearer");
        if (caller.Operator is not null) session.SetHeader(ProvenanceHeaders.Operator, caller.Operator);
        if (caller.Township is not null) session.SetHeader(ProvenanceHeaders.Township, caller.Township);
        if (caller.Organisation is not null) session.SetHeader(ProvenanceHeaders.Organisation, caller.Organisation);
        if (Header(context, ExternalRefHeader) is { } externalRef) session.SetHeader(ProvenanceHeaders.ExternalRef, externalRef);
    }

    private static string? Header(HttpContext context, string name)
    {
        var value = context.Request.Headers[name].ToString().Trim();
        return value.Length == 0 ? null : value[..Math.Min(value.Length, MaxHeaderLength)];
    }
}

/// <summary>The names of the provenance headers stored on each event.</summary>
public static class ProvenanceHeaders
{
    public const string Department = "department";
    public const string Caller = "caller";
    public const string Credential = "credential";
    public const string Operator = "operator";
    public const string Township = "township";
    public const string ExternalRef = "externalRef";

    /// <summary>Which member of the department (which bank) recorded the event, where the department has several.</summary>
    public const string Organisation = "organisation";
}
