using System.CommandLine;
using System.Globalization;
using ModelMonitor.Audit;

namespace ModelMonitor.Cli.Audit;

/// <summary>
/// <c>modelmonitor audit verify [--dir DIR]</c> walks the hash chain (exit 0 intact, 1 broken, 2 error,
/// 3 intact but recording losses the store repaired);
/// <c>modelmonitor audit export [--dir DIR] [--from T] [--to T]</c> streams records as JSON Lines.
/// </summary>
internal static class AuditCommand
{
    public const string DefaultDirectory = "data/audit";

    public static Command Create(TextWriter output, TextWriter error)
    {
        var audit = new Command("audit", "Inspect the audit store.");
        audit.Subcommands.Add(Verify(output, error));
        audit.Subcommands.Add(Export(output, error));
        return audit;
    }

    private static Option<string> DirectoryOption() =>
        new("--dir") { Description = "The audit directory (Audit:Directory).", DefaultValueFactory = _ => DefaultDirectory };

    private static Command Verify(TextWriter output, TextWriter error)
    {
        var directory = DirectoryOption();
        var command = new Command("verify", "Check every record's hash and every link of the chain (exit 0: intact, 1: broken, 2: error, 3: intact with recorded losses).");
        command.Options.Add(directory);
        command.SetAction(parse =>
        {
            var path = parse.GetValue(directory)!;
            if (!Directory.Exists(path))
            {
                error.WriteLine($"modelmonitor audit verify: no audit directory at {path}");
                return CliApp.Error;
            }

            var result = AuditVerifier.Verify(path);
            if (result.Ok && result.Losses.Count == 0)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"OK: {result.Records:N0} records in {result.Segments} segment(s); chain intact; last hash {result.LastHash}"));
                return CliApp.Ok;
            }

            if (result.Ok)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"LOSSES RECORDED: {result.Records:N0} records in {result.Segments} segment(s); chain intact; last hash {result.LastHash}; {result.Losses.Count} recovery record(s):"));
                foreach (var loss in result.Losses)
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {loss.At:O} {loss.Segment} line {loss.Line} (record {loss.RecordId}): {loss.Repair}, {loss.RecordsLost} record(s), {loss.BytesLost} bytes lost. {loss.Detail}"));
                }

                return CliApp.LossesRecorded;
            }

            var broken = result.FirstBreak!;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"BROKEN at {broken.Segment} line {broken.Line}{(broken.RecordId is null ? "" : $" (record {broken.RecordId})")}: {broken.Reason}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.Records:N0} records verified before the break."));
            return CliApp.DriftFound;
        });
        return command;
    }

    private static Command Export(TextWriter output, TextWriter error)
    {
        var directory = DirectoryOption();
        var from = new Option<string?>("--from") { Description = "Only records at or after this time (ISO 8601)." };
        var to = new Option<string?>("--to") { Description = "Only records before this time (ISO 8601)." };
        var command = new Command("export", "Stream records, oldest first, as JSON Lines exactly as stored.");
        command.Options.Add(directory);
        command.Options.Add(from);
        command.Options.Add(to);
        command.SetAction(parse =>
        {
            if (!TryTime(parse.GetValue(from), "--from", error, out var fromTime) || !TryTime(parse.GetValue(to), "--to", error, out var toTime))
            {
                return CliApp.Error;
            }

            var path = parse.GetValue(directory)!;
            if (!Directory.Exists(path))
            {
                error.WriteLine($"modelmonitor audit export: no audit directory at {path}");
                return CliApp.Error;
            }

            long count = 0;
            foreach (var record in AuditReader.Export(path, fromTime, toTime))
            {
                output.WriteLine(record.Json);
                count++;
            }

            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"modelmonitor: exported {count:N0} records"));
            return CliApp.Ok;
        });
        return command;
    }

    private static bool TryTime(string? text, string name, TextWriter error, out DateTimeOffset? time)
    {
        time = null;
        if (text is null)
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            time = parsed;
            return true;
        }

        error.WriteLine($"modelmonitor audit export: {name} must be an ISO 8601 time; got '{text}'");
        return false;
    }
}
