using ModelMonitor.Service.Hosting;
using Serilog.Events;

namespace ModelMonitor.Service.Options;

/// <summary>Binds every options section and validates it when the host starts, so bad settings stop startup.</summary>
internal static class OptionsRegistration
{
    public static IServiceCollection AddModelMonitorOptions(this IServiceCollection services)
    {
        services.AddOptions<ModelOptions>()
            .BindConfiguration(ModelOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.Path), "Model:Path is required: the folder of the model to serve.")
            .Validate(o => o.MaxSequenceLength >= 3, "Model:MaxSequenceLength must be at least 3.")
            .Validate(o => o.MaxBatchSize >= 1, "Model:MaxBatchSize must be at least 1.")
            .ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<ModelOptions>, ModelPathValidator>();

        services.AddOptions<OnnxRuntimeOptions>()
            .BindConfiguration(OnnxRuntimeOptions.Section)
            .Validate(o => o.IntraOpThreads >= 0 && o.InterOpThreads >= 0, "OnnxRuntime thread counts must be 0 (ORT decides) or positive.")
            .Validate(o => Enum.IsDefined(o.GraphOptimizationLevel), "OnnxRuntime:GraphOptimizationLevel must be DisableAll, Basic, Extended or All.")
            .Validate(o => o.LibraryPath is null || File.Exists(o.LibraryPath), "OnnxRuntime:LibraryPath does not point at a file.")
            .ValidateOnStart();

        services.AddOptions<PredictOptions>()
            .BindConfiguration(PredictOptions.Section)
            .Validate(o => o.MaxTexts >= 1, "Predict:MaxTexts must be at least 1.")
            .Validate(o => o.MaxTextChars >= 1, "Predict:MaxTextChars must be at least 1.")
            .Validate(o => o.MaxBodyBytes >= 64, "Predict:MaxBodyBytes must be at least 64.")
            .ValidateOnStart();

        services.AddOptions<AuditOptions>()
            .BindConfiguration(AuditOptions.Section)
            .Validate(o => !o.Enabled || !string.IsNullOrWhiteSpace(o.Directory), "Audit:Directory is required when auditing is enabled.")
            .Validate(o => Enum.IsDefined(o.Durability), "Audit:Durability must be Fsync, Flush or None.")
            .Validate(o => o.CommitIntervalMs is >= 0 and <= 1000, "Audit:CommitIntervalMs must be between 0 and 1000.")
            .Validate(o => o.MaxBatchRecords >= 1 && o.QueueCapacity >= 1 && o.MaxSegmentMegabytes >= 1, "Audit:MaxBatchRecords, QueueCapacity and MaxSegmentMegabytes must be at least 1.")
            .Validate(o => o.RetentionDays >= 0, "Audit:RetentionDays must be 0 (keep everything) or positive.")
            .ValidateOnStart();

        services.AddOptions<BatchingOptions>()
            .BindConfiguration(BatchingOptions.Section)
            .Validate(o => o.MaxBatchTexts >= 1 && o.MaxBatchTokens >= 1, "Batching:MaxBatchTexts and MaxBatchTokens must be at least 1.")
            .Validate(o => o.MaxWaitMs is >= 0 and <= 1000, "Batching:MaxWaitMs must be between 0 and 1000.")
            .Validate(o => o.MaxQueuedTexts >= 1, "Batching:MaxQueuedTexts must be at least 1.")
            .Validate(o => o.MaxPaddingRatio >= 1, "Batching:MaxPaddingRatio must be at least 1.")
            .Validate(o => o.RequestTimeoutMs >= 1, "Batching:RequestTimeoutMs must be at least 1.")
            .ValidateOnStart();

        services.AddOptions<LogOptions>()
            .BindConfiguration(LogOptions.Section)
            .Validate(o => o.Format is "text" or "json", "Log:Format must be 'text' or 'json'.")
            .Validate(o => Enum.TryParse<LogEventLevel>(o.MinimumLevel, true, out _), "Log:MinimumLevel must be Verbose, Debug, Information, Warning, Error or Fatal.")
            .ValidateOnStart();

        return services;
    }
}
