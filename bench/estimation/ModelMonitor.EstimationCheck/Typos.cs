using System.Text;

namespace ModelMonitor.EstimationCheck;

/// <summary>Seeded typing errors: in about a third of the words of four letters or more, two inner letters swap places.</summary>
internal static class Typos
{
    public static string Apply(string text, Random random)
    {
        var words = text.Split(' ');
        var result = new StringBuilder(text.Length);
        for (var w = 0; w < words.Length; w++)
        {
            var word = words[w].ToCharArray();
            if (word.Length >= 4 && word.All(char.IsLetter) && random.NextDouble() < 1.0 / 3)
            {
                var i = 1 + random.Next(word.Length - 2);
                var j = i + 1 < word.Length - 1 ? i + 1 : i - 1;
                (word[i], word[j]) = (word[j], word[i]);
            }

            result.Append(w == 0 ? string.Empty : " ").Append(word);
        }

        return result.ToString();
    }
}
