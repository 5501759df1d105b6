using System.CommandLine;
using System.Globalization;
using ModelMonitor.Audit;
using ModelMonitor.Audit.Postgres;

namespace ModelMonitor.Cli.Audit;

/// <summary>
/// <c>modelmonitor audit verify [--dir DIR | --connection CS]</c> walks the hash chain, or every
/// writer's chain of a PostgreSQL store (exit 0 intact, 1 broken, 2 error, 3 intact but recording
/// losses the store repaired);
/// <c>modelmonitor audit export [--dir DIR | --connection CS] [--from T] [--to T]</c> streams records as JSON Lines.
/// Without <c>--connection</c>, the environment's <c>ConnectionStrings__Audit</c> (the service's
/// setting) selects the PostgreSQL store when <c>--dir</c> is not given.
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

    private static Option<string?> ConnectionOption() =>
        new("--connection") { Description = "The PostgreSQL store's Npgsql connection string (ConnectionStrings:Audit); default: the environment's ConnectionStrings__Audit unless --dir is given." };

    /// <summary>The store the options name: the database when a connection string is given (or in the environment and no --dir), else the directory.</summary>
    private static (IAuditSource? Source, AuditDatabase? Database) Open(ParseResult parse, Option<string> directory, Option<string?> connection, string command, TextWriter error)
    {
        var connectionString = parse.GetValue(connection);
        if (connectionString is null && parse.GetResult(directory) is null or { Implicit: true })
        {
            connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Audit") is { Length: > 0 } configured ? configured : null;
        }

        if (connectionString is not null)
        {
            try
            {
                var database = new AuditDatabase(connectionString);
                return (new PostgresAuditSource(database), database);
            }
            catch (ArgumentException e)
            {
                error.WriteLine($"modelmonitor audit {command}: the connection string is not valid: {e.Message}");
                return (null, null);
            }
        }

        var path = parse.GetValue(directory)!;
        if (!Directory.Exists(path))
        {
            error.WriteLine($"modelmonitor audit {command}: no audit directory at {path}");
            return (null, null);
        }

        return (new FileAuditSource(path), null);
    }

    private static Command Verify(TextWriter output, TextWriter error)
    {
        var directory = DirectoryOption();
        var connection = ConnectionOption();
        var command = new Command("verify", "Check every record's hash and every link of the chain, or of every writer's chain in a PostgreSQL store (exit 0: intact, 1: broken, 2: error, 3: intact with recorded losses).");
        command.Options.Add(directory);
        command.Options.Add(connection);
        command.SetAction(parse =>
        {
            var (source, database) = Open(parse, directory, connection, "verify", error);
            if (source is null)
            {
                return CliApp.Error;
            }

            using var owned = database;
            VerificationResult result;
            try
            {
                result = source.Verify();
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
            {
                error.WriteLine($"modelmonitor audit verify: cannot read {source.Description}: {e.Message}");
                return CliApp.Error;
            }

            if (database is not null && result.Ok)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"OK: {result.Records:N0} records in {result.Segments} writer chain(s) in the {source.Description}; every chain intact"));
                return CliApp.Ok;
            }

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
        var connection = ConnectionOption();
        var from = new Option<string?>("--from") { Description = "Only records at or after this time (ISO 8601)." };
        var to = new Option<string?>("--to") { Description = "Only records before this time (ISO 8601)." };
        var command = new Command("export", "Stream records, oldest first, as JSON Lines exactly as stored.");
        command.Options.Add(directory);
        command.Options.Add(connection);
        command.Options.Add(from);
        command.Options.Add(to);
        command.SetAction(parse =>
        {
            if (!TryTime(parse.GetValue(from), "--from", error, out var fromTime) || !TryTime(parse.GetValue(to), "--to", error, out var toTime))
            {
                return CliApp.Error;
            }

            var (source, database) = Open(parse, directory, connection, "export", error);
            if (source is null)
            {
                return CliApp.Error;
            }

            using var owned = database;
            long count = 0;
            try
            {
                foreach (var record in source.Export(fromTime, toTime))
                {
                    output.WriteLine(record.Json);
                    count++;
                }
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
            {
                error.WriteLine($"modelmonitor audit export: cannot read {source.Description} after {count:N0} records: {e.Message}");
                return CliApp.Error;
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
