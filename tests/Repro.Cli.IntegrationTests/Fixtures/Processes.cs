using System.Globalization;

namespace Repro.Cli.IntegrationTests.Fixtures;

/// <summary>Finding and signalling the processes a test's entry point started, through /proc and kill(1).</summary>
public static class Processes
{
    /// <summary>How many processes run with <paramref name="marker"/> as their argv[0] (set with <c>exec -a</c>).</summary>
    public static int WithMarker(string marker)
    {
        var count = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline"));
                if (commandLine.StartsWith(marker, StringComparison.Ordinal))
                {
                    count++;
                }
            }
            catch (IOException)
            {
                // The process ended while being read.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours.
            }
        }

        return count;
    }

    public static void Signal(int pid, string signal)
    {
        ProcessRunner.Run("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)], Path.GetTempPath());
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test after a minute.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached in time");
            await Task.Delay(50);
        }
    }
}
