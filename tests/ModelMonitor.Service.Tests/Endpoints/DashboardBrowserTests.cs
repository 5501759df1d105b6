using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ModelMonitor.Service.Tests.Monitoring;
using ModelMonitor.Testing;
using Xunit.Abstractions;

namespace ModelMonitor.Service.Tests.Endpoints;

/// <summary>
/// Issue 16, item 5: GET /dashboard and the HTML report in a real browser (Debian's chromium,
/// headless, driven over the DevTools protocol) after the scenario on the real model. Each chart
/// must have drawn the data the API (or the report's own data) holds, point for point; the page
/// must log no error, fail no request and ask no other host for anything.
/// </summary>
public sealed partial class DashboardBrowserTests(DashboardScenario scenario, ITestOutputHelper output) : IClassFixture<DashboardScenario>
{
    private static readonly string[] Severities = ["none", "low", "medium", "high", "critical"];

    private static readonly string KeyScript = $"sessionStorage.setItem('modelmonitor.apiKey', '{MonitoringClient.AdminKey}');";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>Rendered, with its data: the feature table and the first history chart are drawn.</summary>
    private const string Ready = "Number(document.getElementById('mm-diagnostics').dataset.rendered) >= 1 && document.querySelectorAll('#mm-feature-table tr.mm-feature').length > 0 && document.querySelector('#chart-accuracy[data-drawn=\"true\"]') !== null && document.querySelector('#chart-distribution[data-drawn=\"true\"]') !== null";

    /// <summary>What the page shows: per figure its title, the values of each series' points and bars, and its text alternatives.</summary>
    private const string Probe = """
        (function () {
          var figures = {};
          document.querySelectorAll('figure.mm-chart').forEach(function (f) {
            var svg = f.querySelector('svg');
            var series = {};
            f.querySelectorAll('g.ct-series').forEach(function (g) {
              var name = Array.prototype.filter.call(g.classList, function (c) { return c !== 'ct-series'; }).join(' ');
              var values = Array.prototype.map.call(g.querySelectorAll('.ct-point, .ct-bar'), function (p) { return p.getAttribute('ct:value'); });
              series[name] = (series[name] || []).concat([values]);
            });
            figures[f.id] = {
              title: f.querySelector('h3').textContent,
              labelled: f.getAttribute('aria-labelledby') !== null && f.getAttribute('aria-describedby') !== null,
              drawn: f.getAttribute('data-drawn') === 'true',
              empty: f.querySelector('.mm-empty') !== null,
              svg_title: svg && svg.querySelector('title') ? svg.querySelector('title').textContent : null,
              svg_desc: svg && svg.querySelector('desc') ? svg.querySelector('desc').textContent : null,
              svg_role: svg ? svg.getAttribute('role') : null,
              table_rows: f.querySelectorAll('details table tbody tr').length,
              bands: f.querySelectorAll('path.mm-band').length,
              series: series
            };
          });
          return {
            figures: figures,
            features: Array.prototype.map.call(document.querySelectorAll('#mm-feature-table tr.mm-feature'), function (r) { return r.getAttribute('data-feature'); }),
            severity: document.querySelector('#mm-subtitle .mm-badge').textContent,
            diagnostics: JSON.parse(document.getElementById('mm-diagnostics').textContent)
          };
        })()
        """;

