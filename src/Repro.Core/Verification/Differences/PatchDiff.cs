using System.Globalization;
using System.Text;
using DiffPlex;
using DiffPlex.Model;

namespace Repro.Core.Verification.Differences;

/// <summary>
/// The unified diff of two runs' <c>code.patch</c> files: what changed between the uncommitted changes of A and of B.
/// DiffPlex finds the edit script (Myers); hunks are written here because DiffPlex's own renderer treats the final line
/// feed as an extra empty line and never writes <c>\ No newline at end of file</c>, so its hunk ranges disagree with git's.
/// </summary>
public static class PatchDiff
{
    /// <summary>Lines of diff kept by default; a patch of a large refactoring would otherwise flood the terminal.</summary>
    public const int DefaultMaxLines = 400;

    /// <summary>Unchanged lines shown around each change, as git and diff -u show.</summary>
    public const int ContextLines = 3;

    private const string NoNewline = "\\ No newline at end of file";

    /// <summary>
    /// The unified diff of <paramref name="patchA"/> and <paramref name="patchB"/> (a missing patch reads as empty),
    /// or null when neither run has a patch.
    /// </summary>
    /// <param name="patchA">Text of run A's <c>code.patch</c>, or null.</param>
    /// <param name="patchB">Text of run B's <c>code.patch</c>, or null.</param>
    /// <param name="labelA">Name of A's patch on the <c>---</c> line.</param>
    /// <param name="labelB">Name of B's patch on the <c>+++</c> line.</param>
    /// <param name="maxLines">Most lines of diff to keep, at least 1.</param>
    public static UnifiedDiff? Create(string? patchA, string? patchB, string labelA = "a/code.patch", string labelB = "b/code.patch", int maxLines = DefaultMaxLines)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLines, 1);
        if (patchA is null && patchB is null)
        {
            return null;
        }

        var lines = DiffLines(patchA ?? string.Empty, patchB ?? string.Empty, labelA, labelB);
        var shown = Math.Min(lines.Count, maxLines);
        var text = new StringBuilder();
        foreach (var line in lines.Take(shown))
        {
            text.Append(line).Append('\n');
        }

        return new UnifiedDiff(labelA, labelB, text.ToString(), lines.Count, shown);
    }

    private static List<string> DiffLines(string a, string b, string labelA, string labelB)
    {
        var result = Differ.Instance.CreateDiffs(a, b, ignoreWhiteSpace: false, ignoreCase: false, TerminatedLineChunker.Instance);
        var lines = new List<string>();
        if (result.DiffBlocks.Count == 0)
        {
            return lines;
        }

        lines.Add($"--- {labelA}");
        lines.Add($"+++ {labelB}");
        var blocks = result.DiffBlocks;
        var first = 0;
        while (first < blocks.Count)
        {
            // Changes whose contexts would touch or overlap share one hunk, as in diff -u.
            var last = first;
            while (last + 1 < blocks.Count && blocks[last + 1].DeleteStartA - EndA(blocks[last]) <= 2 * ContextLines)
            {
                last++;
            }

            WriteHunk(result, blocks, first, last, lines);
            first = last + 1;
        }

        return lines;
    }

    private static void WriteHunk(DiffResult result, IList<DiffBlock> blocks, int first, int last, List<string> lines)
    {
        var oldLines = result.PiecesOld;
        var newLines = result.PiecesNew;
        var oldStart = Math.Max(0, blocks[first].DeleteStartA - ContextLines);
        var oldEnd = Math.Min(oldLines.Count, EndA(blocks[last]) + ContextLines);

        // Outside the changes both texts hold the same lines, so the leading and trailing context is as long in B as in A.
        var newStart = blocks[first].InsertStartB - (blocks[first].DeleteStartA - oldStart);
        var newEnd = blocks[last].InsertStartB + blocks[last].InsertCountB + (oldEnd - EndA(blocks[last]));
        lines.Add($"@@ -{Range(oldStart, oldEnd - oldStart)} +{Range(newStart, newEnd - newStart)} @@");

        var position = oldStart;
        for (var index = first; index <= last; index++)
        {
            var block = blocks[index];
            WriteLines(' ', oldLines, position, block.DeleteStartA, lines);
            WriteLines('-', oldLines, block.DeleteStartA, EndA(block), lines);
            WriteLines('+', newLines, block.InsertStartB, block.InsertStartB + block.InsertCountB, lines);
            position = EndA(block);
        }

        WriteLines(' ', oldLines, position, oldEnd, lines);
    }

    private static void WriteLines(char prefix, IReadOnlyList<string> pieces, int start, int end, List<string> lines)
    {
        for (var index = start; index < end; index++)
        {
            var piece = pieces[index];
            if (piece.EndsWith('\n'))
            {
                lines.Add(prefix + piece[..^1]);
            }
            else
            {
                lines.Add(prefix + piece);
                lines.Add(NoNewline);
            }
        }
    }

    private static int EndA(DiffBlock block) => block.DeleteStartA + block.DeleteCountA;

    /// <summary>A hunk range as diff -u writes it: 1-based start, count omitted when 1, and an empty range named by the line before it.</summary>
    private static string Range(int start, int count) => count switch
    {
        0 => $"{start.ToString(CultureInfo.InvariantCulture)},0",
        1 => (start + 1).ToString(CultureInfo.InvariantCulture),
        _ => $"{(start + 1).ToString(CultureInfo.InvariantCulture)},{count.ToString(CultureInfo.InvariantCulture)}",
    };

    /// <summary>
    /// Splits text into lines that keep their line feed, so that a last line without one differs from the same line with
    /// one. Only <c>\n</c> ends a line: a carriage return is part of the line, as in git.
    /// </summary>
    private sealed class TerminatedLineChunker : IChunker
    {
        public static readonly TerminatedLineChunker Instance = new();

        public IReadOnlyList<string> Chunk(string str)
        {
            var pieces = new List<string>();
            var start = 0;
            while (start < str.Length)
            {
                var end = str.IndexOf('\n', start);
                end = end < 0 ? str.Length : end + 1;
                pieces.Add(str[start..end]);
                start = end;
            }

            return pieces;
        }
    }
}
