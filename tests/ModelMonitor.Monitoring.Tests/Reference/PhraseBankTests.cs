using ModelMonitor.Monitoring.Reference;
using ModelMonitor.Statistics;
using ModelMonitor.Testing;

namespace ModelMonitor.Monitoring.Tests.Reference;

public class PhraseBankTests
{
    private static ReferenceText[] Texts(params string[] texts) => [.. texts.Select(t => new ReferenceText(t, null))];

    [Fact]
    public void Subphrases_are_word_aligned_spans_of_other_texts()
    {
        var found = PhraseBank.Subphrases(Texts("a charming journey", "charming", "charming journey", "arming", "a charming journey"));
        Assert.Equal(["charming", "charming journey"], found.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Auto_keeps_an_ordinary_file_whole_and_trims_a_phrase_bank()
    {
        var ordinary = Texts("the card was declined", "how do I top up", "charming", "where is my refund");
        var (kept, summary) = PhraseBank.Apply(ordinary, SubphraseHandling.Auto);
        Assert.Equal(4, kept.Count);
        Assert.False(summary.Dropped);

        var bank = Texts("a charming journey", "charming", "charming journey", "journey", "a", "bleak and desperate", "bleak");
        (kept, summary) = PhraseBank.Apply(bank, SubphraseHandling.Auto);
        Assert.True(summary.Dropped);
        Assert.Equal(["a charming journey", "bleak and desperate"], kept.Select(t => t.Text));
        Assert.Equal(7, PhraseBank.Apply(bank, SubphraseHandling.Keep).Texts.Count);
    }

    [Fact]
    public void Sst2_train_maximal_rows_match_dev_in_length_where_the_whole_file_does_not()
    {
        var train = ReferenceFileReader.Read(TestPaths.Sst2Train);
        var dev = ReferenceFileReader.Read(TestPaths.Sst2Dev);
        var (kept, summary) = PhraseBank.Apply(train, SubphraseHandling.Auto);

        Assert.Equal(67_349, summary.Texts);
        Assert.True(summary.Dropped);
        Assert.Equal(6_885, kept.Count);
        double[] Lengths(IEnumerable<ReferenceText> texts) => [.. texts.Select(t => (double)t.Text.EnumerateRunes().Count())];
        var devLengths = Lengths(dev);
        Assert.True(KolmogorovSmirnov.TwoSample(Lengths(train), devLengths).PValue < 1e-100);
        Assert.True(KolmogorovSmirnov.TwoSample(Lengths(kept), devLengths).PValue > 0.05);
    }
}