    [Fact]
    public async Task The_dashboard_draws_every_panel_from_the_services_data_without_errors_or_outside_requests()
    {
        await using var browser = await HeadlessChromium.StartAsync();
        var page = await browser.OpenAsync(scenario.BaseAddress + "/dashboard", KeyScript);
        await page.WaitForAsync(Ready, Deadline);
        var shown = await page.EvaluateAsync(Probe);
        var figures = shown.GetProperty("figures");

        // What the API says, read with the key as the page reads it.
        var drift = JsonDocument.Parse(await scenario.Client.GetStringAsync("/drift")).RootElement;
        var report = JsonDocument.Parse(await scenario.Client.GetStringAsync("/report")).RootElement;
        var history = (await scenario.GetAsync("/drift/history?max_points=300")).GetProperty("evaluations").EnumerateArray().ToArray();
        var alerts = (await scenario.GetAsync("/audit?kind=alert&limit=1000")).GetProperty("records").EnumerateArray()
            .Select(r => r.GetProperty("alert").GetProperty("id").GetString()).Distinct().ToArray();
        Assert.Equal(4, history.Length); // the first evaluation was skipped (the live reference had just frozen) and is not recorded

        // Now: severity and every feature of the latest evaluation, in its order.
        Assert.Equal(drift.GetProperty("severity").GetString(), shown.GetProperty("severity").GetString());
        Assert.Equal(
            drift.GetProperty("evaluation").GetProperty("features").EnumerateArray().Select(f => f.GetProperty("feature").GetString()),
            shown.GetProperty("features").EnumerateArray().Select(f => f.GetString()));

        // Over time: each evaluation's accuracy, F1, severity and drifted-feature count, point for point.
        var accuracy = figures.GetProperty("chart-accuracy");
        Assert.Equal(history.Select(e => e.GetProperty("performance").GetProperty("accuracy").GetDouble()), Ys(accuracy, "mm-s1"));
        Assert.Equal(1, accuracy.GetProperty("bands").GetInt32());
        Assert.All(Ys(accuracy, "mm-baseline"), y => Assert.Equal(0.81, y));
        var prf = figures.GetProperty("chart-prf");
        Assert.Equal(history.Select(e => e.GetProperty("performance").GetProperty("f1").GetDouble()), Ys(prf, "mm-s3"));
        Assert.Equal(history.Select(e => e.GetProperty("performance").GetProperty("precision_macro").GetDouble()), Ys(prf, "mm-s2"));
        Assert.Equal(history.Select(e => e.GetProperty("performance").GetProperty("recall_macro").GetDouble()), Ys(prf, "mm-s4"));
        Assert.Equal(1, prf.GetProperty("bands").GetInt32());
        Assert.Equal(history.Select(e => (double)Array.IndexOf(Severities, e.GetProperty("severity").GetString())), Ys(figures.GetProperty("chart-severity"), "mm-sev-series"));
        Assert.Contains(Ys(figures.GetProperty("chart-severity"), "mm-sev-series"), y => y >= 2);
        Assert.Equal(history.Select(e => (double)e.GetProperty("drifted_features").GetArrayLength()), Ys(figures.GetProperty("chart-drifted"), "mm-s5"));

        // Volume and label mix: the stacked bars add up to every prediction sent, split by label.
        var volume = figures.GetProperty("chart-volume").GetProperty("series");
        Assert.Equal(scenario.Predictions, volume.EnumerateObject().Sum(s => Values(s.Value).Sum()));
        Assert.True(volume.EnumerateObject().Count() >= 2, "one bar series per predicted label");

        // Latency from /metrics: percentiles in order.
        var latency = figures.GetProperty("chart-latency");
        var (p50, p90, p99) = (Ys(latency, "mm-s3"), Ys(latency, "mm-s2"), Ys(latency, "mm-s5"));
        Assert.NotEmpty(p50);
        Assert.All(p50.Zip(p90, p99), p => Assert.True(p.First > 0 && p.First <= p.Second && p.Second <= p.Third, $"{p.First} {p.Second} {p.Third}"));

        // The distribution of the selected feature: one bar per bin for each side, the shares the latest record holds.
        var histogram = (await scenario.GetAsync("/drift/history?max_points=300")).GetProperty("latest").GetProperty("features").EnumerateArray()
            .Single(f => f.GetProperty("feature").GetString() == Selected(figures)).GetProperty("histogram");
        AssertShares(histogram, figures.GetProperty("chart-distribution"));

        // Alerts: the type counts the report holds, and one span per alert in the audit trail.
        var byType = report.GetProperty("drift").GetProperty("alerts_by_type").EnumerateObject().Select(p => (double)p.Value.GetInt32()).ToArray();
        Assert.Equal(byType.OrderBy(v => v), Values(figures.GetProperty("chart-alert-types").GetProperty("series").EnumerateObject().Single().Value).OrderBy(v => v));
        Assert.Equal(alerts.Length, figures.GetProperty("chart-alert-timeline").GetProperty("series").EnumerateObject().Sum(s => s.Value.GetArrayLength()));
        Assert.True(alerts.Length >= 1);

        AssertAccessible(figures);
        AssertClean(page, scenario.BaseAddress + "/");
        await SaveAsync(page, "dashboard.png");
    }

