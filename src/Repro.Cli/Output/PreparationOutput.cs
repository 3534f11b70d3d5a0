namespace Repro.Cli.Output;

/// <summary>
/// Where the steps before a run go (cloning, building a Python environment) and what git, venv and pip print meanwhile:
/// standard error, so that standard output keeps only the child's output, or only the JSON object under <c>--json</c>.
/// </summary>
internal static class PreparationOutput
{
    /// <summary>One step, as <c>repro: STEP</c>.</summary>
    public static void Log(string step) => Console.Error.WriteLine($"repro: {step}");

    /// <summary>One line a tool printed, as it printed it.</summary>
    public static void Tool(string line) => Console.Error.WriteLine(line);
}
