using System.Text.Json;
using ModelMonitor.Service.Tests.Hosting;
using ModelMonitor.Service.Tests.Metrics;
using ModelMonitor.Testing;

namespace ModelMonitor.Service.Tests.Protocols;

/// <summary>
/// Hugging Face's own JavaScript client (npm @huggingface/inference, installed by .ci/run in
/// tools/hf-client, or by this test when missing) calling the real service process, as a Hugging Face user's code does.
/// </summary>
public sealed class HuggingFaceClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_hugging_face_client_gets_the_models_labels_and_scores_for_one_text_and_for_a_list()
    {
        var clientFolder = Path.Combine(TestPaths.RepositoryRoot, "tools", "hf-client");
        var installed = Path.Combine(clientFolder, "node_modules", "@huggingface", "inference");
        if (!Directory.Exists(installed))
        {
            // A fresh clone runs the README's `dotnet test` alone: install the pinned client from its lock file, as .ci/run does.
            var (npmExit, npmOutput) = await ExternalTool.RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], workingDirectory: clientFolder);
            Assert.True(npmExit == 0, "npm ci in tools/hf-client failed (Node.js with npm is needed, see the README):\n" + npmOutput);
        }

        Assert.True(Directory.Exists(installed), "Run `npm ci` in tools/hf-client (.ci/run does).");
        var workingDirectory = Directory.CreateTempSubdirectory("mm-hf-client-").FullName;
        try
        {
            await using var service = await RunningService.StartAsync(workingDirectory, Timeout, "--urls", "http://127.0.0.1:0", $"--Model:Path={TestPaths.Sst2TinyModel}", $"--Audit:Directory={Path.Combine(workingDirectory, "audit")}");
            using var http = new HttpClient { BaseAddress = service.Address };
            await WaitUntilReadyAsync(http);
            string[] texts = ["I love this product!", "This is terrible.", "an ordinary afternoon"];
            var native = await ProtocolAssertions.NativeScoresAsync(http, texts);

            var (exitCode, output) = await ExternalTool.RunAsync("node", ["classify.mjs", new Uri(service.Address!, "/").ToString(), JsonSerializer.Serialize(texts)], workingDirectory: clientFolder);
            Assert.True(exitCode == 0, output);
            using var result = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
            var root = result.RootElement;

            AssertScores(native[0], root.GetProperty("single"));

            // For a list the client sends every text and, by its own contract, returns the first text's answer.
            AssertScores(native[0], root.GetProperty("list"));
            var each = root.GetProperty("each").EnumerateArray().ToArray();
            Assert.Equal(texts.Length, each.Length);
            for (var i = 0; i < texts.Length; i++)
            {
                AssertScores(native[i], each[i]);
            }

            var top = Assert.Single(root.GetProperty("topOne").EnumerateArray());
            Assert.Equal(native[0].MaxBy(s => s.Value).Key, top.GetProperty("label").GetString());

            // A refusal reaches the client's error with the service's message, from the "error" field.
            Assert.Contains("function_to_apply", root.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(workingDirectory, recursive: true);
        }
    }

    /// <summary>Every label with the native score, highest first.</summary>
    private static void AssertScores(Dictionary<string, double> expected, JsonElement answer)
    {
        var items = answer.EnumerateArray().Select(e => (Label: e.GetProperty("label").GetString()!, Score: e.GetProperty("score").GetDouble())).ToArray();
        Assert.Equal(expected.OrderByDescending(e => e.Value).Select(e => e.Key), items.Select(i => i.Label));
        foreach (var (label, score) in items)
        {
            Assert.Equal(expected[label], score, 1e-12);
        }
    }

    private static async Task WaitUntilReadyAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while ((await http.GetAsync("/health/ready")).StatusCode != System.Net.HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, "The service did not become ready.");
            await Task.Delay(100);
        }
    }
}
