using System.Net.Http.Json;
using System.Text.Json;
using ModelMonitor.Testing;

namespace ModelMonitor.Service.Tests.Monitoring;

/// <summary>Drives the monitoring API the way a user does: predict texts, send feedback, ask for an evaluation.</summary>
internal static class MonitoringClient
{
    public const string AdminKey = "test-admin-key-0123456789";

    /// <summary>A service with a reference file, explicit evaluations only, and e-mail to the given server.</summary>
    public static Dictionary<string, string?> Settings(string? reference, SmtpServer? smtp, params (string Key, string? Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Drift:ReferencePath"] = reference,
            ["Drift:EvaluateEveryPredictions"] = "0",
            ["Drift:EvaluationIntervalSeconds"] = "3600",
            ["Security:AdminApiKey"] = AdminKey,
            ["Alerts:CooldownSeconds"] = "0",
            ["Alerts:InitialBackoffMs"] = "200",
            ["Alerts:MaxBackoffMs"] = "400",
        };
        if (smtp is not null)
        {
            settings["Alerts:Smtp:Host"] = "127.0.0.1";
            settings["Alerts:Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["Alerts:Smtp:To:0"] = "ml-team@example.com";
            settings["Alerts:Smtp:Recipients:critical:0"] = "oncall@example.com";
        }

        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    public static async Task WaitForReferenceAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            using var drift = JsonDocument.Parse(await client.GetStringAsync("/drift"));
            var state = drift.RootElement.GetProperty("reference").GetProperty("state").GetString();
            if (state == "ready")
            {
                return;
            }

            Assert.NotEqual("failed", state);
            await Task.Delay(100);
        }

        throw new TimeoutException("The reference was not ready within 120 s.");
    }

    /// <summary>Predicts the texts in requests of 32 and returns each prediction's id.</summary>
    public static async Task<string[]> PredictAsync(HttpClient client, IEnumerable<string> texts)
    {
        var ids = new List<string>();
        foreach (var chunk in texts.Chunk(32))
        {
            var response = await client.PostAsJsonAsync("/predict", new { texts = chunk });
            response.EnsureSuccessStatusCode();
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            ids.AddRange(body.RootElement.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("id").GetString()!));
        }

        return [.. ids];
    }

    public static async Task FeedbackAsync(HttpClient client, IEnumerable<(string Id, string Label)> items, string? key = AdminKey)
    {
        foreach (var chunk in items.Chunk(500))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/feedback") { Content = JsonContent.Create(new { feedback = chunk.Select(i => new { prediction_id = i.Id, label = i.Label }) }) };
            if (key is not null)
            {
                request.Headers.Add("X-Api-Key", key);
            }

            var response = await client.SendAsync(request);
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>POST /reference as the admin (no body: the configured file again) and the reference it returns.</summary>
    public static async Task<JsonElement> PostReferenceAsync(HttpClient client, object? body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/reference") { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("X-Api-Key", AdminKey);
        var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    /// <summary>POST /drift/evaluate and the evaluation it returns.</summary>
    public static async Task<JsonElement> EvaluateAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/drift/evaluate");
        request.Headers.Add("X-Api-Key", AdminKey);
        var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.Clone();
    }

    public static IReadOnlyList<(string Text, string Label)> Dev => TestPaths.ReadTsv(TestPaths.Sst2Dev);

    public static IReadOnlyList<(string Text, string Label)> Banking => TestPaths.ReadTsv(TestPaths.Banking77Dev);

    public static IEnumerable<JsonElement> Features(JsonElement drift) => drift.GetProperty("evaluation").GetProperty("features").EnumerateArray();

    /// <summary>A feature's primary effect size, checked against the measure it names.</summary>
    public static double EffectSize(JsonElement feature) =>
        feature.GetProperty("tests").EnumerateArray().Single(t => t.GetProperty("test").GetString() == feature.GetProperty("effect_measure").GetString()).GetProperty("statistic").GetDouble() is var fromTests && fromTests == feature.GetProperty("effect_size").GetDouble() ? fromTests : double.NaN;

    /// <summary>Reads the audit as an operator would: with the admin key, which reading needs once any key is configured.</summary>
    public static async Task<string> GetAuditAsync(HttpClient client, string pathAndQuery)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        request.Headers.Add("X-Api-Key", AdminKey);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }
}
