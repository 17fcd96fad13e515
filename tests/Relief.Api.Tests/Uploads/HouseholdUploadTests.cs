using System.Net;
using System.Text;
using System.Text.Json;
using static Relief.Api.Tests.Uploads.Spreadsheets;

namespace Relief.Api.Tests.Uploads;

/// <summary>A department's spreadsheet of households lands whole through the JSON batch, or is refused row by row.</summary>
public sealed class HouseholdUploadTests(AppFixture fixture) : ApiTest(fixture)
{
    private static readonly string[] Headers = ["乡镇(街道)", "村", "户主姓名", "家庭住址", "致贫原因"];

    private static string[] Row(string village, string head = "王秀英", string township = "木城街道", string cause = "因病") =>
        [township, village, head, $"{village}一组 3 号", cause];

    private Task<HttpResponseMessage> Upload(byte[] file, string mediaType, string key = Keys.PovertyOffice, string? idempotencyKey = null,
        string? formFileName = null) =>
        Spreadsheets.Upload(Host, "households", file, mediaType, key, idempotencyKey, formFileName);

    private async Task<List<JsonElement>> Households()
    {
        var page = await Api.Send(HttpMethod.Get, "/api/households?limit=200", null, Keys.PovertyOffice);
        return page.GetProperty("items").EnumerateArray().ToList();
    }

