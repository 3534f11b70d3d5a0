using System.Globalization;
using System.Text;
using Repro.Core.Runs;

namespace Repro.Core.Verification.Comparison;

/// <summary>
/// Compares CSV and TSV cell by cell, reading both files a record at a time so size does not matter. Cells that
/// both read as numbers are compared with the tolerance; other cells must be equal. Rows are numbered from 1 as a
/// spreadsheet shows them, counting the header row; columns from 1, with the recorded header's name when the first
/// row has no numbers in it.
/// </summary>
internal sealed class CsvComparer
{
    private static readonly char[] CandidateDelimiters = [',', ';', '\t', '|'];

    private readonly ComparisonTolerance _tolerance;
    private readonly DetailList _details = new();
    private List<string>? _header;
    private string? _firstDifference;
    private int _differentCells;
    private int _differentRows;
    private int _withinTolerance;
    private bool _spellingDiffers;
    private NumericDifference? _largest;

    private CsvComparer(ComparisonTolerance tolerance)
    {
        _tolerance = tolerance;
    }

    /// <summary>Compares the two sources; throws <see cref="CsvSyntaxException"/> when either is not CSV.</summary>
    public static ComparisonResult Compare(ContentSource recorded, ContentSource actual, ComparisonTolerance tolerance)
    {
        var recordedDelimiter = DetectDelimiter(recorded);
        var actualDelimiter = DetectDelimiter(actual);
        var comparer = new CsvComparer(tolerance);
        using var recordedText = new StreamReader(recorded.Open(), Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
        using var actualText = new StreamReader(actual.Open(), Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
        var (recordedRows, actualRows) = comparer.CompareRecords(
            new CsvReader(recordedText, recordedDelimiter),
            new CsvReader(actualText, actualDelimiter));
        var format = recorded.HasExtension(".tsv", ".tab") ? "TSV" : "CSV";
        return comparer.Result(format, recordedRows, actualRows, recordedDelimiter, actualDelimiter);
    }

    /// <summary>Tab for .tsv and .tab; otherwise a comma, unless the first line has none and another candidate is there.</summary>
    private static char DetectDelimiter(ContentSource source)
    {
        if (source.HasExtension(".tsv", ".tab"))
        {
            return '\t';
        }

        using var reader = new StreamReader(source.Open(), Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
        var head = new char[65536];
        var read = reader.ReadBlock(head);
        var counts = new int[CandidateDelimiters.Length];
        var quoted = false;
        foreach (var c in head.AsSpan(0, read))
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c is '\r' or '\n')
            {
                break;
            }
            else if (!quoted && Array.IndexOf(CandidateDelimiters, c) is var index and >= 0)
            {
                counts[index]++;
            }
        }

        if (counts[0] > 0)
        {
            return ',';
        }

        var best = 0;
        for (var i = 1; i < counts.Length; i++)
        {
            if (counts[i] > counts[best])
            {
                best = i;
            }
        }

        return CandidateDelimiters[best];
    }

    private (long Recorded, long Actual) CompareRecords(CsvReader recorded, CsvReader actual)
    {
        long row = 0;
        while (true)
        {
            var recordedCells = recorded.ReadRecord();
            var actualCells = actual.ReadRecord();
            if (recordedCells is null || actualCells is null)
            {
                if (recordedCells is not null || actualCells is not null)
                {
                    var side = recordedCells is null ? "the re-created file" : "the recorded file";
                    var cells = recordedCells ?? actualCells!;
                    _details.Add(string.Create(CultureInfo.InvariantCulture, $"row {row + 1} is only in {side}: {DisplayText.Quote(string.Join(',', cells))}"));
                }

                var recordedRows = row + (recordedCells is null ? 0 : 1 + CountRemaining(recorded));
                var actualRows = row + (actualCells is null ? 0 : 1 + CountRemaining(actual));
                return (recordedRows, actualRows);
            }

            row++;
            if (row == 1 && !recordedCells.Any(cell => TryParseNumber(cell, out _)))
            {
                _header = recordedCells;
            }

            CompareRow(row, recordedCells, actualCells);
        }
    }

    private void CompareRow(long row, List<string> recorded, List<string> actual)
    {
        var rowDiffers = false;
        if (recorded.Count != actual.Count)
        {
            rowDiffers = true;
            var what = row == 1 ? "column count differs" : "cell count differs";
            var names = row == 1 && _header is not null;
            var added = actual.Count > recorded.Count
                ? $"; re-created adds {Describe(actual, recorded.Count, names)}"
                : $"; re-created lacks {Describe(recorded, actual.Count, names)}";
            Different(row, null, () => $"{what}: recorded {recorded.Count}, re-created {actual.Count}{added}");
        }

        for (var i = 0; i < Math.Min(recorded.Count, actual.Count); i++)
        {
            var r = recorded[i];
            var a = actual[i];
            if (string.Equals(r, a, StringComparison.Ordinal))
            {
                continue;
            }

            if (TryParseNumber(r, out var recordedNumber) && TryParseNumber(a, out var actualNumber))
            {
                var check = NumberComparison.Compare(recordedNumber, actualNumber, _tolerance);
                if (check.Verdict == NumberVerdict.Equal)
                {
                    _spellingDiffers = true;
                    continue;
                }

                if (NumberComparison.IsLarger(check, _largest))
                {
                    _largest = new NumericDifference(Cell(row, i), recordedNumber, actualNumber, check.Absolute, check.Relative);
                }

                if (check.Verdict == NumberVerdict.WithinTolerance)
                {
                    _withinTolerance++;
                    continue;
                }

                rowDiffers = true;
                _differentCells++;
                Different(row, i, () => $"recorded {r}, re-created {a} ({DisplayText.Differences(check.Absolute, check.Relative)})");
            }
            else
            {
                rowDiffers = true;
                _differentCells++;
                var at = DisplayText.FirstDifference(r, a);
                Different(row, i, () => $"recorded {DisplayText.Quote(r, at)}, re-created {DisplayText.Quote(a, at)}");
            }
        }

        if (rowDiffers)
        {
            _differentRows++;
        }
    }

    private void Different(long row, int? column, Func<string> describe)
    {
        string Location() => column is { } c ? Cell(row, c) : string.Create(CultureInfo.InvariantCulture, $"row {row}");
        _firstDifference ??= Location();
        _details.Add(() => $"{Location()}: {describe()}");
    }

    private ComparisonResult Result(string format, long recordedRows, long actualRows, char recordedDelimiter, char actualDelimiter)
    {
        var largest = _largest is null
            ? string.Empty
            : $"largest numeric difference {DisplayText.Difference(_largest.AbsoluteDifference)} at {_largest.Location}";
        var rowCountDiffers = recordedRows != actualRows;
        if (rowCountDiffers)
        {
            _details.Add(string.Create(CultureInfo.InvariantCulture, $"row count differs: recorded {recordedRows}, re-created {actualRows}"));
        }

        if (rowCountDiffers || _differentRows > 0)
        {
            var parts = new List<string>();
            if (rowCountDiffers)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"recorded {DisplayText.Count(recordedRows, "row")}, re-created {actualRows}"));
            }

