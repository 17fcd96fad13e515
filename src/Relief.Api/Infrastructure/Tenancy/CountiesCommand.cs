using System.Text.Json;
using JasperFx.CommandLine;
using Relief.Api.Infrastructure.Security;

namespace Relief.Api.Infrastructure.Tenancy;

/// <summary>The input of <c>counties add|list|retire</c>.</summary>
public sealed class CountiesInput : NetCoreInput
{
    [Description("add, list, retire or move")]
    public string Action { get; set; } = "list";

    [Description("The county's six-digit code (add, retire)")]
    public string Code { get; set; } = "";

    [Description("The county's name (add)")]
    public string NameFlag { get; set; } = "";

    [Description("Its database on the registry's server (add; default relief_<code> beside the registry; move: where it goes)")]
    public string? DatabaseFlag { get; set; }

    [Description("A connection string to a database on another server (add, move; instead of --database)")]
    public string? ConnectionStringFlag { get; set; }

    [Description("A township, code=name (add; repeat the flag)")]
    public List<string> TownshipFlag { get; set; } = [];

    [Description("Why the county is retired (retire)")]
    public string ReasonFlag { get; set; } = "";

    [Description("Complete the county's started move, once its database was copied (move)")]
    public bool CompleteFlag { get; set; }

    [Description("Cancel the county's started move: its database is writable again where it was (move)")]
    public bool CancelFlag { get; set; }
}

/// <summary>
/// <c>dotnet run -- counties list</c>, <c>counties add 410825 --name 温县 [--database relief_410825]
/// [--township wenquan=温泉街道 ...]</c>, <c>counties retire 410825 --reason "…"</c>, <c>counties move
/// 410825 --connection-string "…"</c> then <c>--complete</c> (or <c>--cancel</c>): the county
/// registry from the command line, with the same checks and steps as <c>/api/counties</c> (adding
/// applies the county's schema to its database alone). Prints the county (or the list) as JSON; a
/// refusal goes to standard error and exits 1.
/// </summary>
[Description("Add, list, retire or move counties in the county registry (Relief:CountyRegistry)", Name = "counties")]
public sealed class CountiesCommand : JasperFxAsyncCommand<CountiesInput>
{
    /// <summary>One JSON line per county, its Chinese name as written (an operator reads it).</summary>
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public CountiesCommand()
    {
        Usage("List the counties").Arguments(x => x.Action);
        Usage("Add, retire or move a county").Arguments(x => x.Action, x => x.Code);
    }

    public override async Task<bool> Execute(CountiesInput input)
    {
        using var host = input.BuildHost();
        var counties = host.Services.GetRequiredService<Counties>();
        var registry = host.Services.GetRequiredService<CountyRegistry>();
        var directory = host.Services.GetRequiredService<CountyDirectory>();
        var now = host.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        if (!counties.IsRegistry) return Refuse(CountyRules.RegistryOff(counties).Detail!);

        switch (input.Action.ToLowerInvariant())
        {
            case "list":
                foreach (var county in await registry.ListAsync(CancellationToken.None)) Console.WriteLine(JsonSerializer.Serialize(county, Json));
                return true;
            case "add":
                var townships = input.TownshipFlag.Select(t => t.Split('=', 2)).Select(p => new Township(p[0], p.Length > 1 ? p[1] : "")).ToList();
                var command = new AddCounty(input.Code, input.NameFlag, input.DatabaseFlag, input.ConnectionStringFlag, townships);
                var shape = CountyRules.Shape(command);
                if (shape is Microsoft.AspNetCore.Mvc.ValidationProblemDetails invalid)
                    return Refuse(string.Join("; ", invalid.Errors.Select(e => $"{e.Key} {string.Join(" ", e.Value)}")));
                var connection = CountyRules.ConnectionStringOf(command, directory);
                if (await registry.RefusalToAdd(input.Code, connection, CancellationToken.None) is { } refusal) return Refuse(refusal);
                var added = await registry.AddAsync(input.Code, input.NameFlag.Trim(), connection, townships, now, CancellationToken.None);
                Console.WriteLine(JsonSerializer.Serialize(added, Json));
                return true;
            case "retire":
                if (string.IsNullOrWhiteSpace(input.ReasonFlag)) return Refuse("--reason is required.");
                var existing = await registry.FindAsync(input.Code, CancellationToken.None);
                if (existing is null) return Refuse($"County {input.Code} is not in the registry.");
                if (existing.RetiredAt is not null) return Refuse($"County {input.Code} was retired on {existing.RetiredAt:O}.");
                Console.WriteLine(JsonSerializer.Serialize(await registry.RetireAsync(input.Code, input.ReasonFlag.Trim(), now, CancellationToken.None), Json));
                return true;
            case "move":
                if (await registry.FindAsync(input.Code, CancellationToken.None) is null) return Refuse($"County {input.Code} is not in the registry.");
                if (input.CompleteFlag || input.CancelFlag)
                {
                    if (input.CancelFlag)
                    {
                        if ((await registry.FindAsync(input.Code, CancellationToken.None))!.Move is null) return Refuse($"County {input.Code} is not moving.");
                        Console.WriteLine(JsonSerializer.Serialize(await registry.CancelMoveAsync(input.Code, CancellationToken.None), Json));
                        return true;
                    }

                    if (await registry.RefusalToComplete(input.Code, CancellationToken.None) is { } incomplete) return Refuse(incomplete);
                    Console.WriteLine(JsonSerializer.Serialize(await registry.CompleteMoveAsync(input.Code, CancellationToken.None), Json));
                    Console.Error.WriteLine("Restart the nodes one by one: each serves the county's writes from its new database once restarted.");
                    return true;
                }

                if (input.DatabaseFlag is null && input.ConnectionStringFlag is null) return Refuse("--database or --connection-string names where the county's database goes.");
                var moveShape = CountyRules.Shape(new AddCounty(input.Code, "-", input.DatabaseFlag, input.ConnectionStringFlag, []));
                if (moveShape is Microsoft.AspNetCore.Mvc.ValidationProblemDetails badMove)
                    return Refuse(string.Join("; ", badMove.Errors.Select(e => $"{e.Key} {string.Join(" ", e.Value)}")));
                var target = CountyRules.ConnectionStringOf(input.Code, new MoveCounty(input.DatabaseFlag, input.ConnectionStringFlag), directory);
                if (await registry.RefusalToMove(input.Code, target, CancellationToken.None) is { } cannotMove) return Refuse(cannotMove);
                Console.WriteLine(JsonSerializer.Serialize(await registry.StartMoveAsync(input.Code, target, now, CancellationToken.None), Json));
                Console.Error.WriteLine("The county's database is read-only now. Copy it (pg_dump -Fc | pg_restore), then: counties move " + input.Code + " --complete");
                return true;
            default:
                return Refuse($"Unknown action '{input.Action}': add, list, retire or move.");
        }
    }

    private static bool Refuse(string why)
    {
        Console.Error.WriteLine(why);
        return false;
    }
}
