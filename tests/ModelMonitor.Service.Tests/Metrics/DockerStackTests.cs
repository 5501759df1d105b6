using System.Text.Json;
using ModelMonitor.Testing;

namespace ModelMonitor.Service.Tests.Metrics;

/// <summary>
/// Docker cannot run on these machines, so the stack's files are checked with the real tools:
/// promtool (config, rules and rule unit tests), amtool, and a YAML parse of the compose file.
/// </summary>
public sealed class DockerStackTests
{
    private static string Docker(params string[] parts) => Path.Combine([TestPaths.RepositoryRoot, "docker", .. parts]);

    private static async Task AssertToolPasses(string tool, string[] arguments, string? workingDirectory = null)
    {
        var (exit, output) = await ExternalTool.RunAsync(tool, arguments, workingDirectory: workingDirectory);
        Assert.True(exit == 0, $"{tool} {string.Join(' ', arguments)} exited {exit}:\n{output}");
    }

    [Fact]
    public Task Prometheus_config_passes_promtool() => AssertToolPasses("promtool", ["check", "config", Docker("prometheus", "prometheus.yml")]);

    [Fact]
    public Task Alert_rules_pass_promtool_check() => AssertToolPasses("promtool", ["check", "rules", Docker("prometheus", "alerts.yml")]);

    [Fact]
    public Task Alert_rules_fire_on_the_series_meant_to_fire_them() => AssertToolPasses("promtool", ["test", "rules", "alerts.test.yml"], Docker("prometheus"));

    [Fact]
    public Task Alertmanager_config_passes_amtool() => AssertToolPasses("amtool", ["check-config", Docker("alertmanager", "alertmanager.yml")]);

    [Fact]
    public async Task Compose_runs_the_service_prometheus_alertmanager_grafana_and_an_smtp_catcher()
    {
        const string script = "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))";
        var (exit, output) = await ExternalTool.RunAsync(Monitoring.SmtpServer.Python, ["-c", script, Docker("docker-compose.yml")]);
        Assert.True(exit == 0, output);
        using var compose = JsonDocument.Parse(output);
        var services = compose.RootElement.GetProperty("services");
        Assert.Equal(["alertmanager", "grafana", "mailpit", "modelmonitor", "prometheus"], services.EnumerateObject().Select(s => s.Name).Order(StringComparer.Ordinal));
        Assert.Equal("docker/Dockerfile", services.GetProperty("modelmonitor").GetProperty("build").GetProperty("dockerfile").GetString());
        Assert.Equal("mailpit", services.GetProperty("modelmonitor").GetProperty("environment").GetProperty("Alerts__Smtp__Host").GetString());

        // Prometheus scrapes the compose service on the port the image listens on.
        var prometheus = await File.ReadAllTextAsync(Docker("prometheus", "prometheus.yml"));
        Assert.Contains("modelmonitor:8080", prometheus, StringComparison.Ordinal);
        Assert.Contains("alertmanager:9093", prometheus, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_image_is_multi_stage_non_root_and_health_checked()
    {
        var lines = (await File.ReadAllLinesAsync(Docker("Dockerfile"))).Select(l => l.Trim()).ToArray();
        Assert.True(lines.Count(l => l.StartsWith("FROM ", StringComparison.Ordinal)) >= 2);
        var user = lines.Last(l => l.StartsWith("USER ", StringComparison.Ordinal))["USER ".Length..];
        Assert.DoesNotContain(user, new[] { "root", "0", "0:0" });
        Assert.Contains(lines, l => l.StartsWith("HEALTHCHECK ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("/health/ready", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("FROM mcr.microsoft.com/dotnet/aspnet:10.0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_dashboard_uses_the_provisioned_datasource_and_has_every_required_panel()
    {
        var datasource = await File.ReadAllTextAsync(Docker("grafana", "provisioning", "datasources", "prometheus.yml"));
        Assert.Contains("uid: modelmonitor-prometheus", datasource, StringComparison.Ordinal);
        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(Docker("grafana", "dashboards", "modelmonitor.json")));
        var panels = dashboard.RootElement.GetProperty("panels").EnumerateArray().ToArray();
        Assert.All(panels, p => Assert.Equal("modelmonitor-prometheus", p.GetProperty("datasource").GetProperty("uid").GetString()));
        Assert.All(panels.SelectMany(p => p.GetProperty("targets").EnumerateArray()), t => Assert.Equal("modelmonitor-prometheus", t.GetProperty("datasource").GetProperty("uid").GetString()));
        var titles = panels.Select(p => p.GetProperty("title").GetString()!).ToArray();
        foreach (var required in new[] { "Accuracy and F1", "Prediction rate by label", "latency p50 and p99", "Batch size", "Drift p-values", "Drift effect sizes", "Active alerts" })
        {
            Assert.Contains(titles, t => t.Contains(required, StringComparison.Ordinal));
        }

        Assert.Contains(panels, p => p.GetProperty("type").GetString() == "heatmap" && p.GetProperty("targets")[0].GetProperty("expr").GetString()!.Contains("_bucket", StringComparison.Ordinal));
    }
}
