using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Relief.Api.Infrastructure.Errors;
using Relief.Api.Infrastructure.OpenApi;
using Relief.Api.Infrastructure.Security;
using Wolverine.Http;

namespace Relief.Api.Infrastructure.Tenancy;

/// <summary>
/// Add a county to the registry: its six-digit code, its name, where its database is (a database
/// on the registry's server, or a connection string to another server; neither: <c>relief_&lt;code&gt;</c>
/// beside the registry) and its townships. The database must exist (Relief does not create
/// databases); its schema is applied by the call.
/// </summary>
public sealed record AddCounty(string? Code, string? Name, string? Database, string? ConnectionString, List<Township>? Townships)
    : IHasExample<AddCounty>
{
    public static AddCounty Example { get; } =
        new("410825", "温县", "relief_410825", null, [new Township("wenquan", "温泉街道"), new Township("zhaobao", "赵堡镇")]);
}

/// <summary>Retire a county: why (kept with it).</summary>
public sealed record RetireCounty(string? Reason) : IHasExample<RetireCounty>
{
    public static RetireCounty Example { get; } = new("Merged into 焦作市's registry on 2021-01-01 (province order 2020-117).");
}

/// <summary>The counties this Relief serves, and whether they are data (<c>registry</c>) or configuration.</summary>
public sealed record CountiesServed(string Source, IReadOnlyList<RegisteredCounty> Counties);

/// <summary>The county added, at its own URL.</summary>
public sealed record CountyAdded(RegisteredCounty County) : CreationResponse("/api/counties/" + County.Code), IHasExample<CountyAdded>
{
    public static CountyAdded Example { get; } = new(RegisteredCounty.Example);
}

/// <summary>What a county added or retired is checked against.</summary>
public static partial class CountyRules
{
    [GeneratedRegex("^[A-Za-z0-9_]{1,63}$")]
    private static partial Regex DatabaseName();

    [GeneratedRegex("^[a-z][a-z0-9-]{0,39}$")]
    private static partial Regex TownshipCode();

    public static ProblemDetails Shape(AddCounty command)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(command.Code) || !CountyDirectory.IsCountyCode(command.Code))
            errors.Add("code", "is a county's six-digit administrative code (e.g. 410825).");
        errors.RequireText("name", command.Name, 50);
        if (command.Database is not null && !DatabaseName().IsMatch(command.Database))
            errors.Add("database", "is a database name of 1 to 63 letters, digits or underscores.");
        if (command.ConnectionString is not null)
        {
            if (command.Database is not null) errors.Add("connectionString", "is given instead of database, not with it.");
            else if (HostOf(command.ConnectionString) is null)
                errors.Add("connectionString", "is a PostgreSQL connection string naming its Host and Database (at most 1,000 characters).");
        }

        var townships = command.Townships ?? [];
        for (var i = 0; i < townships.Count; i++)
        {
            var township = townships[i];
            if (township is null || township.Code is null || !TownshipCode().IsMatch(township.Code))
                errors.Add($"townships[{i}].code", "is a township code: a lower-case letter, then letters, digits or hyphens (at most 40).");
            errors.RequireText($"townships[{i}].name", township?.Name, 50);
        }

        if (townships.Where(t => t?.Code is not null).GroupBy(t => t.Code).FirstOrDefault(g => g.Count() > 1) is { } twice)
            errors.Add("townships", $"name township '{twice.Key}' more than once.");
        return errors.ToProblem();
    }

    private static string? HostOf(string connectionString)
    {
        if (connectionString.Length > 1000) return null;
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return string.IsNullOrWhiteSpace(builder.Host) || string.IsNullOrWhiteSpace(builder.Database) ? null : builder.Host;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    public static ProblemDetails RegistryOff(Counties counties) =>
        Problems.Conflict(ProblemTypes.Conflict, "The counties are configuration here.",
            counties.IsMultiCounty
                ? $"This Relief serves the counties of {CountyDirectory.Section}; turn the registry on ({CountyRegistryOptions.Section}:Enabled) to add or retire counties while it runs."
                : $"This Relief serves one county from ConnectionStrings:Marten; turn the registry on ({CountyRegistryOptions.Section}:Enabled) to serve several.");

    /// <summary>Where the county's database is, as the registry stores it.</summary>
    public static string ConnectionStringOf(AddCounty command, CountyDirectory directory) =>
        CountyDirectory.ConnectionStringFor(directory.MainConnectionString, command.Code!, command.Database, command.ConnectionString);

    /// <summary>Where a moving county's database goes, as the registry stores it.</summary>
    public static string ConnectionStringOf(string code, MoveCounty command, CountyDirectory directory) =>
        CountyDirectory.ConnectionStringFor(directory.MainConnectionString, code, command.Database, command.ConnectionString);
}

