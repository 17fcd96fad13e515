using System.Security.Claims;
using JasperFx.CodeGeneration.Frames;
using JasperFx.CodeGeneration.Model;

namespace Relief.Api.Infrastructure.Security;

/// <summary>
/// Who is calling: the authenticated system (an API key's name or a token's subject), its
/// department, the township it is bound to if any, its scopes, the operator it names, and which
/// member of its department it is (<see cref="Organisation"/>: which bank), where the department has several.
/// </summary>
public sealed record Caller(
    string Subject,
    Department Department,
    string? Township,
    IReadOnlySet<string> Scopes,
    string? Operator,
    string? Organisation = null)
{
    public const string OperatorHeader = "X-Operator";

    public bool Has(string scope) => Scopes.Any(held => Security.Scopes.Grants(held, scope));

    /// <summary>
    /// May this caller touch a household of the given township? A township's identity without a
    /// township is refused at authentication (<see cref="Credentials"/>); were one to get here, it
    /// would touch none: it fails closed.
    /// </summary>
    public bool MayTouchTownship(string township) =>
        Township is null ? Department != Department.Township : Township == township;

    /// <summary>The caller of an authenticated request.</summary>
    public static Caller From(HttpContext context)
    {
        var user = context.User;
        var subject = user.FindFirstValue(ReliefClaims.Subject) ?? user.Identity?.Name ?? "anonymous";
        var department = Enum.TryParse<Department>(user.FindFirstValue(ReliefClaims.Department), out var d)
            ? d
            : Department.Audit;
        var scopes = user.FindAll(ReliefClaims.Scope)
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet(StringComparer.Ordinal);
        var op = context.Request.Headers[OperatorHeader].ToString();
        var township = user.FindFirstValue(ReliefClaims.Township);
        // Every read that filters by township reads "no township" as "the whole county": a township's
        // identity without one must never become a caller (authentication refuses it; this is the backstop).
        if (department == Department.Township && township is null)
            throw new InvalidOperationException($"The township credential '{subject}' names no township; authentication should have refused it.");
        return new Caller(subject, department, township, scopes,
            string.IsNullOrWhiteSpace(op) ? null : op[..Math.Min(op.Length, 128)], user.FindFirstValue(ReliefClaims.Organisation));
    }
}

/// <summary>Lets any endpoint or handler take a <see cref="Caller"/> parameter.</summary>
public sealed class CallerSource : IVariableSource
{
    public bool Matches(Type type) => type == typeof(Caller);

    public Variable Create(Type type) =>
        new MethodCall(typeof(Caller), nameof(Caller.From)) { CommentText = "The authenticated caller" }
            .ReturnVariable!;
}
