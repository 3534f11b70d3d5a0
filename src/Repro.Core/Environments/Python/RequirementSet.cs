using System.Security.Cryptography;
using Repro.Core.Errors;

namespace Repro.Core.Environments.Python;

/// <summary>A requirements or constraints file that a python_env file reaches through <c>-r</c> or <c>-c</c>, directly or nested.</summary>
/// <param name="Path">Its path relative to the project directory, forward slashes (absolute when it lies outside).</param>
/// <param name="FullPath">Its absolute path.</param>
/// <param name="Sha256">SHA-256 of its content, lower-case hex.</param>
public sealed record RequirementFile(string Path, string FullPath, string Sha256);

/// <summary>
/// What pip will read for a python_env file: every requirements and constraints file reached from its lines (nested
/// <c>-r</c> included, each once), whether each install step carries hashes, and whether any line installs from a
/// local path, whose content no file hash covers.
/// </summary>
/// <param name="Files">The files, in the order pip meets them.</param>
/// <param name="BuildDependenciesHaveHashes">Whether a <c>--hash</c> appears in the build dependencies or a file they reach.</param>
/// <param name="DependenciesHaveHashes">Whether a <c>--hash</c> appears in the dependencies or a file they reach.</param>
/// <param name="InstallsLocalPaths">Whether a line installs a local folder or file (<c>.</c>, <c>./pkg</c>, <c>-e .</c>, <c>file:</c>).</param>
public sealed record RequirementSet(
    IReadOnlyList<RequirementFile> Files,
    bool BuildDependenciesHaveHashes,
    bool DependenciesHaveHashes,
    bool InstallsLocalPaths)
{
    /// <summary>
    /// Follows the lines of <paramref name="spec"/> as pip would: top-level paths relative to
    /// <paramref name="projectDirectory"/> (MLflow runs pip there), nested ones relative to the file that names them.
    /// Files named by URL are not fetched. <c>${VARIABLE}</c> references are not expanded.
    /// </summary>
    /// <param name="spec">The python_env file.</param>
    /// <param name="projectDirectory">The project directory.</param>
    /// <returns>The files and flags.</returns>
    /// <exception cref="InputException">A referenced file does not exist or cannot be read; the message names the line that references it.</exception>
    public static RequirementSet Collect(PythonEnvSpec spec, string projectDirectory)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(projectDirectory);
        var walker = new Walker(Path.GetFullPath(projectDirectory));
        var buildHashes = walker.Walk(spec.BuildDependencies.Select(line => (line.Text, line.Location)), walker.ProjectDirectory);
        var dependencyHashes = walker.Walk(spec.Dependencies.Select(line => (line.Text, line.Location)), walker.ProjectDirectory);
        return new RequirementSet(walker.Files, buildHashes, dependencyHashes, walker.InstallsLocalPaths);
    }

    private sealed class Walker(string projectDirectory)
    {
        // Per file: whether it or a file it reaches carries a hash (false while it is being walked, which ends cycles).
        private readonly Dictionary<string, bool> _hashesByFile = new(StringComparer.Ordinal);

        public string ProjectDirectory { get; } = projectDirectory;

        public List<RequirementFile> Files { get; } = [];

        public bool InstallsLocalPaths { get; private set; }

        // Returns whether any line reached carries a hash.
        public bool Walk(IEnumerable<(string Text, SourceLocation Location)> lines, string baseDirectory)
        {
            var hashes = false;
            foreach (var (text, location) in lines)
            {
                foreach (var logical in text.Split('\n'))
                {
                    hashes |= Visit(RequirementsLine.Parse(logical), location, baseDirectory);
                }
            }

            return hashes;
        }

        private bool Visit(RequirementsLine line, SourceLocation location, string baseDirectory)
        {
            InstallsLocalPaths |= line.InstallsLocalPath;
            if (line.IncludedFile is not { } included || included.Contains("://", StringComparison.Ordinal))
            {
                return line.HasHash;
            }

            var fullPath = Path.GetFullPath(included, baseDirectory);
            if (_hashesByFile.TryGetValue(fullPath, out var known))
            {
                return known;
            }

            _hashesByFile[fullPath] = false;

            byte[] content;
            try
            {
                content = File.ReadAllBytes(fullPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                var why = e is FileNotFoundException or DirectoryNotFoundException ? "does not exist" : $"cannot be read: {e.Message}";
                throw new InputException(location, $"the requirements file {fullPath} {why}");
            }

            var shown = ProjectRelativePaths.Display(fullPath, ProjectDirectory);
            Files.Add(new RequirementFile(shown, fullPath, Convert.ToHexStringLower(SHA256.HashData(content))));
            var nested = RequirementsLine.ReadFile(System.Text.Encoding.UTF8.GetString(content), shown);
            var hashes = Walk(nested, System.IO.Path.GetDirectoryName(fullPath)!);
            _hashesByFile[fullPath] = hashes;
            return hashes;
        }
    }
}
