using System.Text;

namespace Repro.Core.Processes;

/// <summary>Reading what a started program writes, without letting a runaway program exhaust memory.</summary>
public static class ProcessOutput
{
    /// <summary>
    /// Reads <paramref name="stream"/> to its end as UTF-8 and keeps at most <paramref name="maxChars"/> characters; the
    /// rest is read and dropped, so the program never blocks on a full pipe.
    /// </summary>
    public static async Task<string> ReadBoundedAsync(Stream stream, int maxChars)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 4096, leaveOpen: true);
        var kept = new StringBuilder();
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            var room = maxChars - kept.Length;
            if (room > 0)
            {
                kept.Append(buffer, 0, Math.Min(read, room));
            }
        }

        return kept.ToString();
    }
}
