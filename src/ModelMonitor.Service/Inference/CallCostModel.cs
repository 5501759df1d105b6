namespace ModelMonitor.Service.Inference;

/// <summary>
/// Learns what one ONNX Runtime call costs, <c>time ≈ overhead + perToken × padded tokens</c>, from
/// the calls the batcher makes (an exponentially weighted least-squares fit, so it follows the
/// machine). Its ratio, the overhead in padded tokens, tells the cut how much padding is worth
/// accepting to save a call: many tokens for a tiny model whose calls are mostly fixed cost, next
/// to none for a large model whose time is all in the tokens. Not thread-safe: the batcher's workers use it under their gate.
/// </summary>
internal sealed class CallCostModel(double decay = 0.98, int warmupCalls = 16)
{
    private double weight;
    private double sumX;
    private double sumY;
    private double sumXx;
    private double sumXy;
    private int calls;

    public void Observe(long paddedTokens, double seconds)
    {
        if (paddedTokens <= 0 || !(seconds > 0))
        {
            return;
        }

        weight = (weight * decay) + 1;
        sumX = (sumX * decay) + paddedTokens;
        sumY = (sumY * decay) + seconds;
        sumXx = (sumXx * decay) + ((double)paddedTokens * paddedTokens);
        sumXy = (sumXy * decay) + (paddedTokens * seconds);
        calls++;
    }

    /// <summary>The fixed cost of a call in padded-token equivalents, or null until enough varied calls were seen.</summary>
    public double? OverheadTokens
    {
        get
        {
            if (calls < warmupCalls)
            {
                return null;
            }

            var meanX = sumX / weight;
            var meanY = sumY / weight;
            var varianceX = (sumXx / weight) - (meanX * meanX);
            if (varianceX <= 1e-9 * meanX * meanX)
            {
                return null; // every call the same size: the two costs cannot be told apart
            }

            var perToken = ((sumXy / weight) - (meanX * meanY)) / varianceX;
            if (!(perToken > 0))
            {
                return null;
            }

            var overhead = Math.Max(0, meanY - (perToken * meanX));
            return overhead / perToken;
        }
    }
}
