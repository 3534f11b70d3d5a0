using Repro.Core.Errors;

namespace Repro.Core.Caching;

/// <summary>
/// The folder where repro keeps what it can rebuild but would rather not: git clones and checkouts of project URIs
/// and Python environments. Nothing in it is a record; deleting it only costs time.
/// </summary>
public static class CacheRoot
{
    /// <summary>The variable that names the cache folder.</summary>
    public const string VariableName = "REPRO_CACHE_DIR";

    /// <summary>
    /// The cache folder: <c>REPRO_CACHE_DIR</c> when set, else <c>$XDG_CACHE_HOME/repro</c> when that is an absolute path,
    /// else <c>~/.cache/repro</c>. The folder is not created here.
    /// </summary>
    /// <param name="variables">The environment to read; the process environment when null.</param>
    /// <returns>An absolute path.</returns>
    /// <exception cref="InputException"><c>REPRO_CACHE_DIR</c> is not an absolute path, or no home folder is known.</exception>
    public static string Resolve(IReadOnlyDictionary<string, string>? variables = null)
    {
        var configured = Read(variables, VariableName);
        if (!string.IsNullOrEmpty(configured))
        {
            // A relative cache folder would move with the current directory and split the cache silently.
            return Path.IsPathFullyQualified(configured)
                ? Path.GetFullPath(configured)
                : throw new InputException($"{VariableName} must be an absolute path, not '{configured}'");
        }

        var xdg = Read(variables, "XDG_CACHE_HOME");
        if (!string.IsNullOrEmpty(xdg) && Path.IsPathFullyQualified(xdg))
        {
            return Path.Combine(Path.GetFullPath(xdg), "repro");
        }

        var home = Read(variables, "HOME");
        if (string.IsNullOrEmpty(home))
        {
            home = System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);
        }

        return string.IsNullOrEmpty(home) || !Path.IsPathFullyQualified(home)
            ? throw new InputException($"no home folder is known for the cache; set {VariableName} to an absolute path")
            : Path.Combine(Path.GetFullPath(home), ".cache", "repro");
    }

    private static string? Read(IReadOnlyDictionary<string, string>? variables, string name) =>
        variables is null
            ? System.Environment.GetEnvironmentVariable(name)
            : variables.TryGetValue(name, out var value) ? value : null;
}
