using System.CommandLine;

namespace Repro.Cli.Options;

/// <summary><c>--strict</c>, shared by run, verify and check so it reads the same everywhere.</summary>
internal static class StrictOption
{
    public static Option<bool> Create() => new("--strict")
    {
        Description = "Treat every MLproject warning (unknown or duplicate keys, defaults MLflow reads differently than written) as an error: exit 2, run nothing.",
    };
}
