using System.Globalization;
using Repro.Core.Runs;

namespace Repro.Core.Verification.Comparison;

/// <summary>Compares bytes, streaming both sides: the first differing offset, the sizes, and how many bytes differ.</summary>
internal static class BinaryComparer
{
    private const int ChunkSize = 81920;

    /// <summary>Whether the two hold the same bytes.</summary>
    public static bool SameBytes(ContentSource recorded, ContentSource actual)
    {
        if (recorded.Length != actual.Length)
        {
            return false;
        }

        var scan = Scan(recorded, actual, countAll: false);
        return scan.FirstDifference < 0 && scan.RecordedLength == scan.ActualLength;
    }

    public static ComparisonResult Compare(ContentSource recorded, ContentSource actual)
    {
        var scan = Scan(recorded, actual, countAll: true);
        var sizes = string.Create(CultureInfo.InvariantCulture, $"sizes: recorded {scan.RecordedLength} bytes, re-created {scan.ActualLength} bytes");
        if (scan.FirstDifference < 0 && scan.RecordedLength == scan.ActualLength)
        {
            return new ComparisonResult(ComparisonOutcome.Identical, ComparerName.Binary, "bit-identical (same bytes)", []);
        }

        if (scan.FirstDifference < 0)
        {
            var shared = Math.Min(scan.RecordedLength, scan.ActualLength);
            var summary = scan.ActualLength > scan.RecordedLength
                ? string.Create(CultureInfo.InvariantCulture, $"binary content differs: re-created has {scan.ActualLength - shared} more bytes after the recorded {shared}")
                : string.Create(CultureInfo.InvariantCulture, $"binary content differs: re-created is cut short at {shared} of the recorded {scan.RecordedLength} bytes");
            return new ComparisonResult(ComparisonOutcome.Different, ComparerName.Binary, summary, [sizes]);
        }

        var offset = string.Create(CultureInfo.InvariantCulture, $"byte offset {scan.FirstDifference} (0x{scan.FirstDifference:x})");
        var details = new List<string>
        {
            sizes,
            string.Create(CultureInfo.InvariantCulture, $"first difference at {offset}: recorded 0x{scan.RecordedByte:x2}, re-created 0x{scan.ActualByte:x2}"),
        };
        string summaryLine;
        if (scan.RecordedLength == scan.ActualLength)
        {
            summaryLine = string.Create(CultureInfo.InvariantCulture, $"binary content differs: {scan.DifferentBytes} of {scan.RecordedLength} bytes differ, first at {offset}");
        }
        else
        {
            summaryLine = string.Create(CultureInfo.InvariantCulture, $"binary content differs from {offset}; sizes differ ({scan.RecordedLength} against {scan.ActualLength} bytes)");
            details.Add(string.Create(CultureInfo.InvariantCulture, $"{scan.DifferentBytes} of the first {Math.Min(scan.RecordedLength, scan.ActualLength)} bytes differ"));
        }

        return new ComparisonResult(ComparisonOutcome.Different, ComparerName.Binary, summaryLine, details);
    }

    private static ByteScan Scan(ContentSource recorded, ContentSource actual, bool countAll)
    {
        using var r = recorded.Open();
        using var a = actual.Open();
        var recordedBuffer = new byte[ChunkSize];
        var actualBuffer = new byte[ChunkSize];
        long position = 0;
        long recordedLength = 0;
        long actualLength = 0;
        long first = -1;
        long different = 0;
        byte recordedByte = 0;
        byte actualByte = 0;
        while (true)
        {
            var recordedRead = r.ReadAtLeast(recordedBuffer, ChunkSize, throwOnEndOfStream: false);
            var actualRead = a.ReadAtLeast(actualBuffer, ChunkSize, throwOnEndOfStream: false);
            recordedLength += recordedRead;
            actualLength += actualRead;
            var shared = Math.Min(recordedRead, actualRead);
            var left = recordedBuffer.AsSpan(0, shared);
            var right = actualBuffer.AsSpan(0, shared);
            if (!left.SequenceEqual(right))
            {
                var prefix = left.CommonPrefixLength(right);
                if (first < 0)
                {
                    first = position + prefix;
                    recordedByte = left[prefix];
                    actualByte = right[prefix];
                    if (!countAll)
                    {
                        break;
                    }
                }

                for (var i = prefix; i < shared; i++)
                {
                    different += left[i] != right[i] ? 1 : 0;
                }
            }

            position += shared;
            if (recordedRead < ChunkSize || actualRead < ChunkSize)
            {
                // One side has ended; drain the other only to learn its size.
                recordedLength += Drain(r, recordedBuffer);
                actualLength += Drain(a, actualBuffer);
                break;
            }
        }

        return new ByteScan(recordedLength, actualLength, first, different, recordedByte, actualByte);
    }

    private static long Drain(Stream stream, byte[] buffer)
    {
        long total = 0;
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            total += read;
        }

        return total;
    }

    private readonly record struct ByteScan(long RecordedLength, long ActualLength, long FirstDifference, long DifferentBytes, byte RecordedByte, byte ActualByte);
}