public static class ListCountiesEndpoint
{
    /// <summary>The counties served: with the registry, every county in it (retired ones too, with when and why).</summary>
    [WolverineGet("/api/counties"), Tags("Counties"), ProvinceWide]
    [Authorize(Scopes.CountiesAdmin)]
    public static async Task<CountiesServed> Get(CountyRegistry registry, Counties counties, CountyDirectory directory,
        TownshipDirectory townships, CancellationToken token) =>
        counties.IsRegistry
            ? new CountiesServed("registry", await registry.ListAsync(token))
            : new CountiesServed("configuration", directory.Counties.Select(c => new RegisteredCounty(c.Code, c.Name ?? c.Code,
                CountyRegistry.Where(directory.ConnectionStringOf(c)), townships.All, null, null, null)).ToList());
}

public static class GetCountyEndpoint
{
    /// <summary>One county of the registry.</summary>
    [WolverineGet("/api/counties/{code}"), Tags("Counties"), ProvinceWide]
    [Authorize(Scopes.CountiesAdmin)]
    public static async Task<IResult> Get(string code, CountyRegistry registry, CancellationToken token) =>
        await registry.FindAsync(code, token) is { } county
            ? Results.Ok(county)
            : Results.Problem(Problems.NotFound("No such county.", $"County {code} is not in the registry."));
}

public static class AddCountyEndpoint
{
    public static async Task<ProblemDetails> ValidateAsync(AddCounty command, Counties counties, CountyRegistry registry,
        CountyDirectory directory, CancellationToken token)
    {
        if (!counties.IsRegistry) return CountyRules.RegistryOff(counties);
        var shape = CountyRules.Shape(command);
        if (shape != WolverineContinue.NoProblems) return shape;
        var refusal = await registry.RefusalToAdd(command.Code!, CountyRules.ConnectionStringOf(command, directory), token);
        return refusal is null
            ? WolverineContinue.NoProblems
            : Problems.Conflict(ProblemTypes.Conflict, "The county cannot be added.", refusal);
    }

    /// <summary>
    /// Adds a county while every node serves: registers it in Marten's master table, applies the
    /// schema to its database alone, and serves it from the next request (other nodes: from the
    /// first request that names it). Answers 201 with the county.
    /// </summary>
    [WolverinePost("/api/counties"), Tags("Counties"), ProvinceWide]
    [Authorize(Scopes.CountiesAdmin)]
    public static async Task<CountyAdded> Post(AddCounty command, CountyRegistry registry, CountyDirectory directory,
        DateTimeOffset now, CancellationToken token) =>
        new(await registry.AddAsync(command.Code!, command.Name!.Trim(), CountyRules.ConnectionStringOf(command, directory),
            (command.Townships ?? []).Select(t => new Township(t.Code, t.Name.Trim())).ToList(), now, token));
}

public static class RetireCountyEndpoint
{
    public static async Task<ProblemDetails> ValidateAsync(string code, RetireCounty command, Counties counties,
        CountyRegistry registry, CancellationToken token)
    {
        if (!counties.IsRegistry) return CountyRules.RegistryOff(counties);
        var errors = new FieldErrors();
        errors.RequireText("reason", command.Reason, 200);
        if (errors.Any) return errors.ToProblem();
        var county = CountyDirectory.IsCountyCode(code) ? await registry.FindAsync(code, token) : null;
        if (county is null) return Problems.NotFound("No such county.", $"County {code} is not in the registry.");
        return county.RetiredAt is null
            ? WolverineContinue.NoProblems
            : Problems.Conflict(ProblemTypes.CountyRetired, "The county is retired.", $"County {code} was retired on {county.RetiredAt:O}.");
    }

    /// <summary>
    /// Retires a county: from now on every write of its credentials is 409 <c>county-retired</c>
    /// (this node at once, the others within the registry's refresh interval); its database, records
    /// and reads are kept. Answers 200 with the county.
    /// </summary>
    [WolverinePost("/api/counties/{code}/retirement"), Tags("Counties"), ProvinceWide]
    [Authorize(Scopes.CountiesAdmin)]
    public static Task<RegisteredCounty> Post(string code, RetireCounty command, CountyRegistry registry, DateTimeOffset now,
        CancellationToken token) =>
        registry.RetireAsync(code, command.Reason!.Trim(), now, token);
}

/// <summary>Move a county's database to another server: the database it goes to (on the registry's server) or a connection string to it.</summary>
public sealed record MoveCounty(string? Database, string? ConnectionString) : IHasExample<MoveCounty>
{
    public static MoveCounty Example { get; } = new(null, "Host=pg-jiaozuo-2.example;Port=5432;Database=relief_410825;Username=relief");
}

