using System.Text;

namespace ModelMonitor.Monitoring.Tests.PerformanceEstimation.Validation;

/// <summary>
/// Seeded typing errors. Each word made only of letters, two or more of them, is hit with
/// probability <c>share</c>; a hit, chosen with equal odds, swaps a letter with the next one,
/// drops a letter, or types a letter twice. The same seed gives the same text.
/// </summary>
internal static class Typos
{
    public static string Apply(string text, Random random, double share)
    {
        var words = text.Split(' ');
        var result = new StringBuilder(text.Length + 8);
        for (var w = 0; w < words.Length; w++)
        {
            result.Append(w == 0 ? string.Empty : " ");
            var word = words[w];
            if (word.Length < 2 || !word.All(char.IsLetter) || random.NextDouble() >= share)
            {
                result.Append(word);
                continue;
            }

            result.Append(random.Next(3) switch
            {
                0 => Swap(word, random.Next(word.Length - 1)),
                1 => word.Remove(random.Next(word.Length), 1),
                _ => Duplicate(word, random.Next(word.Length)),
            });
        }

        return result.ToString();
    }

    /// <summary>How many words differ between two texts of the same word count (for the doc's description of the damage).</summary>
    public static int ChangedWords(string original, string typed) =>
        original.Split(' ').Zip(typed.Split(' ')).Count(pair => pair.First != pair.Second);

    private static string Swap(string word, int at)
    {
        var letters = word.ToCharArray();
        (letters[at], letters[at + 1]) = (letters[at + 1], letters[at]);
        return new string(letters);
    }

    private static string Duplicate(string word, int at) => word.Insert(at, word[at].ToString());
}
