using System.Text.Json;
using ModelMonitor.Service.Tests.Metrics;
using ModelMonitor.Testing;

namespace ModelMonitor.Service.Tests.ScaleOut;

/// <summary>
/// The scale-out compose stack (docker/docker-compose.scale-out.yml), checked with the real tools
/// since Docker cannot run here: a YAML parse of the compose file, promtool on its Prometheus config.
/// </summary>
public sealed class ScaleOutStackTests
{
    private static string Docker(params string[] parts) => Path.Combine([TestPaths.RepositoryRoot, "docker", .. parts]);

    [Fact]
    public async Task Compose_runs_two_replicas_on_one_database_behind_a_load_balancer_with_prometheus_grafana_and_an_smtp_catcher()
    {
        const string script = "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))";
        var (exit, output) = await ExternalTool.RunAsync(Monitoring.SmtpServer.Python, ["-c", script, Docker("docker-compose.scale-out.yml")]);
        Assert.True(exit == 0, output);
        using var compose = JsonDocument.Parse(output);
        var services = compose.RootElement.GetProperty("services");
        Assert.Equal(["grafana", "loadbalancer", "mailpit", "modelmonitor-a", "modelmonitor-b", "postgres", "prometheus"], services.EnumerateObject().Select(s => s.Name).Order(StringComparer.Ordinal));
        var replicas = new[] { services.GetProperty("modelmonitor-a"), services.GetProperty("modelmonitor-b") };
        Assert.All(replicas, r => Assert.Equal("Postgres", r.GetProperty("environment").GetProperty("Audit__Store").GetString()));
        Assert.All(replicas, r => Assert.Equal("docker/Dockerfile", r.GetProperty("build").GetProperty("dockerfile").GetString()));
        Assert.Single(replicas.Select(r => r.GetProperty("environment").GetProperty("ConnectionStrings__Audit").GetString()).Distinct());
        Assert.Equal(2, replicas.Select(r => r.GetProperty("environment").GetProperty("Audit__WriterId").GetString()).Distinct().Count());
        Assert.Contains("Host=postgres;", replicas[0].GetProperty("environment").GetProperty("ConnectionStrings__Audit").GetString(), StringComparison.Ordinal);

        // The load balancer sends to both replicas; Prometheus scrapes each one, not the balancer.
        var nginx = await File.ReadAllTextAsync(Docker("nginx", "nginx.conf"));
        Assert.Contains("server modelmonitor-a:8080", nginx, StringComparison.Ordinal);
        Assert.Contains("server modelmonitor-b:8080", nginx, StringComparison.Ordinal);
        var prometheus = await File.ReadAllTextAsync(Docker("prometheus", "prometheus.scale-out.yml"));
        Assert.Contains("\"modelmonitor-a:8080\", \"modelmonitor-b:8080\"", prometheus, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_scale_out_prometheus_config_passes_promtool()
    {
        var (exit, output) = await ExternalTool.RunAsync("promtool", ["check", "config", Docker("prometheus", "prometheus.scale-out.yml")]);
        Assert.True(exit == 0, output);
    }
}
