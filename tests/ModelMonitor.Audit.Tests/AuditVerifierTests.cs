namespace ModelMonitor.Audit.Tests;

/// <summary>verify catches every edit, deletion and reordering of stored lines.</summary>
public sealed class AuditVerifierTests : IAsyncLifetime
{
    private const int Count = 8;
    private AuditFixture audit = null!;
    private string[] original = [];

    public async Task InitializeAsync()
    {
        audit = new AuditFixture().Start();
        for (var i = 0; i < Count; i++)
        {
            await audit.Log.AppendAsync([AuditFixture.Entry("text-" + i)]);
        }

        await audit.StopAsync();
        original = audit.Lines();
    }

    public async Task DisposeAsync()
    {
        await audit.DisposeAsync();
        audit.Delete();
    }

    public static TheoryData<int> Positions => new() { 0, 1, 3, 6, 7 };

    [Theory]
    [MemberData(nameof(Positions))]
    public void An_edited_field_is_caught_at_that_record(int index)
    {
        Rewrite(original.Select((l, i) => i == index ? l.Replace("text-" + i, "TEXT-" + i, StringComparison.Ordinal) : l));
        var result = AuditVerifier.Verify(audit.Directory);
        Assert.False(result.Ok);
        Assert.Equal(index + 1, result.FirstBreak!.Line);
        Assert.Contains("edited", result.FirstBreak.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Positions))]
    public void A_recomputed_hash_after_an_edit_is_caught_by_the_next_link(int index)
    {
        // A careful forger edits a line and recomputes its hash: the next record's prev still points at the old hash.
        var lines = original.ToArray();
        var edited = lines[index].Replace("POSITIVE", "NEGATIVE", StringComparison.Ordinal);
        Assert.True(AuditChain.TrySplit(System.Text.Encoding.UTF8.GetBytes(edited), out var canonical, out _));
        lines[index] = edited[..edited.LastIndexOf(",\"hash\":", StringComparison.Ordinal)] + ",\"hash\":\"" + AuditChain.Hash(canonical) + "\"}";
        Rewrite(lines);
        var result = AuditVerifier.Verify(audit.Directory);
        Assert.False(result.Ok);
        Assert.Equal(index == Count - 1 ? 0 : index + 2, result.FirstBreak!.Line);
    }

    [Theory]
    [MemberData(nameof(Positions))]
    public void A_deleted_record_is_caught(int index)
    {
        Rewrite(original.Where((_, i) => i != index));
        var result = AuditVerifier.Verify(audit.Directory);
        Assert.False(result.Ok);
        Assert.Contains("deleted", result.FirstBreak!.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(2, 5)]
    [InlineData(6, 7)]
    public void Swapped_records_are_caught(int a, int b)
    {
        var lines = original.ToArray();
        (lines[a], lines[b]) = (lines[b], lines[a]);
        Rewrite(lines);
        Assert.False(AuditVerifier.Verify(audit.Directory).Ok);
    }

    [Fact]
    public void A_duplicated_record_is_caught()
    {
        Rewrite(original.Take(4).Append(original[3]).Concat(original.Skip(4)));
        Assert.False(AuditVerifier.Verify(audit.Directory).Ok);
    }

    [Fact]
    public void The_untouched_store_verifies_with_counts()
    {
        var result = AuditVerifier.Verify(audit.Directory);
        Assert.True(result.Ok);
        Assert.Equal(Count, result.Records);
        Assert.Equal(1, result.Segments);
    }

    private void Rewrite(IEnumerable<string> lines) =>
        File.WriteAllText(AuditSegments.List(audit.Directory).Single(), string.Join("", lines.Select(l => l + "\n")));
}
