using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Relief.Api.Tests.Infrastructure;

/// <summary>
/// A body without a Content-Length (chunked over HTTP/1.1, or the frames of an HTTP/2 stream, which
/// announce no length and no Transfer-Encoding) is held to the same limit and checks as any other.
/// </summary>
public sealed class UnannouncedBodyTests(AppFixture fixture) : ApiTest(fixture)
{
    private static string TooLarge()
    {
        var body = Requests.Household();
        body["address"] = new string('a', 300 * 1024);
        return body.ToJsonString();
    }

    private static string WithNul()
    {
        var household = Requests.Household();
        household["headName"] = "PLACEHOLDER";
        return household.ToJsonString().Replace("PLACEHOLDER", """张\u0000三""");
    }

    private static string TooDeep() => string.Concat(Enumerable.Repeat("""{"a":""", 33)) + "1" + new string('}', 33);

    public static TheoryData<string, string> Bodies() => new()
    {
        { "too large", Chunked }, { "too large", Frames },
        { "NUL", Chunked }, { "NUL", Frames },
        { "too deep", Chunked }, { "too deep", Frames },
    };

    /// <summary>HTTP/1.1 chunked: no Content-Length, <c>Transfer-Encoding: chunked</c>.</summary>
    private const string Chunked = "chunked";

    /// <summary>As HTTP/2 and HTTP/3 deliver a body: neither a Content-Length nor a Transfer-Encoding.</summary>
    private const string Frames = "frames";

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_bad_body_without_a_length_gets_the_same_answer_as_with_one_and_writes_nothing(string bad, string delivery)
    {
        var body = bad switch { "too large" => TooLarge(), "NUL" => WithNul(), _ => TooDeep() };

        var announced = await Send(HttpMethod.Post, "/api/households", body);
        var (status, text) = await SendUnannounced(body, delivery);

        Assert.True(announced.StatusCode is HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.BadRequest, $"{announced.StatusCode}");
        Assert.Equal(announced.StatusCode, status);
        Assert.Equal((await Json(announced)).GetProperty("type").GetString(),
            System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("type").GetString());
        await using var session = Store.QuerySession();
        Assert.Equal(0, await Marten.QueryableExtensions.CountAsync(session.Events.QueryAllRawEvents()));
    }

    [Theory]
    [InlineData(Chunked)]
    [InlineData(Frames)]
    public async Task A_good_body_without_a_length_is_recorded(string delivery)
    {
        var (status, _) = await SendUnannounced(Requests.Household().ToJsonString(), delivery);

        Assert.Equal(HttpStatusCode.Created, status);
    }

    private async Task<(HttpStatusCode Status, string Text)> SendUnannounced(string body, string delivery)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        if (delivery == Chunked)
        {
            using var client = Host.Server.CreateClient();
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/households") { Content = new UnannouncedContent(bytes) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.TransferEncodingChunked = true;
            request.Headers.Add("X-Api-Key", Keys.PovertyOffice);
            var response = await client.SendAsync(request);
            Assert.Null(request.Content.Headers.ContentLength);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        // The test server's client always adds Transfer-Encoding to a body of unknown length: this one is set up by hand.
        var result = await Host.Scenario(s =>
        {
            s.Post.Url("/api/households");
            s.WithRequestHeader("X-Api-Key", Keys.PovertyOffice);
            s.ConfigureHttpContext(c =>
            {
                c.Request.ContentType = "application/json";
                c.Request.Body = new MemoryStream(bytes);
                c.Request.ContentLength = null;
                c.Request.Headers.Remove("Transfer-Encoding");
            });
            s.IgnoreStatusCode();
        });
        return ((HttpStatusCode)result.Context.Response.StatusCode, await result.ReadAsTextAsync());
    }

    /// <summary>A body whose length is not known before it is sent: no Content-Length header.</summary>
    private sealed class UnannouncedContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
