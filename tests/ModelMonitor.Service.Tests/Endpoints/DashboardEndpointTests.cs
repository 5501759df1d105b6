using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ModelMonitor.Service.Tests.Endpoints;

/// <summary>Issue 16, item 2: GET /dashboard is one self-sufficient page that refers to no other host.</summary>
public sealed partial class DashboardEndpointTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    /// <summary>
    /// XML namespace names: identifiers that look like URLs but are never fetched (the SVG and XHTML
    /// namespaces, and the one Chartist names its own attributes with).
    /// </summary>
    private static readonly string[] NamespaceNames =
    [
        "http://www.w3.org/2000/svg",
        "http://www.w3.org/1999/xhtml",
        "http://www.w3.org/1999/xlink",
        "http://www.w3.org/2000/xmlns/",
        "http://gionkunz.github.com/chartist-js/ct",
    ];

    [Fact]
    public async Task The_page_refers_to_no_other_host_and_its_policy_lets_only_its_own_scripts_run()
    {
        using var response = await factory.CreateClient().GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();

        // Scripts, styles, fonts, images, links: nothing with an address of another host.
        var addresses = HostAddress().Matches(html).Select(m => m.Value).Distinct().ToArray();
        Assert.True(addresses.All(NamespaceNames.Contains), "Addresses of other hosts in the page: " + string.Join(", ", addresses.Except(NamespaceNames)));
        foreach (var match in Reference().Matches(html).Cast<Match>())
        {
            var target = match.Groups["target"].Value;
            Assert.True(target.StartsWith("data:", StringComparison.Ordinal) || target.StartsWith('/') && !target.StartsWith("//", StringComparison.Ordinal), $"The page loads {match.Value}");
        }

        Assert.DoesNotContain("@import", html, StringComparison.Ordinal);
        Assert.DoesNotContain("url(", html, StringComparison.Ordinal);
        Assert.DoesNotContain("@font-face", html, StringComparison.Ordinal);

        // The script asks the service only, by path: one fetch call, behind request(path), and every path starts with '/'.
        Assert.Single(FetchCall().Matches(html));
        var paths = RequestCall().Matches(html).Select(m => m.Groups[1].Value).ToArray();
        Assert.Contains("/drift", paths);
        Assert.Contains("/drift/history?detail=summary&max_points=", paths);
        Assert.All(paths, path => Assert.Matches("^/[a-z]", path));

        // The browser is told the same: its own inline scripts only (by hash), requests to this service only.
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", policy, StringComparison.Ordinal);
        var scripts = InlineScript().Matches(html).Select(m => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(m.Groups[1].Value)))}'").ToArray();
        Assert.Equal(2, scripts.Length); // Chartist and the dashboard's script
        Assert.All(scripts, hash => Assert.Contains(hash, policy, StringComparison.Ordinal));
        var scriptSources = policy.Split("script-src")[1].Split(';')[0];
        Assert.DoesNotContain("unsafe", scriptSources, StringComparison.Ordinal);
        Assert.DoesNotContain("http", scriptSources, StringComparison.Ordinal);
        Assert.DoesNotContain("*", scriptSources, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_page_carries_the_dashboard_settings_and_no_data()
    {
        using var custom = new ConfiguredServiceFactory(new() { ["Dashboard:RefreshSeconds"] = "42", ["Dashboard:RangeHours"] = "6", ["Dashboard:MaxPoints"] = "77", ["Dashboard:TrafficBuckets"] = "12" });
        var html = await custom.CreateClient().GetStringAsync("/dashboard");
        using var config = JsonDocument.Parse(ConfigBlock().Match(html).Groups[1].Value);
        Assert.Equal(42, config.RootElement.GetProperty("refresh_seconds").GetInt32());
        Assert.Equal(6, config.RootElement.GetProperty("range_hours").GetInt32());
        Assert.Equal(77, config.RootElement.GetProperty("max_points").GetInt32());
        Assert.Equal(12, config.RootElement.GetProperty("traffic_buckets").GetInt32());
        Assert.Equal("null", DataBlock().Match(html).Groups[1].Value);
    }

    [Fact]
    public async Task Turned_off_the_dashboard_is_404()
    {
        using var off = new ConfiguredServiceFactory(new() { ["Dashboard:Enabled"] = "false" });
        using var response = await off.CreateClient().GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("Dashboard:RefreshSeconds", "-1")]
    [InlineData("Dashboard:RangeHours", "-5")]
    [InlineData("Dashboard:MaxPoints", "1")]
    [InlineData("Dashboard:TrafficBuckets", "0")]
    public async Task A_bad_dashboard_setting_stops_startup_naming_it(string key, string value)
    {
        var (exitCode, output) = await Hosting.ServiceProcess.RunToExitAsync(TimeSpan.FromSeconds(60), "--urls", "http://127.0.0.1:0", $"--Model:Path={ModelMonitor.Testing.TestPaths.Sst2TinyModel}", $"--{key}={value}");
        Assert.Equal(1, exitCode);
        var line = Assert.Single(output.Split('\n'), l => l.Contains("cannot start", StringComparison.Ordinal));
        Assert.Contains(key, line, StringComparison.Ordinal);
    }

    /// <summary>Anything shaped like an address on a host: scheme-relative or http(s), with a dotted host name.</summary>
    [GeneratedRegex(@"(?i)(?:https?:)?//[a-z0-9-]+(?:\.[a-z0-9-]+)+[^\s""'<>)]*")]
    private static partial Regex HostAddress();

    [GeneratedRegex(@"(?i)\b(?:src|href|action|srcset|poster)\s*=\s*[""']?(?<target>[^""'\s>]+)")]
    private static partial Regex Reference();

    [GeneratedRegex(@"\bfetch\(")]
    private static partial Regex FetchCall();

    [GeneratedRegex(@"\brequest\('([^']*)'")]
    private static partial Regex RequestCall();

    [GeneratedRegex(@"<script>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex InlineScript();

    [GeneratedRegex("""<script type="application/json" id="mm-config">(.*?)</script>""", RegexOptions.Singleline)]
    private static partial Regex ConfigBlock();

    [GeneratedRegex("""<script type="application/json" id="mm-data">(.*?)</script>""", RegexOptions.Singleline)]
    private static partial Regex DataBlock();
}
