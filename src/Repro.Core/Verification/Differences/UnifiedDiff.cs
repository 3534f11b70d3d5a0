namespace Repro.Core.Verification.Differences;

/// <summary>A unified diff of two texts, cut to a bounded number of lines.</summary>
/// <param name="LabelA">The name on the <c>---</c> line.</param>
/// <param name="LabelB">The name on the <c>+++</c> line.</param>
/// <param name="Text">The first <paramref name="ShownLines"/> lines of the diff, each ending in a line feed; empty when the texts are equal.</param>
/// <param name="TotalLines">How many lines the whole diff has.</param>
/// <param name="ShownLines">How many of them <paramref name="Text"/> holds.</param>
public sealed record UnifiedDiff(string LabelA, string LabelB, string Text, int TotalLines, int ShownLines)
{
    /// <summary>Whether the two texts are equal.</summary>
    public bool IsEmpty => TotalLines == 0;

    /// <summary>Whether lines were left out to keep the output bounded.</summary>
    public bool Truncated => ShownLines < TotalLines;
}
