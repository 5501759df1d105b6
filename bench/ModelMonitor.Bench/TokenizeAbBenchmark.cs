using System.Diagnostics;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.Loader;
using ModelMonitor.Inference.Tokenization;

namespace ModelMonitor.Bench;

/// <summary>
/// Two tokenizers side by side in one process: a baseline ModelMonitor.Inference.dll (an older
/// build, loaded in its own load context) and this build's. Both first encode every text and must
/// agree; then alternating rounds time whole passes over the texts, and we report medians, the
/// candidate/baseline ratio and the bytes each allocates per text.
/// </summary>
internal static class TokenizeAbBenchmark
{
    public static int Run(string baselineDll, string modelDirectory, string tsv, int rounds)
    {
        var c = CultureInfo.InvariantCulture;
        var texts = TsvTexts.Read(tsv);
        var baseline = LoadBaseline(baselineDll, modelDirectory);
        var tokenizer = TokenizerLoader.FromDirectory(modelDirectory);
        Func<string, int[]> candidate = text => tokenizer.Encode(text).Ids;

        var differing = texts.Count(t => !baseline(t).AsSpan().SequenceEqual(candidate(t)));
        Console.Error.WriteLine(string.Create(c, $"bench tokenize-ab: {texts.Length:N0} texts, {differing} encoded differently"));
        if (differing > 0)
        {
            return 1;
        }

        Pass(baseline, texts);
        Pass(candidate, texts);
        var a = new List<double>();
        var b = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            // Alternate which goes first, so a drift in the machine's speed hits both alike.
            var order = round % 2 == 0 ? new[] { (baseline, a), (candidate, b) } : [(candidate, b), (baseline, a)];
            foreach (var (encode, results) in order)
            {
                results.Add(texts.Length / Pass(encode, texts).Seconds);
            }

            Console.Error.WriteLine(string.Create(c, $"bench tokenize-ab: round {round + 1}: baseline {a[^1]:N0} candidate {b[^1]:N0} texts/s"));
        }

        var (bytesA, bytesB) = (Pass(baseline, texts).Bytes / texts.Length, Pass(candidate, texts).Bytes / texts.Length);
        var (ma, mb) = (Medians.Of(a), Medians.Of(b));
        Console.Out.WriteLine(string.Create(c, $"Tokenizer A/B on {Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(tsv)))}/{Path.GetFileName(tsv)} ({texts.Length:N0} texts, {Path.GetFileName(modelDirectory.TrimEnd('/'))}), {rounds} alternating passes each, one thread; medians."));
        Console.Out.WriteLine();
        Console.Out.WriteLine("| tokenizer | texts/s | bytes allocated/text |");
        Console.Out.WriteLine("| --- | ---: | ---: |");
        Console.Out.WriteLine(string.Create(c, $"| baseline ({Path.GetFileName(baselineDll)}) | {ma:N0} | {bytesA:N0} |"));
        Console.Out.WriteLine(string.Create(c, $"| candidate (this build) | {mb:N0} | {bytesB:N0} |"));
        Console.Out.WriteLine(string.Create(c, $"| **candidate/baseline** | **{mb / ma:F2}x** | {bytesB / bytesA:F2}x |"));
        return 0;
    }

    private static (double Seconds, double Bytes) Pass(Func<string, int[]> encode, string[] texts)
    {
        var bytes = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        var checksum = 0;
        foreach (var text in texts)
        {
            checksum += encode(text).Length;
        }

        watch.Stop();
        GC.KeepAlive(checksum);
        return (watch.Elapsed.TotalSeconds, GC.GetAllocatedBytesForCurrentThread() - bytes);
    }

    /// <summary>
    /// <c>text => TokenizerLoader.FromDirectory(model).Encode(text, true, null, true).Ids</c> against
    /// the baseline assembly, compiled to a delegate so the call costs what a direct call costs.
    /// </summary>
    private static Func<string, int[]> LoadBaseline(string dll, string modelDirectory)
    {
        var context = new AssemblyLoadContext("tokenizer-baseline");
        var assembly = context.LoadFromAssemblyPath(Path.GetFullPath(dll));
        var loader = assembly.GetType("ModelMonitor.Inference.Tokenization.TokenizerLoader", throwOnError: true)!;
        var tokenizer = loader.GetMethod("FromDirectory", [typeof(string)])!.Invoke(null, [modelDirectory])!;
        var encode = tokenizer.GetType().GetMethod("Encode", BindingFlags.Public | BindingFlags.Instance)!;
        var text = Expression.Parameter(typeof(string), "text");
        var call = Expression.Call(
            Expression.Constant(tokenizer),
            encode,
            text,
            Expression.Constant(true),
            Expression.Constant(null, typeof(int?)),
            Expression.Constant(true));
        return Expression.Lambda<Func<string, int[]>>(Expression.Property(call, "Ids"), text).Compile();
    }

}
