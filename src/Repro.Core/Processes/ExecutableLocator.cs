namespace Repro.Core.Processes;

/// <summary>Resolves a command word to an executable file the way a shell does, from a given <c>PATH</c>.</summary>
internal static class ExecutableLocator
{
    /// <summary>Finds <paramref name="command"/>: a word with a directory separator is taken relative to <paramref name="workingDirectory"/>; a bare name is searched on <c>PATH</c>.</summary>
    /// <param name="command">A bare name (<c>python3</c>) or a path (<c>./venv/bin/python</c>).</param>
    /// <param name="variables">The environment whose <c>PATH</c> (and on Windows <c>PATHEXT</c>) is searched.</param>
    /// <param name="workingDirectory">Where a relative path is resolved.</param>
    /// <returns>The absolute path of an existing executable file, or null.</returns>
    public static string? Find(string command, IReadOnlyDictionary<string, string> variables, string workingDirectory)
    {
        if (command.Contains('/', StringComparison.Ordinal) || (OperatingSystem.IsWindows() && command.Contains('\\', StringComparison.Ordinal)))
        {
            return FirstExecutable(Path.GetFullPath(command, workingDirectory), variables);
        }

        var path = Lookup(variables, "PATH");
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Path.IsPathFullyQualified(directory))
            {
                // A relative PATH entry depends on the current directory, which repro does not control.
                continue;
            }

            if (FirstExecutable(Path.Combine(directory, command), variables) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private static string? FirstExecutable(string candidate, IReadOnlyDictionary<string, string> variables)
    {
        if (!OperatingSystem.IsWindows())
        {
            return IsExecutableFile(candidate) ? candidate : null;
        }

        if (Path.HasExtension(candidate) && File.Exists(candidate))
        {
            return candidate;
        }

        var extensions = Lookup(variables, "PATHEXT") ?? ".COM;.EXE;.BAT;.CMD";
        return extensions.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(extension => candidate + extension)
            .FirstOrDefault(File.Exists);
    }

    private static bool IsExecutableFile(string candidate)
    {
        if (OperatingSystem.IsWindows())
        {
            return File.Exists(candidate);
        }

        try
        {
            if (!File.Exists(candidate))
            {
                return false;
            }

            const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            return (File.GetUnixFileMode(candidate) & anyExecute) != 0;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    // Windows spells it "Path"; the dictionary handed in may compare names ordinally.
    private static string? Lookup(IReadOnlyDictionary<string, string> variables, string name) =>
        variables.TryGetValue(name, out var value)
            ? value
            : variables.FirstOrDefault(pair => string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}
