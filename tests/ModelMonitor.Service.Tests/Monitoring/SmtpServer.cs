using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ModelMonitor.Service.Tests.Monitoring;

/// <summary>
/// A real SMTP server on 127.0.0.1: Debian's python3-aiosmtpd with its Maildir handler, started
/// and stopped by the test. Stopping and starting again on the same port simulates an outage.
/// </summary>
public sealed class SmtpServer : IDisposable
{
    private Process? process;

    private readonly (string User, string Password)? credentials;
    private readonly SmtpServerTls? tls;
    private readonly int stallDataSeconds;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> output = new();

    /// <param name="start">Start listening now (false: start later, to simulate an outage).</param>
    /// <param name="credentials">Require AUTH with these credentials.</param>
    /// <param name="tls">Speak TLS with this certificate: STARTTLS (required) or implicit TLS.</param>
    /// <param name="stallDataSeconds">Wait this long after the message data before answering (a stalled server).</param>
    /// <remarks>With credentials, TLS or a stall, the server is a small aiosmtpd script, smtp_server.py.</remarks>
    public SmtpServer(bool start = true, (string User, string Password)? credentials = null, SmtpServerTls? tls = null, int stallDataSeconds = 0)
    {
        this.credentials = credentials;
        this.tls = tls;
        this.stallDataSeconds = stallDataSeconds;
        Port = FreePort();
        MailDirectory = Path.Combine(Path.GetTempPath(), "mm-mail-" + Guid.NewGuid().ToString("N"));
        if (start)
        {
            Start();
        }
    }

    /// <summary>What the server printed (the AUTH server prints each login attempt).</summary>
    public IReadOnlyCollection<string> Output => output;

    public int Port { get; }

    /// <summary>Created by the handler on the first message; delivered mail lands in <c>new/</c>.</summary>
    public string MailDirectory { get; }

    public static string Python => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    public void Start()
    {
        var info = new ProcessStartInfo(Python) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        var port = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        List<string> arguments = credentials is null && tls is null && stallDataSeconds == 0
            ? ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox", MailDirectory]
            : [Path.Combine(AppContext.BaseDirectory, "Monitoring", "smtp_server.py"), port, MailDirectory];
        if (credentials is { } login)
        {
            arguments.AddRange(["--auth", login.User, login.Password]);
        }

        if (tls is not null)
        {
            arguments.AddRange([tls.Implicit ? "--implicit-tls" : "--starttls", tls.CertificatePem, tls.KeyPem]);
        }

        if (stallDataSeconds > 0)
        {
            arguments.AddRange(["--stall-data", stallDataSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        process = Process.Start(info) ?? throw new InvalidOperationException("Could not start aiosmtpd.");
        process.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        process.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"aiosmtpd exited with {process.ExitCode}; is python3-aiosmtpd installed (.ci/run installs it)?");
            }

            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(100);
            }
        }

        throw new TimeoutException("aiosmtpd did not listen within 20 s.");
    }

    public void Stop()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process?.Dispose();
        process = null;
    }

    /// <summary>Every delivered message, as its headers and body.</summary>
    public IReadOnlyList<ReceivedMail> Messages()
    {
        var folder = Path.Combine(MailDirectory, "new");
        return Directory.Exists(folder) ? [.. Directory.EnumerateFiles(folder).Select(f => ReceivedMail.Parse(File.ReadAllText(f)))] : [];
    }

    /// <summary>Polls until the predicate holds over the delivered messages.</summary>
    public async Task<IReadOnlyList<ReceivedMail>> WaitForAsync(Func<IReadOnlyList<ReceivedMail>, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var messages = Messages();
            if (done(messages) || DateTime.UtcNow > deadline)
            {
                return messages;
            }

            await Task.Delay(100);
        }
    }

    public void Dispose()
    {
        Stop();
        if (Directory.Exists(MailDirectory))
        {
            Directory.Delete(MailDirectory, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The server's certificate and key (PEM files), and whether TLS starts with the first byte (SMTPS) or with STARTTLS.</summary>
public sealed record SmtpServerTls(string CertificatePem, string KeyPem, bool Implicit = false);

/// <summary>A message as the SMTP server stored it.</summary>
public sealed record ReceivedMail(IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : "";

    public static ReceivedMail Parse(string raw)
    {
        var split = raw.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", 2);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? last = null;
        foreach (var line in split[0].Split('\n'))
        {
            if (line.Length > 0 && char.IsWhiteSpace(line[0]) && last is not null)
            {
                headers[last] += " " + line.Trim();
            }
            else if (line.IndexOf(':', StringComparison.Ordinal) is var colon and > 0)
            {
                last = line[..colon].Trim();
                headers[last] = line[(colon + 1)..].Trim();
            }
        }

        var body = split.Length > 1 ? split[1] : "";
        if (headers.TryGetValue("Content-Transfer-Encoding", out var encoding) && encoding.Equals("quoted-printable", StringComparison.OrdinalIgnoreCase))
        {
            body = body.Replace("=\n", "", StringComparison.Ordinal);
        }
        else if (encoding is not null && encoding.Equals("base64", StringComparison.OrdinalIgnoreCase))
        {
            body = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(body.Replace("\n", "", StringComparison.Ordinal)));
        }

        return new ReceivedMail(headers, body);
    }
}