    private async Task<List<JsonElement>> Landed(HttpResponseMessage response, int rows, int firstRow = 2)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal("households", body.GetProperty("kind").GetString());
        Assert.Equal(rows, body.GetProperty("count").GetInt32());
        var written = body.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(firstRow, rows), written.Select(r => r.GetProperty("row").GetInt32()));
        var households = new List<JsonElement>();
        foreach (var row in written)
        {
            Assert.Equal(1, row.GetProperty("version").GetInt32());
            households.Add(await Api.Household(row.GetProperty("id").GetGuid()));
        }

        return households;
    }

    [Fact]
    public async Task A_UTF8_CSV_with_Chinese_headers_and_codes_lands_one_household_per_row()
    {
        var response = await Upload(Utf8Csv(Headers, Row("东关村"), Row("西关村", "李四", "sanyang", "Disability")), "text/csv");

        var households = await Landed(response, 2);
        Assert.Equal("mucheng", households[0].GetProperty("township").GetString());
        Assert.Equal("东关村", households[0].GetProperty("village").GetString());
        Assert.Equal("王秀英", households[0].GetProperty("headName").GetString());
        Assert.Equal("Illness", households[0].GetProperty("povertyCause").GetString());
        Assert.Equal("sanyang", households[1].GetProperty("township").GetString());
        Assert.Equal("Disability", households[1].GetProperty("povertyCause").GetString());
    }

    [Fact]
    public async Task A_GBK_CSV_as_Chinese_Excel_saves_it_lands_with_its_Chinese_intact()
    {
        var response = await Upload(GbkCsv(Headers, Row("詹店村", "赵淑珍")), "text/csv", formFileName: "兜底户.csv");

        var household = Assert.Single(await Landed(response, 1));
        Assert.Equal("詹店村", household.GetProperty("village").GetString());
        Assert.Equal("赵淑珍", household.GetProperty("headName").GetString());
    }

    [Fact]
    public async Task A_workbook_lands_raw_or_as_a_forms_file_with_English_codes_as_headers()
    {
        var raw = await Upload(Workbook([.. Headers], [.. Row("东关村")]), Xlsx);
        Assert.Single(await Landed(raw, 1));

        var codes = new object?[] { "township", "village", "headName", "address", "povertyCause" };
        var form = await Upload(Workbook(codes, ["mucheng", "南关村", "孙梅", "南关村 5 号", "LackOfLabour"]), "application/octet-stream",
            formFileName: "households.xlsx");
        Assert.Equal("LackOfLabour", Assert.Single(await Landed(form, 1)).GetProperty("povertyCause").GetString());
    }

    [Fact]
    public async Task One_bad_row_refuses_the_upload_with_422_naming_its_row_column_and_field_and_nothing_is_written()
    {
        var response = await Upload(Utf8Csv(Headers, Row("东关村"), ["木城街道", "", "李四", "地址", "因穷"], Row("西关村")), "text/csv");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await Json(response);
        Assert.Equal("urn:relief:problem:upload-refused", problem.GetProperty("type").GetString());
        var rows = problem.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal([2, 3, 4], rows.Select(r => r.GetProperty("row").GetInt32()));
        Assert.Equal(["Valid", "Refused", "Valid"], rows.Select(r => r.GetProperty("outcome").GetString()));
        var errors = problem.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("column").GetString(), e.GetProperty("field").GetString())).ToList();
        Assert.Contains((3, "村", "village"), errors);
        Assert.Contains((3, "致贫原因", "povertyCause"), errors);
        Assert.Empty(await Households());
    }

    [Fact]
    public async Task A_township_key_uploading_another_townships_household_is_refused_at_that_row()
    {
        var response = await Upload(Utf8Csv(Headers, Row("东关村"), Row("西关村", township: "三阳乡")), "text/csv", Keys.Mucheng);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var refused = (await Json(response)).GetProperty("rows")[1];
        Assert.Equal(3, refused.GetProperty("row").GetInt32());
        Assert.Equal(403, refused.GetProperty("status").GetInt32());
        Assert.Empty(await Households());
    }

    [Fact]
    public async Task The_same_file_with_the_same_Idempotency_Key_is_answered_again_and_written_once()
    {
        var file = Utf8Csv(Headers, Row("东关村"), Row("西关村"));

        // A form's boundary is new on every request: the key covers the file, not the envelope.
        var first = await Upload(file, "text/csv", idempotencyKey: "upload-2020-10-01", formFileName: "兜底户.csv");
        var again = await Upload(file, "text/csv", idempotencyKey: "upload-2020-10-01", formFileName: "兜底户.csv");
        var raw = await Upload(file, "text/csv", idempotencyKey: "upload-2020-10-01");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var body = await first.Content.ReadAsStringAsync();
        foreach (var replay in new[] { again, raw })
        {
            Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
            Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
            Assert.Equal(body, await replay.Content.ReadAsStringAsync());
        }

        Assert.Equal(2, (await Households()).Count);

        var other = await Upload(Utf8Csv(Headers, Row("南关村")), "text/csv", idempotencyKey: "upload-2020-10-01");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal("urn:relief:problem:idempotency-key-reused", (await Json(other)).GetProperty("type").GetString());
        Assert.Equal(2, (await Households()).Count);
    }

    [Fact]
    public async Task The_CSV_template_filled_in_lands()
    {
        var template = await Host.Server.CreateClient().SendAsync(Get("/api/uploads/households/template.csv"));
        Assert.Equal(HttpStatusCode.OK, template.StatusCode);
        Assert.Equal("text/csv", template.Content.Headers.ContentType?.MediaType);
        var text = Encoding.UTF8.GetString(await template.Content.ReadAsByteArrayAsync());
        Assert.StartsWith("\uFEFF乡镇(街道)*,村*,户主姓名*,家庭住址*,致贫原因*\r\ntownship,village,headName,address,povertyCause\r\n", text);

        var filled = text + CsvText(Row("东关村"), Row("西关村", cause: "自身发展动力不足"));
        // Row 2 holds the codes: the data starts on row 3, as the spreadsheet program numbers it.
        var households = await Landed(await Upload(Encoding.UTF8.GetBytes(filled), "text/csv"), 2, firstRow: 3);
        Assert.Equal("LackOfMotivation", households[1].GetProperty("povertyCause").GetString());
    }

    [Fact]
    public async Task The_workbook_template_has_Chinese_headers_the_codes_below_them_the_columns_explained_and_the_code_lists_and_lands_filled_in()
    {
        var response = await Host.Server.CreateClient().SendAsync(Get("/api/uploads/households/template.xlsx"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Xlsx, response.Content.Headers.ContentType?.MediaType);
        var template = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(["兜底户", "填写说明", "代码表"], MiniExcelLibs.MiniExcel.GetSheetNames(new MemoryStream(template)));
        var data = Cells(template);
        Assert.Equal(["乡镇(街道)*", "村*", "户主姓名*", "家庭住址*", "致贫原因*"], data[0]);
        Assert.Equal(["township", "village", "headName", "address", "povertyCause"], data[1]);
        var columns = Cells(template, "填写说明");
        Assert.Contains(columns, r => r[0] == "致贫原因" && r[1] == "povertyCause" && r[2] == "是");
        var codes = Cells(template, "代码表");
        Assert.Contains(codes, r => r[0] == "povertyCause" && r[2] == "Illness" && r[3] == "因病");

        var filled = Workbook(("兜底户", [[.. data[0]], [.. data[1]], [.. Row("东关村")]]));
        Assert.Single(await Landed(await Upload(filled, Xlsx, formFileName: "兜底户.xlsx"), 1, firstRow: 3));
    }

    [Fact]
    public async Task A_template_of_an_unknown_kind_is_404()
    {
        var response = await Host.Server.CreateClient().SendAsync(Get("/api/uploads/farms/template.csv"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("policy-decisions", (await Json(response)).GetProperty("detail").GetString());
    }

    public static TheoryData<string, int> BadFiles() => new()
    {
        { "text/plain", 415 },
        { "a PDF in a form", 415 },
        { "an old .xls in a form", 415 },
        { "JSON", 415 },
        { "an empty body", 400 },
        { "an empty file in a form", 400 },
        { "a form without a file", 400 },
        { "two files in a form", 400 },
        { "a workbook sent as CSV", 415 },
        { "CSV sent as a workbook", 415 },
        { "a broken workbook", 400 },
        { "over 2 MiB", 413 },
        { "1,001 rows", 400 },
        { "an unknown column", 400 },
        { "a column twice", 400 },
        { "a required column missing", 400 },
        { "headers only", 400 },
        { "only blank lines", 400 },
        { "UTF-16 text", 400 },
        { "neither UTF-8 nor GB18030", 400 },
        { "an unclosed quote", 400 },
        { "a value under no header", 400 },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_bad_file_is_a_4xx_problem_and_changes_nothing(string name, int status)
    {
        var good = Utf8Csv(Headers, Row("东关村"));
        var response = name switch
        {
            "text/plain" => await Upload(good, "text/plain"),
            "a PDF in a form" => await Upload("%PDF-1.4"u8.ToArray(), "application/pdf", formFileName: "兜底户.pdf"),
            "an old .xls in a form" => await Upload([0xD0, 0xCF, 0x11, 0xE0], "application/vnd.ms-excel", formFileName: "兜底户.xls"),
            "JSON" => await Send(HttpMethod.Post, "/api/uploads/households", """{"households":[]}"""),
            "an empty body" => await Upload([], "text/csv"),
            "an empty file in a form" => await Upload([], "text/csv", formFileName: "兜底户.csv"),
            "a form without a file" => await FormWithout(),
            "two files in a form" => await TwoFiles(good),
            "a workbook sent as CSV" => await Upload(Workbook([.. Headers], [.. Row("东关村")]), "text/csv"),
            "CSV sent as a workbook" => await Upload(good, Xlsx),
            "a broken workbook" => await Upload([.. "PK\u0003\u0004"u8.ToArray(), .. new byte[200]], Xlsx),
            "over 2 MiB" => await Upload([.. good, .. Encoding.UTF8.GetBytes(new string(' ', 2 * 1024 * 1024))], "text/csv"),
            "1,001 rows" => await Upload(Utf8Csv([Headers, .. Enumerable.Range(0, 1001).Select(i => Row($"村{i}"))]), "text/csv"),
            "an unknown column" => await Upload(Utf8Csv([.. Headers, "身高"], [.. Row("东关村"), "170"]), "text/csv"),
            "a column twice" => await Upload(Utf8Csv([.. Headers, "村"], [.. Row("东关村"), "西关村"]), "text/csv"),
            "a required column missing" => await Upload(Utf8Csv(Headers[..4], Row("东关村")[..4]), "text/csv"),
            "headers only" => await Upload(Utf8Csv(Headers), "text/csv"),
            "only blank lines" => await Upload("\r\n\r\n"u8.ToArray(), "text/csv"),
            "UTF-16 text" => await Upload([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(CsvText(Headers, Row("东关村")))], "text/csv"),
            "neither UTF-8 nor GB18030" => await Upload([.. Encoding.UTF8.GetBytes(CsvText(Headers)), 0x81, 0x20, 0xFF, 0x0D, 0x0A], "text/csv"),
            "an unclosed quote" => await Upload(Encoding.UTF8.GetBytes(CsvText(Headers) + "木城街道,\"东关村,王,地址,因病\r\n"), "text/csv"),
            "a value under no header" => await Upload(Utf8Csv(Headers, [.. Row("东关村"), "多余"]), "text/csv"),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
        };

        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{name}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (status == 400) Assert.Equal("urn:relief:problem:unreadable-spreadsheet", JsonDocument.Parse(text).RootElement.GetProperty("type").GetString());
        Assert.Empty(await Households());
    }

    [Fact]
    public async Task An_upload_needs_the_scope_and_the_ownership_of_the_JSON_batch()
    {
        var file = Utf8Csv(Headers, Row("东关村"));

        Assert.Equal(HttpStatusCode.Forbidden, (await Upload(file, "text/csv", Keys.Reports)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Upload(file, "text/csv", Keys.Hrss)).StatusCode);
        Assert.Empty(await Households());
    }

    private static HttpRequestMessage Get(string url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("X-Api-Key", Keys.PovertyOffice);
        return request;
    }

    private async Task<HttpResponseMessage> FormWithout()
    {
        using var client = Host.Server.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/uploads/households")
        {
            Content = new MultipartFormDataContent { { new StringContent("mucheng"), "township" } },
        };
        request.Headers.Add("X-Api-Key", Keys.PovertyOffice);
        return await client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> TwoFiles(byte[] file)
    {
        using var client = Host.Server.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/uploads/households")
        {
            Content = new MultipartFormDataContent { { new ByteArrayContent(file), "file", "a.csv" }, { new ByteArrayContent(file), "file", "b.csv" } },
        };
        request.Headers.Add("X-Api-Key", Keys.PovertyOffice);
        return await client.SendAsync(request);
    }
}
