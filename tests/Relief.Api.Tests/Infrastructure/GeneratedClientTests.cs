using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NJsonSchema.CodeGeneration.CSharp;
using NSwag;
using NSwag.CodeGeneration.CSharp;
using NSwag.CodeGeneration.OperationNameGenerators;

namespace Relief.Api.Tests.Infrastructure;

/// <summary>
/// The OpenAPI document is good enough for a client generator: NSwag generates a C# client from the
/// document the host serves, Roslyn compiles it in memory with <c>GeneratedClient/Walkthrough.cs</c>
/// (which knows nothing of Relief but that client), and the walk-through registers a household and
/// signs it a care agreement through the test host's own HttpClient (in memory, no socket).
/// </summary>
public sealed class GeneratedClientTests(AppFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_client_generated_from_the_document_registers_a_household_and_signs_it_an_agreement()
    {
        var source = await GenerateClientAsync();
        var walkthrough = Compile(source, await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory,
            "Infrastructure", "GeneratedClient", "Walkthrough.cs")));

        using var http = Host.Server.CreateClient();
        http.DefaultRequestHeaders.Add("X-Api-Key", Keys.PovertyOffice);
        var run = (Task<IReadOnlyDictionary<string, string>>)walkthrough.GetMethod("RunAsync")!
            .Invoke(null, [http, Requests.ResidentId(new DateOnly(1950, 3, 15), 301)])!;
        var seen = await run;

        var householdId = Guid.Parse(seen["householdId"]);
        var agreementId = Guid.Parse(seen["agreementId"]);
        Assert.Equal("mucheng", seen["householdTownship"]);
        Assert.Equal(householdId.ToString(), seen["agreementHousehold"]);
        Assert.Equal("NeighbourCare", seen["agreementMode"]);
        Assert.Equal(agreementId.ToString(), seen["householdAgreements"]);

        // What the generated client wrote is what the API reads back, through the plain HTTP contract.
        var agreement = await Api.Agreement(agreementId);
        Assert.Equal(householdId, agreement.GetProperty("householdId").GetGuid());
        Assert.Equal("李大娘", agreement.GetProperty("caregiver").GetProperty("name").GetString());
        var household = await Api.Household(householdId);
        Assert.Equal("东关村", household.GetProperty("village").GetString());
    }

    private async Task<string> GenerateClientAsync()
    {
        var response = await Send(HttpMethod.Get, "/swagger/v1/swagger.json", key: null);
        var document = await OpenApiDocument.FromJsonAsync(await response.Content.ReadAsStringAsync());
        var settings = new CSharpClientGeneratorSettings
        {
            ClassName = "ReliefClient",
            UseBaseUrl = false,
            GenerateClientInterfaces = false,
            GenerateOptionalParameters = true,
            OperationNameGenerator = new SingleClientFromOperationIdOperationNameGenerator(),
            CSharpGeneratorSettings =
            {
                Namespace = "Relief.Generated",
                JsonLibrary = CSharpJsonLibrary.SystemTextJson,
                DateType = "System.DateOnly",
                GenerateNullableReferenceTypes = true,
            },
        };
        return new CSharpClientGenerator(document, settings).GenerateFile();
    }

    /// <summary>Compiles the sources in memory, failing with the compiler's errors; answers the walk-through's type.</summary>
    private static Type Compile(params string[] sources)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create("Relief.Generated." + Guid.NewGuid().ToString("N"),
            sources.Select(s => CSharpSyntaxTree.ParseText(s, new CSharpParseOptions(LanguageVersion.Latest))),
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var assembly = new MemoryStream();
        var result = compilation.Emit(assembly);
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
        Assert.True(result.Success, "The generated client compiles:\n" + string.Join("\n", errors.Take(20)));

        assembly.Position = 0;
        var loaded = new AssemblyLoadContext(null, isCollectible: true).LoadFromStream(assembly);
        return loaded.GetType("Relief.Generated.Walkthrough", throwOnError: true)!;
    }
}