    [Fact]
    public async Task A_feature_chosen_with_the_keyboard_shows_its_distribution()
    {
        await using var browser = await HeadlessChromium.StartAsync();
        var page = await browser.OpenAsync(scenario.BaseAddress + "/dashboard", KeyScript);
        await page.WaitForAsync(Ready, Deadline);
        var features = (await page.EvaluateAsync(Probe)).GetProperty("features").EnumerateArray().Select(f => f.GetString()!).ToArray();
        var target = features[^1];
        Assert.NotEqual(target, Selected((await page.EvaluateAsync(Probe)).GetProperty("figures")));

        // Tab from the top of the page to the feature's button, then press Enter.
        var reached = false;
        for (var i = 0; i < 80 && !reached; i++)
        {
            await page.PressAsync("Tab");
            reached = (await page.EvaluateAsync("document.activeElement ? document.activeElement.textContent : ''")).GetString() == target;
        }

        Assert.True(reached, $"Tab never reached the button of {target}.");
        await page.PressAsync("Enter");
        await page.WaitForAsync($"document.getElementById('chart-distribution-title').textContent === 'Distribution: {target}' && document.querySelector('#chart-distribution[data-drawn=\"true\"]') !== null", Deadline);
        var shown = await page.EvaluateAsync(Probe);
        var histogram = (await scenario.GetAsync("/drift/history?max_points=300")).GetProperty("latest").GetProperty("features").EnumerateArray()
            .Single(f => f.GetProperty("feature").GetString() == target).GetProperty("histogram");
        AssertShares(histogram, shown.GetProperty("figures").GetProperty("chart-distribution"));
        Assert.Equal("true", (await page.EvaluateAsync($"document.querySelector('tr[data-feature=\"{target}\"]').getAttribute('aria-selected')")).GetString());

        // A refresh redraws the page but leaves the keyboard focus, and the selection, where they were.
        var rendered = (await page.EvaluateAsync("document.getElementById('mm-diagnostics').dataset.rendered")).GetString();
        await page.EvaluateAsync("document.getElementById('mm-refresh').click()");
        await page.WaitForAsync($"document.getElementById('mm-diagnostics').dataset.rendered !== '{rendered}'", Deadline);
        Assert.Equal("mm-feature-" + target, (await page.EvaluateAsync("document.activeElement.id")).GetString());
        Assert.Equal("Distribution: " + target, (await page.EvaluateAsync("document.getElementById('chart-distribution-title').textContent")).GetString());
        AssertClean(page, scenario.BaseAddress + "/");
    }

    [Fact]
    public async Task Without_a_key_the_dashboard_asks_for_one_and_then_shows_the_history()
    {
        await using var browser = await HeadlessChromium.StartAsync();
        var page = await browser.OpenAsync(scenario.BaseAddress + "/dashboard");

        // The open endpoints still draw "now"; the audit-backed ones answered 401, so the page asks.
        await page.WaitForAsync("document.getElementById('mm-key') !== null && document.querySelectorAll('#mm-feature-table tr.mm-feature').length > 0", Deadline);
        Assert.Equal("0", (await page.EvaluateAsync("document.getElementById('chart-accuracy').getAttribute('data-points')")).GetString());
        Assert.All(page.FailedRequests, f => Assert.Matches(@"^401 http://127\.0\.0\.1:\d+/(drift/history|traffic/history|audit)\?", f));

        await page.EvaluateAsync("document.getElementById('mm-key').focus()");
        await page.TypeAsync(MonitoringClient.AdminKey);
        await page.PressAsync("Enter");
        await page.WaitForAsync(Ready + " && document.getElementById('mm-key') === null", Deadline);
        Assert.Equal(MonitoringClient.AdminKey, (await page.EvaluateAsync("sessionStorage.getItem('modelmonitor.apiKey')")).GetString());
        var figures = (await page.EvaluateAsync(Probe)).GetProperty("figures");
        Assert.Equal(4, Ys(figures.GetProperty("chart-accuracy"), "mm-s1").Length);
    }

