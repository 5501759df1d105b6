using System.Text;
using ModelMonitor.Testing;

namespace ModelMonitor.Service.Tests.Monitoring;

/// <summary>Issue 14, item 7, on the real model: typos and random upper-casing show in the features made for them.</summary>
public sealed class NoisyTextTests
{
    /// <summary>A typo (two inner letters swapped, or one replaced) in 30% of words, and 30% of words upper-cased.</summary>
    private static string Noisy(string text, Random random)
    {
        var words = text.Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            var word = new StringBuilder(words[i]);
            if (word.Length >= 4 && random.NextDouble() < 0.3)
            {
                var at = 1 + random.Next(word.Length - 2);
                if (random.NextDouble() < 0.5)
                {
                    (word[at], word[at + 1]) = (word[at + 1], word[at]);
                }
                else
                {
                    word[at] = (char)('a' + random.Next(26));
                }
            }

            words[i] = random.NextDouble() < 0.3 ? word.ToString().ToUpperInvariant() : word.ToString();
        }

        return string.Join(' ', words);
    }

    [Fact]
    public async Task Sst2_dev_with_typos_and_random_upper_casing_drifts_in_case_and_word_splitting()
    {
        using var factory = new ConfiguredServiceFactory(MonitoringClient.Settings(TestPaths.Sst2Train, null));
        var client = factory.CreateClient();
        await MonitoringClient.WaitForReferenceAsync(client);
        var random = new Random(14);
        await MonitoringClient.PredictAsync(client, MonitoringClient.Dev.Select(d => Noisy(d.Text, random)));
        var drift = await MonitoringClient.EvaluateAsync(client);

        var verdicts = MonitoringClient.Features(drift).ToDictionary(f => f.GetProperty("feature").GetString()!, f => f.GetProperty("verdict").GetString());
        Assert.Equal("drift", verdicts["upper_case_share"]);
        Assert.Equal("drift", verdicts["pieces_per_word"]);
        Assert.Equal("drift", verdicts["split_word_share"]);
        Assert.Equal("stable", verdicts["unknown_token_share"]);
    }
}
