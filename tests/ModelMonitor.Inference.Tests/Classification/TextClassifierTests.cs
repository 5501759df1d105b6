using ModelMonitor.Inference.Classification;
using ModelMonitor.Inference.Tests.Onnx;
using ModelMonitor.Testing;

namespace ModelMonitor.Inference.Tests.Classification;

public sealed class TextClassifierTests : IClassFixture<TextClassifierTests.Loaded>
{
    private readonly TextClassifier classifier;

    public TextClassifierTests(Loaded loaded) => classifier = loaded.Classifier;

    public sealed class Loaded : IDisposable
    {
        public TextClassifier Classifier { get; } = TextClassifier.Load(ModelFolder.Open(TestPaths.Sst2TinyModel));

        public void Dispose() => Classifier.Dispose();
    }

    [Fact]
    public void Model_sha256_is_the_one_in_the_model_card()
    {
        Assert.Equal("ab88a6317a030e1be2ca478ff9f3edb5b9d7f12d44dfd0bcfddc26fc1be33b73", classifier.Model.Sha256);
    }

    [Fact]
    public void Batched_and_padded_logits_equal_the_reference_within_1e_4()
    {
        var cases = OnnxSessionTests.ReferenceCases();
        var results = classifier.Classify(cases.Select(c => c.Text).ToArray());
        for (var i = 0; i < cases.Count; i++)
        {
            for (var j = 0; j < cases[i].Logits.Length; j++)
            {
                Assert.True(Math.Abs(results[i].Logits[j] - cases[i].Logits[j]) <= 1e-4, $"{cases[i].Text}: {results[i].Logits[j]} vs {cases[i].Logits[j]}");
            }

            Assert.Equal(cases[i].Ids.Length, results[i].TokenCount);
        }
    }

    [Fact]
    public void Results_come_back_in_input_order_across_sub_batches()
    {
        using var small = TextClassifier.Load(ModelFolder.Open(TestPaths.Sst2TinyModel), new ClassifierSettings { MaxBatchSize = 3 });
        var texts = TestPaths.ReadTsv(TestPaths.Sst2Dev).Take(20).Select(r => r.Text).ToArray();
        var batched = small.Classify(texts);
        for (var i = 0; i < texts.Length; i++)
        {
            var single = small.Classify([texts[i]])[0];
            Assert.Equal(single.Label, batched[i].Label);
            Assert.Equal(single.Score, batched[i].Score, 1e-5);
        }
    }

    [Fact]
    public void Probabilities_sum_to_one_and_score_is_the_largest()
    {
        var result = classifier.Classify(["a wonderful, moving film"])[0];
        Assert.Equal(1.0, result.Probabilities.Sum(), 1e-12);
        Assert.Equal(result.Probabilities.Max(), result.Score);
        Assert.Equal(classifier.Model.Labels[result.LabelIndex], result.Label);
    }

    [Fact]
    public void Long_text_is_truncated_to_the_configured_limit_and_flagged()
    {
        using var limited = TextClassifier.Load(ModelFolder.Open(TestPaths.Sst2TinyModel), new ClassifierSettings { MaxSequenceLength = 32 });
        var result = limited.Classify([string.Join(' ', Enumerable.Repeat("great", 100))])[0];
        Assert.Equal(32, result.TokenCount);
        Assert.True(result.Truncated);
    }

    [Fact]
    public void Softmax_is_stable_for_huge_logits()
    {
        var probabilities = Softmax.Compute([1000f, 999f, -1000f]);
        Assert.All(probabilities, p => Assert.False(double.IsNaN(p)));
        Assert.Equal(1 / (1 + Math.Exp(-1) + Math.Exp(-2000)), probabilities[0], 1e-12);
        Assert.Equal(1.0, probabilities.Sum(), 1e-12);
    }

    [Fact]
    public void Classifying_one_at_a_time_reaches_the_model_card_accuracy()
    {
        var dev = TestPaths.ReadTsv(TestPaths.Sst2Dev);
        var correct = dev.Count(row => classifier.Classify([row.Text])[0].LabelIndex.ToString(System.Globalization.CultureInfo.InvariantCulture) == row.Label);
        Assert.Equal(708, correct);
    }
}
