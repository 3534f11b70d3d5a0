using Repro.Core.Errors;

namespace Repro.Core.Projects;

/// <summary>How serious a finding in an MLproject file is.</summary>
public enum DiagnosticSeverity
{
    /// <summary>MLflow runs it, but it is suspicious or MLflow reads it differently than it looks; an error under <c>--strict</c>.</summary>
    Warning,

    /// <summary>The entry point (or the whole file) cannot be run: MLflow would fail too, or the command cannot be rendered.</summary>
    Error,
}

/// <summary>One finding in an MLproject file, printed as <c>FILE:LINE:COL: warning: message</c>.</summary>
/// <param name="Severity">Warning or error.</param>
/// <param name="Location">Where in the file; null for findings about the project as a whole.</param>
/// <param name="Message">One line, for a person.</param>
/// <param name="EntryPoint">The entry point it concerns; null when it concerns the whole file.</param>
public sealed record ProjectDiagnostic(DiagnosticSeverity Severity, SourceLocation? Location, string Message, string? EntryPoint = null)
{
    /// <summary>The word printed for the severity: <c>warning</c> or <c>error</c>.</summary>
    public string SeverityName => Severity == DiagnosticSeverity.Error ? "error" : "warning";

    /// <summary>A warning.</summary>
    public static ProjectDiagnostic Warn(SourceLocation location, string message, string? entryPoint = null) =>
        new(DiagnosticSeverity.Warning, location, message, entryPoint);

    /// <summary>An error from a located <see cref="InputException"/>, keeping its location and message apart.</summary>
    public static ProjectDiagnostic FromError(InputException exception, string? entryPoint = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var prefix = exception.Location is { } location ? location + ": " : string.Empty;
        var message = exception.Message.StartsWith(prefix, StringComparison.Ordinal) ? exception.Message[prefix.Length..] : exception.Message;
        return new ProjectDiagnostic(DiagnosticSeverity.Error, exception.Location, message, entryPoint);
    }

    /// <summary>Under <c>--strict</c>: an <see cref="InputException"/> for the first warning, naming how many more there are.</summary>
    /// <param name="warnings">The warnings that concern what is about to run.</param>
    /// <exception cref="InputException">There is at least one warning.</exception>
    public static void ThrowIfAny(IReadOnlyCollection<ProjectDiagnostic> warnings)
    {
        ArgumentNullException.ThrowIfNull(warnings);
        var first = warnings.FirstOrDefault();
        if (first is null)
        {
            return;
        }

        var more = warnings.Count > 1 ? $"; {warnings.Count - 1} more warning(s), listed by repro check --strict" : string.Empty;
        var message = $"{first.Message} (an error under --strict){more}";
        throw first.Location is { } location ? new InputException(location, message) : new InputException(message);
    }

    /// <summary>
    /// <paramref name="diagnostics"/> in the order of the file (line, then column; findings about the whole project,
    /// which have no location, first), those at the same place in the order given.
    /// </summary>
    /// <remarks>
    /// A plain stable insertion sort, not LINQ's OrderBy/ThenBy: those are generic over their int keys, code that
    /// ReadyToRun leaves to the JIT, and every run sorts its handful of warnings here before it starts.
    /// </remarks>
    public static List<ProjectDiagnostic> InFileOrder(IEnumerable<ProjectDiagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        var sorted = new List<ProjectDiagnostic>(diagnostics);
        for (var i = 1; i < sorted.Count; i++)
        {
            var item = sorted[i];
            var j = i - 1;
            while (j >= 0 && ComparePlaces(sorted[j], item) > 0)
            {
                sorted[j + 1] = sorted[j];
                j--;
            }

            sorted[j + 1] = item;
        }

        return sorted;
    }

    private static int ComparePlaces(ProjectDiagnostic a, ProjectDiagnostic b)
    {
        var byLine = (a.Location?.Line ?? 0).CompareTo(b.Location?.Line ?? 0);
        return byLine != 0 ? byLine : (a.Location?.Column ?? 0).CompareTo(b.Location?.Column ?? 0);
    }

    /// <inheritdoc />
    public override string ToString() => Location is { } location ? $"{location}: {SeverityName}: {Message}" : $"{SeverityName}: {Message}";
}
