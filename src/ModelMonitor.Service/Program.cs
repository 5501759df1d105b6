using Microsoft.Extensions.Options;
using ModelMonitor.Inference.Classification;
using ModelMonitor.Inference.Tokenization;
using ModelMonitor.Service.Hosting;
using ModelMonitor.Service.Logging;
using Serilog.Extensions.Logging;
using Log = ModelMonitor.Service.Logging.Log;

// appsettings.json is read from the application's folder, whatever the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Logging.ClearProviders();
builder.Services.AddModelMonitorLogging();
builder.Services.AddModelMonitor();

try
{
    await using var app = builder.Build();
    app.UseModelMonitor();
    await app.RunAsync();
    return 0;
}
catch (Exception error) when (error is OptionsValidationException or ModelFolderException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException or TokenizerFormatException)
{
    // One clear line on why the service cannot start, and exit code 1, instead of a stack trace.
    var reason = error switch
    {
        OptionsValidationException validation => string.Join(" ", validation.Failures),
        Microsoft.ML.OnnxRuntime.OnnxRuntimeException onnx => "ONNX Runtime error " + onnx.Message, // "[ErrorCode:...] ORT's own message"
        _ => error.Message,
    };
    using var loggers = new SerilogLoggerFactory(SerilogSetup.CreateStartupFailureLogger(builder.Configuration), dispose: true);
    var logger = loggers.CreateLogger("ModelMonitor.Service");
    Log.StartupFailed(logger, reason);
    return 1;
}

/// <summary>The entry point, visible to WebApplicationFactory in the integration tests.</summary>
public partial class Program;
