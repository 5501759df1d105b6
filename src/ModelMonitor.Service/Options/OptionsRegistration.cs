using ModelMonitor.Service.Alerts;
using ModelMonitor.Service.Hosting;
using ModelMonitor.Service.Logging;

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
            .Validate(o => Enum.IsDefined(o.ExecutionMode), "OnnxRuntime:ExecutionMode must be Sequential or Parallel.")
            .Validate(o => Enum.IsDefined(o.LogSeverity), "OnnxRuntime:LogSeverity must be Verbose, Info, Warning, Error or Fatal.")
            .Validate(o => o.ConfigEntries.All(e => !string.IsNullOrWhiteSpace(e.Key) && e.Value is not null), "OnnxRuntime:ConfigEntries needs a key and a value for each entry (e.g. OnnxRuntime:ConfigEntries:session.inter_op.allow_spinning=0).")
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
            .Configure<IConfiguration>((o, configuration) => o.ConnectionString ??= configuration.GetConnectionString("Audit"))
            .Validate(o => Enum.IsDefined(o.Store), "Audit:Store must be File or Postgres.")
            .Validate(o => !o.Enabled || o.Store != AuditStoreKind.Postgres || !string.IsNullOrWhiteSpace(o.ConnectionString), "Audit:Store=Postgres needs ConnectionStrings:Audit (an Npgsql connection string).")
            .Validate(o => !o.Enabled || o.Store != AuditStoreKind.Postgres || ValidConnectionString(o.ConnectionString), "ConnectionStrings:Audit is not a valid Npgsql connection string.")
            .Validate(o => o.WriterId is null || (o.WriterId.Length is >= 1 and <= 200 && !o.WriterId.Any(char.IsControl)), "Audit:WriterId must be 1 to 200 characters without control characters.")
            .Validate(o => o.ProbeIntervalMs is >= 0 and <= 600_000, "Audit:ProbeIntervalMs must be between 0 and 600000.")
            .Validate(o => !o.Enabled || !string.IsNullOrWhiteSpace(o.Directory), "Audit:Directory is required when auditing is enabled.")
            .Validate(o => Enum.IsDefined(o.Durability), "Audit:Durability must be Fsync, Flush or None.")
            .Validate(o => o.CommitIntervalMs is >= 0 and <= 1000, "Audit:CommitIntervalMs must be between 0 and 1000.")
            .Validate(o => o.MaxBatchRecords >= 1 && o.QueueCapacity >= 1 && o.MaxSegmentMegabytes >= 1, "Audit:MaxBatchRecords, QueueCapacity and MaxSegmentMegabytes must be at least 1.")
            .Validate(o => o.RetentionDays >= 0, "Audit:RetentionDays must be 0 (keep everything) or positive.")
            .Validate(o => o.MaxRecordedChars is >= 64 and <= 65_536, "Audit:MaxRecordedChars must be between 64 and 65536.")
            .Validate(o => o.WarningAggregationSeconds is >= 0 and <= 86_400, "Audit:WarningAggregationSeconds must be between 0 (write each) and 86400.")
            .ValidateOnStart();

        services.AddOptions<ScaleOutOptions>()
            .BindConfiguration(ScaleOutOptions.Section)
            .Validate(o => o.LeaderTakeoverSeconds is >= 1 and <= 3600, "ScaleOut:LeaderTakeoverSeconds must be between 1 and 3600.")
            .Validate(o => o.TailIntervalMs is >= 10 and <= 60_000, "ScaleOut:TailIntervalMs must be between 10 and 60000.")
            .Validate(o => o.TailBatchRecords is >= 1 and <= 100_000, "ScaleOut:TailBatchRecords must be between 1 and 100000.")
            .ValidateOnStart();

        services.AddOptions<BatchingOptions>()
            .BindConfiguration(BatchingOptions.Section)
            .Validate(o => o.MaxBatchTexts >= 1 && o.MaxBatchTokens >= 1, "Batching:MaxBatchTexts and MaxBatchTokens must be at least 1.")
            .Validate(o => o.Workers is >= 1 and <= 64, "Batching:Workers must be between 1 and 64.")
            .Validate(o => o.MaxWaitMs is >= 0 and <= 1000, "Batching:MaxWaitMs must be between 0 and 1000.")
            .Validate(o => o.MaxQueuedTexts >= 1, "Batching:MaxQueuedTexts must be at least 1.")
            .Validate(o => o.MaxPaddingRatio >= 1, "Batching:MaxPaddingRatio must be at least 1.")
            .Validate(o => Enum.IsDefined(o.CutPolicy), "Batching:CutPolicy must be CostModel or PaddingRatio.")
            .Validate(o => o.RequestTimeoutMs >= 1, "Batching:RequestTimeoutMs must be at least 1.")
            .ValidateOnStart();

        services.AddOptions<LogOptions>()
            .BindConfiguration(LogOptions.Section)
            .Validate(o => o.Format is "text" or "json", "Log:Format must be 'text' or 'json'.")
            .Validate(o => o.MinimumLevel is null or "" || SerilogSetup.IsLevel(o.MinimumLevel), "Log:MinimumLevel must be Verbose, Debug, Information, Warning, Error or Fatal.")
            .Validate(o => o.Overrides.Values.All(SerilogSetup.IsLevel), "Log:Overrides levels must be Verbose, Debug, Information, Warning, Error or Fatal.")
            .ValidateOnStart();

        services.AddOptions<DriftOptions>()
            .BindConfiguration(DriftOptions.Section)
            .Validate(o => string.IsNullOrWhiteSpace(o.ReferencePath) || File.Exists(ModelPathResolver.Resolve(o.ReferencePath)), "Drift:ReferencePath does not point at a file (a relative path resolves against the working directory, then the repository root).")
            .Validate(o => o.ReferenceMaxTexts >= 1 && o.LiveReferenceSize >= 1, "Drift:ReferenceMaxTexts and LiveReferenceSize must be at least 1.")
            .Validate(o => Enum.IsDefined(o.ScoreReference), "Drift:ScoreReference must be Live or Reference.")
            .Validate(o => o.WindowSize >= 1 && o.WindowSeconds >= 0, "Drift:WindowSize must be at least 1 and WindowSeconds 0 (off) or positive.")
            .Validate(o => o.MinWindowSize >= 1 && o.MinWindowSize <= o.WindowSize && o.MinLabelled >= 1, "Drift:MinWindowSize must lie between 1 and WindowSize, and MinLabelled be at least 1.")
            .Validate(o => o.EvaluationIntervalSeconds >= 1 && o.EvaluateEveryPredictions >= 0, "Drift:EvaluationIntervalSeconds must be at least 1 and EvaluateEveryPredictions 0 (off) or positive.")
            .Validate(o => o.MinEvaluationSeconds is >= 0 and <= 3600, "Drift:MinEvaluationSeconds must lie between 0 and 3600.")
            .Validate(o => o.QueueCapacity is >= 16 and <= 10_000_000, "Drift:QueueCapacity must lie between 16 and 10000000.")
            .Validate(o => o.GatherObservationsMs is >= 0 and <= 1000, "Drift:GatherObservationsMs must lie between 0 and 1000.")
            .Validate(o => Enum.IsDefined(o.CalibrationMethod) && o.IsotonicMinimumSamples >= 2 && o.MinCalibrationLabels >= 10 && o.TrainingDataGapPoints >= 0, "Drift:CalibrationMethod must be Auto, Isotonic or Platt; IsotonicMinimumSamples at least 2; MinCalibrationLabels at least 10; TrainingDataGapPoints 0 or more.")
            .Validate(o => o.EstimateConfidence is > 0 and < 1, "Drift:EstimateConfidence must lie strictly between 0 and 1.")
            .Validate(o => o.Alpha is > 0 and < 1, "Drift:Alpha must lie strictly between 0 and 1.")
            .Validate(o => o.PsiWarning > 0 && o.PsiDrift >= o.PsiWarning && o.NormedWasserstein > 0 && o.JensenShannon > 0, "Drift effect-size thresholds must be positive, and PsiDrift at least PsiWarning.")
            .Validate(o => o.Bins >= 2 && o.CriticalPerformanceDropPoints > 0, "Drift:Bins must be at least 2 and CriticalPerformanceDropPoints positive.")
            .Validate(o => o.LowInputGroups >= 1 && o.MediumInputGroups >= o.LowInputGroups && o.HighInputGroups >= o.MediumInputGroups && o.MediumOutputGroups >= 1, "Drift:LowInputGroups and MediumOutputGroups must be at least 1, and LowInputGroups <= MediumInputGroups <= HighInputGroups.")
            .Validate(o => o.GroupCorrelation is > 0 and <= 1, "Drift:GroupCorrelation must lie in (0, 1].")
            .Validate(o => o.BaselineAccuracy is null or (>= 0 and <= 1) && o.BaselineF1 is null or (>= 0 and <= 1), "Drift:BaselineAccuracy and BaselineF1 must lie between 0 and 1.")
            .Validate(o => o.BaselineSource != BaselineSource.Configured || o.BaselineAccuracy is not null || o.BaselineF1 is not null, "Drift:BaselineSource Configured needs BaselineAccuracy or BaselineF1.")
            .Validate(o => o.BaselineSource != BaselineSource.BaselineSet || !string.IsNullOrWhiteSpace(o.BaselinePath), "Drift:BaselineSource BaselineSet needs BaselinePath.")
            .Validate(o => o.BaselineSource is not (BaselineSource.Reference or BaselineSource.BaselineSet) || (o.BaselineAccuracy is null && o.BaselineF1 is null), "Drift:BaselineAccuracy / BaselineF1 are set, and a configured baseline always wins: remove them or set Drift:BaselineSource to Auto or Configured.")
            .ValidateOnStart();

        services.AddOptions<AlertOptions>()
            .BindConfiguration(AlertOptions.Section)
            .PostConfigure<IConfiguration>((o, configuration) => ListSettings.AddSingleValues(o.Smtp, configuration.GetSection($"{AlertOptions.Section}:Smtp")))
            .Validate(o => o.ConsecutiveBreaches >= 1 && o.ConsecutiveClean >= 1 && o.CooldownSeconds >= 0 && o.History >= 1, "Alerts:ConsecutiveBreaches, ConsecutiveClean and History must be at least 1, CooldownSeconds 0 or more.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.OutboxDirectory), "Alerts:OutboxDirectory is required.")
            .Validate(o => string.IsNullOrWhiteSpace(o.DashboardUrl) || (Uri.TryCreate(o.DashboardUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"), "Alerts:DashboardUrl must be an absolute http or https address.")
            .Validate(o => o.InitialBackoffMs >= 1 && o.MaxBackoffMs >= o.InitialBackoffMs && o.MaxAttempts >= 0, "Alerts:InitialBackoffMs must be at least 1, MaxBackoffMs at least InitialBackoffMs, MaxAttempts 0 (retry forever) or more.")
            .Validate<IConfiguration>((_, configuration) => configuration[$"{AlertOptions.Section}:Smtp:StartTls"] is null, "Alerts:Smtp:StartTls was replaced by Alerts:Smtp:Security: StartTls (required), StartTlsWhenAvailable, SslOnConnect or None.")
            .Validate<IConfiguration>((_, configuration) => configuration[$"{AlertOptions.Section}:Smtp:TimeoutMs"] is null, "Alerts:Smtp:TimeoutMs was replaced by Alerts:Smtp:ConnectTimeoutMs and Alerts:Smtp:SendTimeoutMs.")
            .Validate(o => !o.Smtp.Enabled || o.Smtp.Port is > 0 and < 65536, "Alerts:Smtp:Port must be a TCP port.")
            .Validate(o => Enum.IsDefined(o.Smtp.Security), "Alerts:Smtp:Security must be StartTlsWhenAvailable, StartTls, SslOnConnect or None.")
            .Validate(o => !o.Smtp.Enabled || o.Smtp.Port != 465 || o.Smtp.Security == SmtpSecurity.SslOnConnect, "Alerts:Smtp:Port 465 is SMTPS (TLS from the first byte): set Alerts:Smtp:Security=SslOnConnect.")
            .Validate(o => !o.Smtp.Enabled || o.Smtp.Port is not (25 or 587) || o.Smtp.Security != SmtpSecurity.SslOnConnect, "Alerts:Smtp:Security=SslOnConnect does not work on ports 25 and 587, which start in plain text: use StartTls there, or port 465.")
            .Validate(o => o.Smtp.ConnectTimeoutMs >= 1 && o.Smtp.SendTimeoutMs >= 1, "Alerts:Smtp:ConnectTimeoutMs and SendTimeoutMs must be at least 1.")
            .Validate(o => !o.Smtp.Enabled || MailAddressValidator.AllValid([o.Smtp.From, .. o.Smtp.To, .. o.Smtp.Recipients.Values.SelectMany(v => v)]), "Alerts:Smtp:From, To and Recipients must be e-mail addresses.")
            .Validate(o => !o.Smtp.Enabled || o.Smtp.To.Count > 0 || o.Smtp.Recipients.Values.Any(v => v.Count > 0), "Alerts:Smtp needs at least one recipient (To or Recipients; a list, or one comma-separated string).")
            .Validate(o => o.Smtp.Recipients.Keys.All(k => k.ToLowerInvariant() is "low" or "medium" or "high" or "critical"), "Alerts:Smtp:Recipients keys must be low, medium, high or critical.")
            .Validate(o => string.IsNullOrEmpty(o.Smtp.UserName) == string.IsNullOrEmpty(o.Smtp.Password), "Alerts:Smtp:UserName and Password go together.")
            .Validate(o => string.IsNullOrWhiteSpace(o.Smtp.TrustedCertificatesPath) || ServerCertificateTrust.IsAnchorFile(o.Smtp.TrustedCertificatesPath), "Alerts:Smtp:TrustedCertificatesPath must be a PEM file holding at least one certificate.")
            .Validate(o => o.Smtp.TrustedCertificateSha256.All(ServerCertificateTrust.IsFingerprint), "Alerts:Smtp:TrustedCertificateSha256 entries must be SHA-256 fingerprints: 64 hex digits, colons allowed.")
            .Validate(o => o.Smtp.Security != SmtpSecurity.None || (string.IsNullOrWhiteSpace(o.Smtp.TrustedCertificatesPath) && o.Smtp.TrustedCertificateSha256.Count == 0), "Alerts:Smtp:TrustedCertificatesPath and TrustedCertificateSha256 need TLS, but Alerts:Smtp:Security is None.")
            .ValidateOnStart();

        services.AddOptions<DashboardOptions>()
            .BindConfiguration(DashboardOptions.Section)
            .Validate(o => o.RefreshSeconds is >= 0 and <= 86_400, "Dashboard:RefreshSeconds must be 0 (no automatic refresh) or up to 86400.")
            .Validate(o => o.RangeHours is >= 0 and <= 87_600, "Dashboard:RangeHours must be 0 (everything) or up to 87600.")
            .Validate(o => o.MaxPoints is >= ModelMonitor.Monitoring.History.HistoryQuery.MinMaxPoints and <= ModelMonitor.Monitoring.History.HistoryQuery.MaxMaxPoints, $"Dashboard:MaxPoints must lie between {ModelMonitor.Monitoring.History.HistoryQuery.MinMaxPoints} and {ModelMonitor.Monitoring.History.HistoryQuery.MaxMaxPoints}.")
            .Validate(o => o.TrafficBuckets is >= 1 and <= ModelMonitor.Monitoring.History.TrafficHistory.MaxBuckets, $"Dashboard:TrafficBuckets must lie between 1 and {ModelMonitor.Monitoring.History.TrafficHistory.MaxBuckets}.")
            .ValidateOnStart();

        services.AddOptions<SecurityOptions>()
            .BindConfiguration(SecurityOptions.Section)
            .Validate(o => o.AdminApiKey is null || o.AdminApiKey.Length == 0 || o.AdminApiKey.Length >= 16, "Security:AdminApiKey must be at least 16 characters.")
            .Validate(o => o.FeedbackApiKey is null || o.FeedbackApiKey.Length == 0 || o.FeedbackApiKey.Length >= 16, "Security:FeedbackApiKey must be at least 16 characters.")
            .Validate(o => o.AuditApiKey is null || o.AuditApiKey.Length == 0 || o.AuditApiKey.Length >= 16, "Security:AuditApiKey must be at least 16 characters.")
            .ValidateOnStart();

        return services;
    }

    private static bool ValidConnectionString(string? connectionString)
    {
        try
        {
            _ = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