public static class StartCountyMoveEndpoint
{
    public static async Task<ProblemDetails> ValidateAsync(string code, MoveCounty command, Counties counties,
        CountyRegistry registry, CountyDirectory directory, CancellationToken token)
    {
        if (!counties.IsRegistry) return CountyRules.RegistryOff(counties);
        if (!CountyDirectory.IsCountyCode(code)) return Problems.NotFound("No such county.", $"County {code} is not in the registry.");
        var shape = CountyRules.Shape(new AddCounty(code, "-", command.Database, command.ConnectionString, []));
        if (shape != WolverineContinue.NoProblems) return shape;
        if (command.Database is null && command.ConnectionString is null)
        {
            var errors = new FieldErrors();
            errors.Add("database", "or connectionString names where the county's database goes.");
            return errors.ToProblem();
        }

        if (await registry.FindAsync(code, token) is null) return Problems.NotFound("No such county.", $"County {code} is not in the registry.");
        var refusal = await registry.RefusalToMove(code, CountyRules.ConnectionStringOf(code, command, directory), token);
        return refusal is null ? WolverineContinue.NoProblems : Problems.Conflict(ProblemTypes.Conflict, "The county cannot be moved now.", refusal);
    }

    /// <summary>
    /// Starts moving a county's database to another server. Its database becomes read-only at once,
    /// for every node: from the answer on, its writes are refused 503 <c>database-unavailable</c>
    /// (nothing written) and its reads go on. Then copy the database (<c>pg_dump -Fc | pg_restore</c>,
    /// docs/operations.md) and complete the move (<c>POST …/move/completion</c>), or cancel it
    /// (<c>DELETE …/move</c>). Answers 200 with the county and its <c>move</c>.
    /// </summary>
    [WolverinePost("/api/counties/{code}/move"), Tags("Counties"), ProvinceWide]
    [Authorize(Scopes.CountiesAdmin)]
    public static Task<RegisteredCounty> Post(string code, MoveCounty command, CountyRegistry registry, CountyDirectory directory,
        DateTimeOffset now, CancellationToken token) =>
        registry.StartMoveAsync(code, CountyRules.ConnectionStringOf(code, command, directory), now, token);
}

public static class CompleteCountyMoveEndpoint
{
    public static async Task<ProblemDetails> ValidateAsync(string code, Counties counties, CountyRegistry registry, CancellationToken token)
    {
        if (!counties.IsRegistry) return CountyRules.RegistryOff(counties);
        if (!CountyDirectory.IsCountyCode(code) || await registry.FindAsync(code, token) is null)
            return Problems.NotFound("No such county.", $"County {code} is not in the registry.");
        var refusal = await registry.RefusalToComplete(code, token);
        return refusal is null ? WolverineContinue.NoProblems : Problems.Conflict(ProblemTypes.Conflict, "The move cannot be completed.", refusal);
    }

    /// <summary>
    /// Completes a move once the copy holds exactly the frozen database's events and streams (else
    /// 409, naming both): the copy becomes writable and the registry names it. Each node serves the
    /// county from its new database once restarted (restart the nodes one by one); until then it
    /// reads the old one (the same data) and refuses its writes 503. The old database is kept, read-only.
    /// </summary>
    [WolverinePost("/api/counties/{code}/move/completion"), Tags("Counties"), ProvinceWide]
    [Authorize(Scopes.CountiesAdmin)]
    public static Task<RegisteredCounty> Post(string code, CountyRegistry registry, CancellationToken token) =>
        registry.CompleteMoveAsync(code, token);
}

public static class CancelCountyMoveEndpoint
{
    public static async Task<ProblemDetails> ValidateAsync(string code, Counties counties, CountyRegistry registry, CancellationToken token)
    {
        if (!counties.IsRegistry) return CountyRules.RegistryOff(counties);
        var county = CountyDirectory.IsCountyCode(code) ? await registry.FindAsync(code, token) : null;
        if (county is null) return Problems.NotFound("No such county.", $"County {code} is not in the registry.");
        return county.Move is null
            ? Problems.Conflict(ProblemTypes.Conflict, "The county is not moving.", $"County {code} is not moving.")
            : WolverineContinue.NoProblems;
    }

    /// <summary>Cancels a started move: the county's database is writable again where it was. Answers 200 with the county.</summary>
    [WolverineDelete("/api/counties/{code}/move"), Tags("Counties"), ProvinceWide]
    [Authorize(Scopes.CountiesAdmin)]
    public static Task<RegisteredCounty> Delete(string code, CountyRegistry registry, CancellationToken token) =>
        registry.CancelMoveAsync(code, token);
}
