using ModelMonitor.Inference.Classification;
using ModelMonitor.Inference.Onnx;
using ModelMonitor.Inference.Tests.Onnx;
using ModelMonitor.Testing;

namespace ModelMonitor.Inference.Tests.Classification;

public sealed class SoloSessionTests
{
    [Fact]
    public void A_call_alone_runs_on_the_solo_session_and_gets_the_reference_logits()
    {
        using var classifier = TextClassifier.Load(ModelFolder.Open(TestPaths.Sst2TinyModel), new ClassifierSettings
        {
            Session = new OnnxSessionSettings { IntraOpThreads = 1 },
            SoloSession = new OnnxSessionSettings { IntraOpThreads = 2 },
        });
        Assert.NotNull(classifier.SoloSession);
        var cases = OnnxSessionTests.ReferenceCases();
        var encodings = cases.Select(c => classifier.Tokenize(c.Text)).ToArray();

        var alone = classifier.Classify(encodings, alone: true);
        var shared = classifier.Classify(encodings, alone: false);

        for (var i = 0; i < cases.Count; i++)
        {
            for (var j = 0; j < cases[i].Logits.Length; j++)
            {
                Assert.True(Math.Abs(alone[i].Logits[j] - cases[i].Logits[j]) <= 1e-4, $"{cases[i].Text}: {alone[i].Logits[j]} vs {cases[i].Logits[j]}");
                Assert.True(Math.Abs(shared[i].Logits[j] - alone[i].Logits[j]) <= 1e-5, $"{cases[i].Text}: {shared[i].Logits[j]} vs {alone[i].Logits[j]}");
            }
        }
    }

    [Fact]
    public async Task Disposing_releases_both_sessions_once_their_calls_are_done()
    {
        var classifier = TextClassifier.Load(ModelFolder.Open(TestPaths.Sst2TinyModel), new ClassifierSettings { SoloSession = new OnnxSessionSettings { IntraOpThreads = 2 } });
        var solo = classifier.SoloSession!;
        classifier.Dispose();

        await Task.WhenAll(classifier.Session.Released, solo.Released).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Throws<ObjectDisposedException>(() => classifier.Classify([classifier.Tokenize("still there?")], alone: true));
    }

    [Fact]
    public void Without_solo_settings_there_is_one_session_and_a_call_alone_uses_it()
    {
        using var classifier = TextClassifier.Load(ModelFolder.Open(TestPaths.Sst2TinyModel));
        Assert.Null(classifier.SoloSession);
        var result = classifier.Classify([classifier.Tokenize("a gorgeous, witty film")], alone: true);
        Assert.Equal("POSITIVE", result[0].Label);
    }
}
