using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ModelMonitor.Testing;

/// <summary>
/// Debian's <c>chromium</c>, headless, driven over the Chrome DevTools Protocol (a WebSocket): open
/// a page, run script in it, press keys, take a screenshot, and keep what the page did (console
/// errors, uncaught exceptions, every request and every failed one). No browser-automation
/// package: the protocol is JSON over one socket. <c>.ci/run</c> installs the browser.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    private readonly Process process;
    private readonly ClientWebSocket socket = new();
    private readonly string profile;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> pending = new();
    private readonly ConcurrentDictionary<string, ChromiumPage> pages = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stop = new();
    private readonly SemaphoreSlim sending = new(1, 1);
    private Task? receiving;
    private int nextId;

    private HeadlessChromium(Process process, string profile)
    {
        this.process = process;
        this.profile = profile;
    }

    /// <summary>Starts the browser and connects to it.</summary>
    public static async Task<HeadlessChromium> StartAsync()
    {
        var profile = Directory.CreateTempSubdirectory("mm-chromium-").FullName;
        var info = new ProcessStartInfo("chromium") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--mute-audio",
            "--remote-debugging-port=0", "--remote-allow-origins=*", $"--user-data-dir={profile}", "--window-size=1400,1000", "about:blank",
        })
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("'chromium' is not installed; .ci/run installs it (Debian package chromium).", e);
        }

        var address = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new ConcurrentQueue<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            output.Enqueue(e.Data);
            const string marker = "DevTools listening on ";
            if (e.Data.IndexOf(marker, StringComparison.Ordinal) is var at and >= 0)
            {
                address.TrySetResult(new Uri(e.Data[(at + marker.Length)..].Trim()));
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var browser = new HeadlessChromium(process, profile);
        var started = await Task.WhenAny(address.Task, Task.Delay(TimeSpan.FromSeconds(60)), process.WaitForExitAsync());
        if (started != address.Task)
        {
            await browser.DisposeAsync();
            throw new InvalidOperationException("chromium did not open its DevTools socket within 60 s:\n" + string.Join('\n', output));
        }

        await browser.socket.ConnectAsync(address.Task.Result, CancellationToken.None);
        browser.receiving = Task.Run(browser.ReceiveAsync);
        return browser;
    }

    /// <summary>
    /// Opens a new tab on <paramref name="url"/>, recording from its first request. A script in
    /// <paramref name="beforeLoad"/> runs in the page before any of the page's own.
    /// </summary>
    public async Task<ChromiumPage> OpenAsync(string url, string? beforeLoad = null, int width = 1400, int height = 1000)
    {
        var target = await SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" });
        var attached = await SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = target.GetProperty("targetId").GetString(), ["flatten"] = true });
        var session = attached.GetProperty("sessionId").GetString()!;
        var page = new ChromiumPage(this, session);
        pages[session] = page;
        foreach (var domain in new[] { "Page", "Runtime", "Network", "Log" })
        {
            await SendAsync(domain + ".enable", null, session);
        }

        await SendAsync("Emulation.setFocusEmulationEnabled", new JsonObject { ["enabled"] = true }, session);
        await page.ResizeAsync(width, height);
        if (beforeLoad is not null)
        {
            await SendAsync("Page.addScriptToEvaluateOnNewDocument", new JsonObject { ["source"] = beforeLoad }, session);
        }

        await SendAsync("Page.navigate", new JsonObject { ["url"] = url }, session);
        return page;
    }

    /// <summary>Sends a protocol command and returns its result; a protocol error throws.</summary>
    public async Task<JsonElement> SendAsync(string method, JsonObject? parameters, string? session = null)
    {
        var id = Interlocked.Increment(ref nextId);
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = reply;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? [] };
        if (session is not null)
        {
            message["sessionId"] = session;
        }

        var bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
        await sending.WaitAsync();
        try
        {
            await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            sending.Release();
        }

        var done = await Task.WhenAny(reply.Task, Task.Delay(TimeSpan.FromSeconds(60)));
        return done == reply.Task ? await reply.Task : throw new TimeoutException($"chromium did not answer {method} within 60 s.");
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        try
        {
            while (!stop.IsCancellationRequested && socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                using (var document = JsonDocument.Parse(message.ToArray()))
                {
                    Dispatch(document.RootElement);
                }

                message.SetLength(0);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // Closing.
        }

        foreach (var waiting in pending.Values)
        {
            waiting.TrySetException(new InvalidOperationException("The chromium connection closed."));
        }
    }

    private void Dispatch(JsonElement message)
    {
        if (message.TryGetProperty("id", out var id))
        {
            if (pending.TryRemove(id.GetInt32(), out var reply))
            {
                if (message.TryGetProperty("error", out var error))
                {
                    reply.TrySetException(new InvalidOperationException("DevTools error: " + error.GetRawText()));
                }
                else
                {
                    reply.TrySetResult(message.GetProperty("result").Clone());
                }
            }

            return;
        }

        if (message.TryGetProperty("sessionId", out var session) && pages.TryGetValue(session.GetString()!, out var page))
        {
            page.Observe(message.GetProperty("method").GetString()!, message.TryGetProperty("params", out var p) ? p.Clone() : default);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The browser is going away anyway.
        }

        if (receiving is not null)
        {
            await receiving;
        }

        socket.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        stop.Dispose();
        sending.Dispose();
        try
        {
            Directory.Delete(profile, recursive: true);
        }
        catch (IOException)
        {
            // A helper process may still hold a file for a moment; the temp folder is cleaned eventually.
        }
    }
}