    [Fact]
    public async Task The_html_report_opened_from_disk_draws_the_same_panels_and_requests_nothing()
    {
        var html = await File.ReadAllTextAsync(scenario.ReportPath);
        using var embedded = JsonDocument.Parse(DataBlock().Match(html).Groups[1].Value);
        var data = embedded.RootElement;
        var url = new Uri(scenario.ReportPath).AbsoluteUri;

        await using var browser = await HeadlessChromium.StartAsync();
        var page = await browser.OpenAsync(url);
        await page.WaitForAsync(Ready, Deadline);
        var shown = await page.EvaluateAsync(Probe);
        var figures = shown.GetProperty("figures");

        // The report's own data, drawn: the same history the service serves, and the same features.
        var history = data.GetProperty("history").EnumerateArray().ToArray();
        var served = (await scenario.GetAsync("/drift/history?max_points=300")).GetProperty("evaluations").EnumerateArray().ToArray();
        Assert.Equal(served.Select(e => e.GetProperty("id").GetString()), history.Select(e => e.GetProperty("id").GetString()));
        Assert.Equal(history.Select(e => e.GetProperty("performance").GetProperty("accuracy").GetDouble()), Ys(figures.GetProperty("chart-accuracy"), "mm-s1"));
        Assert.Equal(history.Select(e => (double)Array.IndexOf(Severities, e.GetProperty("severity").GetString())), Ys(figures.GetProperty("chart-severity"), "mm-sev-series"));
        Assert.Equal(
            data.GetProperty("now").GetProperty("features").EnumerateArray().Select(f => f.GetProperty("feature").GetString()),
            shown.GetProperty("features").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(12, shown.GetProperty("features").GetArrayLength());
        Assert.Equal(scenario.Predictions, figures.GetProperty("chart-volume").GetProperty("series").EnumerateObject().Sum(s => Values(s.Value).Sum()));
        Assert.NotEmpty(Ys(figures.GetProperty("chart-latency"), "mm-s3"));
        Assert.Equal(data.GetProperty("alerts").GetArrayLength(), figures.GetProperty("chart-alert-timeline").GetProperty("series").EnumerateObject().Sum(s => s.Value.GetArrayLength()));
        AssertShares(data.GetProperty("now").GetProperty("features").EnumerateArray().Single(f => f.GetProperty("feature").GetString() == Selected(figures)).GetProperty("histogram"), figures.GetProperty("chart-distribution"));

        // The period, counts and recommendations are on the page.
        var text = (await page.EvaluateAsync("document.body.innerText")).GetString()!;
        Assert.Contains("period", text, StringComparison.Ordinal);
        Assert.Contains(data.GetProperty("recommendations")[0].GetString()!, text, StringComparison.Ordinal);
        Assert.Contains("900", text, StringComparison.Ordinal);

        AssertAccessible(figures);
        AssertClean(page, url);
        Assert.Equal([url], page.Requests.Distinct());
        await SaveAsync(page, "report.png");
    }

    /// <summary>The y values of a series' points ("x,y"), or a bar series' values.</summary>
    private static double[] Ys(JsonElement figure, string series) =>
        figure.GetProperty("series").TryGetProperty(series, out var found)
            ? [.. found.EnumerateArray().SelectMany(s => s.EnumerateArray()).Select(v => double.Parse(v.GetString()!.Split(',')[^1], CultureInfo.InvariantCulture))]
            : [];

    private static double[] Values(JsonElement series) =>
        [.. series.EnumerateArray().SelectMany(s => s.EnumerateArray()).Select(v => double.Parse(v.GetString()!.Split(',')[^1], CultureInfo.InvariantCulture))];

    private static string Selected(JsonElement figures) => figures.GetProperty("chart-distribution").GetProperty("title").GetString()!["Distribution: ".Length..];

    /// <summary>The chart's bars are the histogram's counts as shares of each side, bin by bin.</summary>
    private static void AssertShares(JsonElement histogram, JsonElement chart)
    {
        double[] Shares(string side)
        {
            var counts = histogram.GetProperty(side).EnumerateArray().Select(c => c.GetDouble()).ToArray();
            return [.. counts.Select(c => c / counts.Sum())];
        }

        var reference = Ys(chart, "mm-s1");
        var current = Ys(chart, "mm-s2");
        Assert.Equal(Shares("reference").Length, reference.Length);
        Assert.True(reference.Length >= 2);
        Assert.All(Shares("reference").Zip(reference), p => Assert.Equal(p.First, p.Second, 9));
        Assert.All(Shares("current").Zip(current), p => Assert.Equal(p.First, p.Second, 9));
    }

    /// <summary>Every chart has a title and a text alternative: the SVG's title and description, and its data as a table.</summary>
    private static void AssertAccessible(JsonElement figures)
    {
        foreach (var figure in figures.EnumerateObject())
        {
            var f = figure.Value;
            Assert.True(f.GetProperty("labelled").GetBoolean(), figure.Name);
            Assert.False(f.GetProperty("empty").GetBoolean(), $"{figure.Name} drew nothing");
            Assert.True(f.GetProperty("drawn").GetBoolean(), figure.Name);
            Assert.Equal("img", f.GetProperty("svg_role").GetString());
            Assert.Equal(f.GetProperty("title").GetString(), f.GetProperty("svg_title").GetString());
            Assert.False(string.IsNullOrWhiteSpace(f.GetProperty("svg_desc").GetString()), figure.Name);
            Assert.True(f.GetProperty("table_rows").GetInt32() > 0, $"{figure.Name} has no data table");
        }
    }

    /// <summary>No console error, no uncaught exception, no failed request, and nothing asked of any other origin.</summary>
    private static void AssertClean(ChromiumPage page, string origin)
    {
        Assert.True(page.Errors.Count == 0, "Errors: " + string.Join(" | ", page.Errors));
        Assert.True(page.FailedRequests.Count == 0, "Failed requests: " + string.Join(" | ", page.FailedRequests));
        Assert.NotEmpty(page.Requests);
        Assert.All(page.Requests, r => Assert.True(r.StartsWith(origin, StringComparison.Ordinal) || r.StartsWith("data:", StringComparison.Ordinal), $"A request left the page's origin: {r}"));
    }

    private async Task SaveAsync(ChromiumPage page, string name)
    {
        var path = Path.Combine(DashboardScenario.Artifacts, name);
        await File.WriteAllBytesAsync(path, await page.ScreenshotAsync());
        output.WriteLine($"Screenshot: {path}");
    }

    [GeneratedRegex("""<script type="application/json" id="mm-data">(.*?)</script>""", RegexOptions.Singleline)]
    private static partial Regex DataBlock();
}
