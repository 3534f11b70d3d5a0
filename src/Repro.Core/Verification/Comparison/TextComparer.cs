using System.Globalization;
using System.Text;
using Repro.Core.Runs;

namespace Repro.Core.Verification.Comparison;

/// <summary>Compares UTF-8 text line by line and reports the first line that differs, streaming both files.</summary>
internal static class TextComparer
{
    public static ComparisonResult Compare(ContentSource recorded, ContentSource actual)
    {
        using var recordedReader = new StreamReader(recorded.Open(), Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
        using var actualReader = new StreamReader(actual.Open(), Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
        long line = 0;
        long recordedLines = 0;
        long actualLines = 0;
        var details = new List<string>();
        string? summary = null;
        while (true)
        {
            var r = recordedReader.ReadLine();
            var a = actualReader.ReadLine();
            if (r is null && a is null)
            {
                break;
            }

            line++;
            recordedLines += r is null ? 0 : 1;
            actualLines += a is null ? 0 : 1;
            if (summary is not null || string.Equals(r, a, StringComparison.Ordinal))
            {
                continue;
            }

            if (r is null)
            {
                summary = string.Create(CultureInfo.InvariantCulture, $"text differs: re-created has more lines; the first extra is line {line}");
                details.Add($"re-created line {line.ToString(CultureInfo.InvariantCulture)}: {DisplayText.Quote(a!)}");
            }
            else if (a is null)
            {
                summary = string.Create(CultureInfo.InvariantCulture, $"text differs: re-created ends after line {line - 1}");
                details.Add($"recorded line {line.ToString(CultureInfo.InvariantCulture)}: {DisplayText.Quote(r)}");
            }
            else
            {
                var at = DisplayText.FirstDifference(r, a);
                summary = string.Create(CultureInfo.InvariantCulture, $"text differs from line {line}, column {at + 1}");
                details.Add($"recorded:   {DisplayText.Quote(r, at)}");
                details.Add($"re-created: {DisplayText.Quote(a, at)}");
            }
        }

        if (summary is null)
        {
            return new ComparisonResult(
                ComparisonOutcome.Equivalent,
                ComparerName.Text,
                "same lines of text; differs only in line endings, the final newline or a byte-order mark",
                []);
        }

        details.Add(string.Create(CultureInfo.InvariantCulture, $"lines: recorded {recordedLines}, re-created {actualLines}"));
        return new ComparisonResult(ComparisonOutcome.Different, ComparerName.Text, summary, details);
    }
}
