using System.CommandLine;
using ModelMonitor.Cli.Audit;
using ModelMonitor.Cli.Drift;
using ModelMonitor.Cli.Report;

namespace ModelMonitor.Cli;

/// <summary>The <c>modelmonitor</c> command tree. Exit codes: 0 success (no drift, chain intact), 1 drift found or chain broken, 2 error.</summary>
internal static class CliApp
{
    public const int Ok = 0;
    public const int DriftFound = 1;
    public const int Error = 2;

    /// <summary>audit verify: the chain is intact, and it records losses the store repaired (recovery records).</summary>
    public const int LossesRecorded = 3;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("ModelMonitor: watch a text model in production.");
        root.Subcommands.Add(DriftCommand.Create(output, error));
        root.Subcommands.Add(AuditCommand.Create(output, error));
        root.Subcommands.Add(ReportCommand.Create(output, error));
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var problem in parsed.Errors)
            {
                error.WriteLine($"modelmonitor: {problem.Message}");
            }

            error.WriteLine("Run 'modelmonitor --help' for usage.");
            return Error;
        }

        return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
    }
}