/// <summary>One tab: what it did, and ways to act on it.</summary>
internal sealed class ChromiumPage(HeadlessChromium browser, string session)
{
    private readonly ConcurrentQueue<string> errors = new();
    private readonly ConcurrentQueue<string> requests = new();
    private readonly ConcurrentQueue<string> failures = new();

    /// <summary>Console errors, uncaught exceptions and error log entries (a refused resource, a blocked script).</summary>
    public IReadOnlyList<string> Errors => [.. errors];

    /// <summary>Every URL the page requested, in order.</summary>
    public IReadOnlyList<string> Requests => [.. requests];

    /// <summary>Requests that failed or were answered 400 or more.</summary>
    public IReadOnlyList<string> FailedRequests => [.. failures];

    internal void Observe(string method, JsonElement parameters)
    {
        switch (method)
        {
            case "Runtime.consoleAPICalled" when parameters.GetProperty("type").GetString() is "error" or "assert":
                errors.Enqueue("console: " + string.Join(' ', parameters.GetProperty("args").EnumerateArray().Select(a => a.TryGetProperty("value", out var v) ? v.ToString() : a.TryGetProperty("description", out var d) ? d.GetString() : "?")));
                break;
            case "Runtime.exceptionThrown":
                var details = parameters.GetProperty("exceptionDetails");
                errors.Enqueue("exception: " + (details.TryGetProperty("exception", out var ex) && ex.TryGetProperty("description", out var description) ? description.GetString() : details.GetProperty("text").GetString()));
                break;
            case "Log.entryAdded" when parameters.GetProperty("entry").GetProperty("level").GetString() == "error":
                var entry = parameters.GetProperty("entry");
                errors.Enqueue("log: " + entry.GetProperty("text").GetString() + (entry.TryGetProperty("url", out var url) ? " " + url.GetString() : ""));
                break;
            case "Network.requestWillBeSent":
                requests.Enqueue(parameters.GetProperty("request").GetProperty("url").GetString()!);
                break;
            case "Network.responseReceived" when parameters.GetProperty("response").GetProperty("status").GetInt32() >= 400:
                var response = parameters.GetProperty("response");
                failures.Enqueue($"{response.GetProperty("status").GetInt32()} {response.GetProperty("url").GetString()}");
                break;
            case "Network.loadingFailed":
                failures.Enqueue("failed: " + parameters.GetProperty("errorText").GetString());
                break;
        }
    }

    /// <summary>Runs a script expression in the page (awaiting a promise) and returns its value as JSON.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        var result = await browser.SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true }, session);
        if (result.TryGetProperty("exceptionDetails", out var failure))
        {
            throw new InvalidOperationException("The page's script failed: " + failure.GetRawText());
        }

        return result.GetProperty("result").TryGetProperty("value", out var value) ? value : default;
    }

    /// <summary>Waits until a script expression is true, polling, or fails at the deadline with what the page did.</summary>
    public async Task WaitForAsync(string expression, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await EvaluateAsync($"(function () {{ try {{ return !!({expression}); }} catch (e) {{ return false; }} }})()");
            if (value.ValueKind == JsonValueKind.True)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The page never satisfied {expression} within {timeout}. Errors: {string.Join(" | ", Errors)}. Failed requests: {string.Join(" | ", FailedRequests)}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Presses and releases a key (Tab, Enter, Space, Escape) as the keyboard would.</summary>
    public async Task PressAsync(string key)
    {
        var (code, text) = key switch
        {
            "Tab" => (9, ""),
            "Enter" => (13, "\r"),
            " " => (32, " "),
            "Escape" => (27, ""),
            _ => throw new ArgumentOutOfRangeException(nameof(key), key, "Tab, Enter, Space or Escape."),
        };
        var down = new JsonObject { ["type"] = "keyDown", ["key"] = key, ["code"] = key == " " ? "Space" : key, ["windowsVirtualKeyCode"] = code, ["nativeVirtualKeyCode"] = code };
        if (text.Length > 0)
        {
            down["text"] = text;
        }

        await browser.SendAsync("Input.dispatchKeyEvent", down, session);
        await browser.SendAsync("Input.dispatchKeyEvent", new JsonObject { ["type"] = "keyUp", ["key"] = key, ["code"] = key == " " ? "Space" : key, ["windowsVirtualKeyCode"] = code, ["nativeVirtualKeyCode"] = code }, session);
    }

    /// <summary>Types text into the focused element.</summary>
    public Task TypeAsync(string text) => browser.SendAsync("Input.insertText", new JsonObject { ["text"] = text }, session);

    public Task ResizeAsync(int width, int height) =>
        browser.SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject { ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false }, session);

    /// <summary>A PNG of the whole page, its full height.</summary>
    public async Task<byte[]> ScreenshotAsync()
    {
        var height = (await EvaluateAsync("Math.ceil(document.documentElement.scrollHeight)")).GetInt32();
        var width = (await EvaluateAsync("Math.ceil(document.documentElement.clientWidth)")).GetInt32();
        await ResizeAsync(width, height);

        // Chartist redraws on resize: let a timer turn and two frames paint before the capture.
        await EvaluateAsync("new Promise(function (done) { setTimeout(function () { requestAnimationFrame(function () { requestAnimationFrame(done); }); }, 50); })");
        var shot = await browser.SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true }, session);
        return Convert.FromBase64String(shot.GetProperty("data").GetString()!);
    }
}
