using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ModelMonitor.Service.Hosting;
using ModelMonitor.Service.Inference;
using ModelMonitor.Testing;

namespace ModelMonitor.Service.Tests.Inference;

public sealed class BatchingTests
{
    [Fact]
    public async Task Concurrent_requests_share_a_batch_and_get_the_answers_they_would_get_alone()
    {
        var texts = TestPaths.ReadTsv(TestPaths.Sst2Dev).Take(12).Select(r => r.Text).ToArray();
        using var batched = new ConfiguredServiceFactory(new() { ["Batching:MaxWaitMs"] = "200" });
        var client = batched.CreateClient();
        var sizes = batched.Services.GetRequiredService<ServiceMetrics>().BatchSize;
        var answers = await Task.WhenAll(texts.Select(t => client.PostAsJsonAsync("/predict", new { texts = new[] { t } })));
        var batchedScores = await Task.WhenAll(answers.Select(ScoreAsync));

        using var alone = new ConfiguredServiceFactory(new() { ["Batching:Enabled"] = "false" });
        var aloneClient = alone.CreateClient();
        foreach (var (text, score) in texts.Zip(batchedScores))
        {
            var single = await ScoreAsync(await aloneClient.PostAsJsonAsync("/predict", new { texts = new[] { text } }));
            Assert.Equal(single, score, 1e-5);
        }

        // Every text ran exactly once, in fewer calls than texts: some call held more than one.
        Assert.Equal(texts.Length, sizes.Sum);
        Assert.True(sizes.Count < texts.Length, $"{sizes.Count} calls for {texts.Length} texts");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Calls_run_concurrently_up_to_the_configured_workers_and_each_text_gets_the_models_answer(int workers)
    {
        var texts = TestPaths.ReadTsv(TestPaths.Sst2Dev).Take(48).Select(r => r.Text).ToArray();
        using var factory = new ConfiguredServiceFactory(new() { ["Batching:Workers"] = workers.ToString(CultureInfo.InvariantCulture), ["Batching:MaxBatchTexts"] = "1" });
        factory.CreateClient();
        var metrics = factory.Services.GetRequiredService<ServiceMetrics>();
        var batcher = factory.Services.GetRequiredService<InferenceBatcher>();
        var classifier = factory.Services.GetRequiredService<ModelHost>().Classifier;

        // Whether two calls overlap depends on scheduling (a busy machine may run them one after
        // the other), so up to five rounds may pass before the peak reaches the workers; it may
        // never exceed them, and every text gets the model's own answer in every round.
        var alone = classifier.Classify(texts);
        for (var round = 0; round < 5 && metrics.PeakActiveCalls < workers; round++)
        {
            var outcomes = await Task.WhenAll(texts.Select(t => batcher.SubmitAsync([classifier.Tokenize(t)], CancellationToken.None)));
            for (var i = 0; i < texts.Length; i++)
            {
                Assert.Equal(alone[i].Label, outcomes[i].Results[0].Label);
                Assert.Equal(alone[i].Score, outcomes[i].Results[0].Score, 1e-6);
            }

            Assert.True(metrics.PeakActiveCalls <= workers, $"{metrics.PeakActiveCalls} calls ran at once with {workers} workers");
        }

        Assert.Equal(workers, metrics.PeakActiveCalls);
        Assert.Equal(0, metrics.ActiveCalls);
    }

    [Fact]
    public async Task A_caller_that_blocks_after_its_answer_does_not_stop_the_batcher_serving_the_next_request()
    {
        // One worker: were a finished request resumed on the worker itself, a caller blocking in its
        // continuation would hold the only worker, and the second request would never run.
        using var factory = new ConfiguredServiceFactory(new() { ["Batching:Workers"] = "1" });
        factory.CreateClient();
        var batcher = factory.Services.GetRequiredService<InferenceBatcher>();
        var classifier = factory.Services.GetRequiredService<ModelHost>().Classifier;
        using var release = new ManualResetEventSlim();
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = Task.Run(async () =>
        {
            await batcher.SubmitAsync([classifier.Tokenize("the first caller")], CancellationToken.None);
            answered.SetResult();
            release.Wait(TimeSpan.FromMinutes(2));
        });

        await answered.Task.WaitAsync(TimeSpan.FromSeconds(60));
        try
        {
            var second = await batcher.SubmitAsync([classifier.Tokenize("the second caller")], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(classifier.Classify(new[] { "the second caller" })[0].Label, second.Results[0].Label);
        }
        finally
        {
            release.Set();
        }

        await first;
    }

    [Fact]
    public async Task A_full_queue_answers_429_with_retry_after()
    {
        using var factory = new ConfiguredServiceFactory(new() { ["Batching:MaxQueuedTexts"] = "2", ["Batching:MaxWaitMs"] = "400" });
        var client = factory.CreateClient();
        (await client.PostAsJsonAsync("/predict", new { texts = new[] { "warm-up" } })).EnsureSuccessStatusCode();
        var metrics = factory.Services.GetRequiredService<ServiceMetrics>();
        var first = client.PostAsJsonAsync("/predict", new { texts = new[] { "one", "two" } });
        for (var i = 0; i < 200 && metrics.QueuedTexts < 2; i++)
        {
            await Task.Delay(5);
        }

        Assert.Equal(2, metrics.QueuedTexts);
        var second = await client.PostAsJsonAsync("/predict", new { texts = new[] { "three" } });
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal("1", second.Headers.GetValues("Retry-After").Single());
        using var problem = JsonDocument.Parse(await second.Content.ReadAsStringAsync());
        Assert.Contains("Batching:MaxQueuedTexts", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await first).StatusCode);
    }

    [Fact]
    public async Task A_request_whose_deadline_passes_in_the_queue_gets_503()
    {
        using var factory = new ConfiguredServiceFactory(new() { ["Batching:RequestTimeoutMs"] = "20", ["Batching:MaxWaitMs"] = "300" });
        var response = await factory.CreateClient().PostAsJsonAsync("/predict", new { texts = new[] { "too slow" } });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("deadline", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_whose_client_left_is_dropped_before_inference()
    {
        using var factory = new ConfiguredServiceFactory(new() { ["Batching:MaxWaitMs"] = "200" });
        factory.CreateClient();
        var sizes = factory.Services.GetRequiredService<ServiceMetrics>().BatchSize;
        var batcher = factory.Services.GetRequiredService<InferenceBatcher>();
        var classifier = factory.Services.GetRequiredService<ModelHost>().Classifier;
        using var gone = new CancellationTokenSource();
        var abandoned = batcher.SubmitAsync([classifier.Tokenize("nobody is waiting"), classifier.Tokenize("for these")], gone.Token);
        var kept = batcher.SubmitAsync([classifier.Tokenize("somebody is")], CancellationToken.None);
        await gone.CancelAsync();

        var outcome = await kept;
        Assert.Single(outcome.Results);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        Assert.Equal(1, sizes.Sum);
    }

    [Fact]
    public async Task Stage_timings_are_sent_as_server_timing_when_enabled()
    {
        using var factory = new ConfiguredServiceFactory(new() { ["Batching:TimingHeaders"] = "true" });
        var response = await factory.CreateClient().PostAsJsonAsync("/predict", new { texts = new[] { "timed" } });
        var header = response.Headers.GetValues("Server-Timing").Single();
        Assert.Contains("tokenize;dur=", header, StringComparison.Ordinal);
        Assert.Contains("queue;dur=", header, StringComparison.Ordinal);
        Assert.Contains("inference;dur=", header, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_timing_stages_fit_within_the_request_when_many_texts_share_a_call()
    {
        using var factory = new ConfiguredServiceFactory(new() { ["Batching:TimingHeaders"] = "true" });
        var client = factory.CreateClient();
        var texts = TestPaths.ReadTsv(TestPaths.Sst2Dev).Take(32).Select(r => r.Text).ToArray();
        (await client.PostAsJsonAsync("/predict", new { texts })).EnsureSuccessStatusCode();

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var response = await client.PostAsJsonAsync("/predict", new { texts });
        var elapsedMs = watch.Elapsed.TotalMilliseconds;

        response.EnsureSuccessStatusCode();
        var stages = response.Headers.GetValues("Server-Timing").Single().Split(',')
            .Select(part => part.Trim().Split(";dur="))
            .ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));
        Assert.True(stages["inference"] > 0);
        Assert.True(stages["tokenize"] + stages["queue"] + stages["inference"] <= elapsedMs, $"stages {string.Join(", ", stages)} exceed the request's {elapsedMs:F1} ms");
    }

    private static async Task<double> ScoreAsync(HttpResponseMessage response)
    {
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("predictions")[0].GetProperty("scores").GetProperty("POSITIVE").GetDouble();
    }
}