            if (_differentRows > 0)
            {
                parts.Add($"{DisplayText.Count(_differentCells, "cell")} in {DisplayText.Count(_differentRows, "row")} {DisplayText.Differ(_differentCells)}, first at {_firstDifference}");
            }

            if (_largest is not null)
            {
                parts.Add(largest);
            }

            return new ComparisonResult(ComparisonOutcome.Different, ComparerName.Csv, $"{format} differs: {string.Join("; ", parts)}", _details.ToList())
            {
                LargestDifference = _largest,
            };
        }

        if (_withinTolerance > 0)
        {
            return new ComparisonResult(
                ComparisonOutcome.Equivalent,
                ComparerName.Csv,
                $"{format} equal within tolerance ({_tolerance}): {DisplayText.Count(_withinTolerance, "numeric cell")} {DisplayText.Differ(_withinTolerance)}; {largest}",
                [])
            {
                LargestDifference = _largest,
            };
        }

        var reasons = new List<string>();
        if (recordedDelimiter != actualDelimiter)
        {
            reasons.Add($"the delimiter ({Name(recordedDelimiter)} against {Name(actualDelimiter)})");
        }

        if (_spellingDiffers)
        {
            reasons.Add("number spelling");
        }

        reasons.Add("quoting or line endings");
        return new ComparisonResult(ComparisonOutcome.Equivalent, ComparerName.Csv, $"same {format} cells; differs only in {DisplayText.List(reasons)}", []);
    }

    private string Cell(long row, int column)
    {
        var location = string.Create(CultureInfo.InvariantCulture, $"row {row}, column {column + 1}");
        return _header is not null && column < _header.Count && _header[column].Length > 0
            ? $"{location} ({_header[column]})"
            : location;
    }

    private static string Describe(List<string> cells, int from, bool headerNames)
    {
        var columns = new List<string>();
        for (var i = from; i < cells.Count && columns.Count < 5; i++)
        {
            var column = string.Create(CultureInfo.InvariantCulture, $"column {i + 1}");
            columns.Add(headerNames ? $"{column} ({cells[i]})" : $"{column} {DisplayText.Quote(cells[i])}");
        }

        return string.Join(", ", columns) + (cells.Count - from > columns.Count ? ", ..." : string.Empty);
    }

    private static long CountRemaining(CsvReader reader)
    {
        long count = 0;
        while (reader.ReadRecord() is not null)
        {
            count++;
        }

        return count;
    }

    private static string Name(char delimiter) => delimiter switch
    {
        '\t' => "tab",
        _ => $"'{delimiter}'",
    };

    /// <summary>A cell as a number: invariant decimal or exponent notation, or nan/inf/infinity in any case as Python and pandas write them.</summary>
    internal static bool TryParseNumber(string cell, out double value)
    {
        var text = cell.AsSpan().Trim();
        if (text.IsEmpty)
        {
            value = 0;
            return false;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        var unsigned = text.TrimStart("+-");
        if (text.Length - unsigned.Length > 1)
        {
            return false;
        }

        var negative = text[0] == '-';
        if (unsigned.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            value = double.NaN;
            return true;
        }

        if (unsigned.Equals("inf", StringComparison.OrdinalIgnoreCase) || unsigned.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = negative ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }

        return false;
    }
}
