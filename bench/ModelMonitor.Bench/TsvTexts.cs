namespace ModelMonitor.Bench;

/// <summary>The texts of a dataset TSV (first column, header row skipped), as every benchmark loads them.</summary>
internal static class TsvTexts
{
    public static string[] Read(string tsv) =>
        File.ReadAllLines(tsv).Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t')[0]).ToArray();
}
