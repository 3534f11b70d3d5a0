namespace Repro.Cli;

/// <summary>
/// Every exit code repro returns. CI scripts rely on these; README.md documents them and they never change meaning.
/// </summary>
internal static class ExitCodes
{
    /// <summary>The entry point succeeded; for verify, the run was REPRODUCED or EQUIVALENT.</summary>
    public const int Success = 0;

    /// <summary>The entry point failed (its own code is printed and recorded); for verify, the outputs are DIFFERENT.</summary>
    public const int Failure = 1;

    /// <summary>Nothing was run because of bad input: command line, MLproject, parameters, a dirty tree under --require-clean, an unknown run; for verify, NOT_VERIFIABLE.</summary>
    public const int BadInput = 2;

    /// <summary>repro's own failure: the store, the file system, git, an unexpected error.</summary>
    public const int InternalError = 3;

    /// <summary>Interrupted by Ctrl-C or SIGTERM; the run is recorded as KILLED.</summary>
    public const int Interrupted = 130;
}
