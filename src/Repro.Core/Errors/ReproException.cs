namespace Repro.Core.Errors;

/// <summary>
/// Base of every failure repro reports to its user. The message is one line, written for a person,
/// and never carries a stack trace; the subtype says which exit code the CLI maps it to.
/// </summary>
public abstract class ReproException : Exception
{
    /// <summary>Creates the error with a one-line message.</summary>
    protected ReproException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with a one-line message and the failure that caused it.</summary>
    protected ReproException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Bad input: the command line, an MLproject file, a parameter, a missing input or an unknown run.
/// Nothing was run and nothing was written.
/// </summary>
public sealed class InputException : ReproException
{
    /// <summary>Creates the error with a one-line message.</summary>
    public InputException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with a message prefixed by a <c>FILE:LINE:COL</c> location.</summary>
    public InputException(SourceLocation location, string message)
        : base($"{location}: {message}")
    {
        Location = location;
    }

    /// <summary>Creates the error with a one-line message and the failure that caused it.</summary>
    public InputException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Where in a file the problem is, when it comes from a file.</summary>
    public SourceLocation? Location { get; }
}

/// <summary>repro's own failure: the run store or the file system could not be read or written.</summary>
public sealed class StoreException : ReproException
{
    /// <summary>Creates the error with a one-line message.</summary>
    public StoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with a one-line message and the failure that caused it.</summary>
    public StoreException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// git failed: the <c>git</c> program exited non-zero or could not be started, LibGit2Sharp could not read a repository,
/// or a recorded patch does not apply. Like <see cref="StoreException"/>, repro's own failure rather than bad input.
/// </summary>
public sealed class GitException : ReproException
{
    /// <summary>Creates the error with a one-line message.</summary>
    public GitException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with a one-line message and the failure that caused it.</summary>
    public GitException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A position in a text file, 1-based, printed as <c>FILE:LINE:COL</c>.</summary>
/// <param name="File">The file as the user would name it.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
public readonly record struct SourceLocation(string File, long Line, long Column)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}:{Column}";
}

/// <summary>The user interrupted repro (Ctrl-C, SIGTERM) before there was a run to record.</summary>
public sealed class InterruptedException : ReproException
{
    /// <summary>Creates the error with a one-line message.</summary>
    public InterruptedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with a one-line message and the failure that caused it.</summary>
    public InterruptedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
