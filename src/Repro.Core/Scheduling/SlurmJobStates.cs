using System.Globalization;
using System.Text.RegularExpressions;

namespace Repro.Core.Scheduling;

/// <summary>
/// Reads <c>scontrol show job -o</c>: one line per job, or per task of an array, of <c>Key=Value</c> words. Pure, so
/// tests feed it captured text.
/// </summary>
public static partial class SlurmJobStates
{
    /// <summary>Each task's state, by <c>JOB</c> (or <c>JOB_INDEX</c> for an array task).</summary>
    public static IReadOnlyDictionary<string, ClusterTaskState> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var states = new Dictionary<string, ClusterTaskState>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match match in Field().Matches(line))
            {
                fields.TryAdd(match.Groups[1].Value, match.Groups[2].Value);
            }

            if (!fields.TryGetValue("JobId", out var jobId) || !fields.TryGetValue("JobState", out var state))
            {
                continue;
            }

            IReadOnlyList<string> taskIds = fields.TryGetValue("ArrayJobId", out var arrayJob) && fields.TryGetValue("ArrayTaskId", out var arrayTask)
                ? ArrayIndexes(arrayTask).Select(index => $"{arrayJob}_{index}").ToList()
                : [jobId];
            int? exitCode = null;
            int? signal = null;
            if (fields.TryGetValue("ExitCode", out var exit) && exit.Split(':') is [var code, var sig])
            {
                exitCode = int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c : null;
                signal = int.TryParse(sig, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : null;
            }

            foreach (var taskId in taskIds)
            {
                states[taskId] = new ClusterTaskState(taskId, state, fields.GetValueOrDefault("Reason"), exitCode, signal);
            }
        }

        return states;
    }

    /// <summary>
    /// The indexes of <c>ArrayTaskId</c>: one number for a task that started, or for the array's pending remainder a
    /// list such as <c>2-5%2</c>, <c>1,3,7-9</c> or <c>0-8:2</c>.
    /// </summary>
    public static IReadOnlyList<int> ArrayIndexes(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var indexes = new List<int>();
        var list = text.Split('%')[0];
        foreach (var part in list.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var (range, step) = part.Split(':') is [var r, var s] && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var st) && st > 0 ? (r, st) : (part, 1);
            if (range.Split('-') is [var first, var last]
                && int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var from)
                && int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var to))
            {
                for (var index = from; index <= to && indexes.Count < 100_000; index += step)
                {
                    indexes.Add(index);
                }
            }
            else if (int.TryParse(range, NumberStyles.None, CultureInfo.InvariantCulture, out var single))
            {
                indexes.Add(single);
            }
        }

        return indexes;
    }

    [GeneratedRegex(@"(?:^|\s)([A-Za-z]+)=(\S*)", RegexOptions.CultureInvariant)]
    private static partial Regex Field();
}
