using Repro.Core.Errors;
using Repro.Core.FileSystem;
using Repro.Core.Runs;

namespace Repro.Core.Capture.Data;

/// <summary>
/// Turns specs into the files they cover, without reading any contents.
/// </summary>
/// <remarks>
/// Symbolic links are recorded as links with their target. A link is followed only when it resolves inside the
/// boundary: the project for declared entries and for parameters inside the project, the parameter's own
/// (resolved) path for a parameter outside it. A link that resolves outside, dangles or loops back to a folder
/// being walked is recorded with its target and no digest, and not followed: repro never reads data it was not
/// pointed at, and a loop would never end. FIFOs, sockets and devices are refused: reading them blocks or never ends.
/// </remarks>
internal sealed class SpecResolver
{
    private readonly string _project;
    private readonly string _realProject;

    public SpecResolver(string projectDirectory)
    {
        _project = Path.TrimEndingDirectorySeparator(Path.GetFullPath(projectDirectory));
        _realProject = NativeFiles.RealPath(_project) is { } real && Directory.Exists(real)
            ? Path.TrimEndingDirectorySeparator(real)
            : throw new InputException($"project directory {_project} does not exist");
    }

    /// <summary>Checks that a declared entry is a non-empty path inside the project, without touching the disk.</summary>
    public void CheckDeclared(DataSpec spec) => DeclaredPath(spec);

    /// <summary>What <paramref name="spec"/> covers, or why there is nothing.</summary>
    public Resolution Resolve(DataSpec spec)
    {
        if (spec.ParameterName is not null)
        {
            if (string.IsNullOrWhiteSpace(spec.Spec))
            {
                throw new InputException($"{spec.Describe()} is empty");
            }

            var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(spec.Spec, _project));
            if (IsUnder(full, _project))
            {
                return ResolveLiteral(spec, full, RecordPath(full), _realProject);
            }

            // Outside the project the parameter's own target is the boundary, and paths stay absolute.
            var boundary = NativeFiles.RealPath(full);
            return boundary is null
                ? Resolution.Missing(spec, $"{spec.Describe()} does not exist")
                : ResolveLiteral(spec, full, full.Replace(Path.DirectorySeparatorChar, '/'), boundary);
        }

        var declared = DeclaredPath(spec);
        var relative = RecordPath(declared);
        return GlobPattern.IsGlob(relative)
            ? ResolveGlob(spec, GlobPattern.Parse(relative))
            : ResolveLiteral(spec, declared, relative, _realProject);
    }

    private string DeclaredPath(DataSpec spec)
    {
        if (string.IsNullOrWhiteSpace(spec.Spec))
        {
            throw new InputException($"{spec.Describe()} is empty");
        }

        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(spec.Spec, _project));
        return IsUnder(full, _project)
            ? full
            : throw new InputException($"{spec.Describe()} is outside the project directory {_project}; declared {spec.Origin} must lie inside it");
    }

    private Resolution ResolveLiteral(DataSpec spec, string full, string recordPath, string boundary)
    {
        var status = NativeFiles.Status(full, followLinks: false);
        if (status is null)
        {
            return Resolution.Missing(spec, $"{spec.Describe()} does not exist");
        }

        var linkTarget = status.Value.Kind == FileKind.SymbolicLink ? ReadLink(full) : null;
        var real = NativeFiles.RealPath(full);
        if (real is null)
        {
            return Resolution.Missing(spec, $"{spec.Describe()} is a symbolic link to {linkTarget}, which does not exist");
        }

        if (!IsUnder(real, boundary))
        {
            return Resolution.Found(spec, DataKind.File, [ResolvedFile.Unfollowed(recordPath, linkTarget ?? real)]);
        }

        var target = linkTarget is null ? status.Value : NativeFiles.Status(real, followLinks: true);
        switch (target?.Kind)
        {
            case FileKind.Directory:
                var walk = new Walk(spec, boundary, maxDepth: null, filter: null);
                walk.Directory(real, recordPath, depth: 0);
                return Resolution.Found(spec, DataKind.Directory, walk.Files);
            case FileKind.Regular:
                return Resolution.Found(spec, DataKind.File, [new ResolvedFile(recordPath, real, linkTarget, target.Value)]);
            case null:
                return Resolution.Missing(spec, $"{spec.Describe()} does not exist");
            default:
                throw Special(spec, recordPath, target.Value.Kind);
        }
    }

    private Resolution ResolveGlob(DataSpec spec, GlobPattern pattern)
    {
        var baseDirectory = Path.Join(_project, pattern.LiteralPrefix);
        if (NativeFiles.Status(baseDirectory, followLinks: true) is not { Kind: FileKind.Directory })
        {
            return Resolution.Missing(spec, $"{spec.Describe()} matches no files");
        }

        var real = NativeFiles.RealPath(baseDirectory)!;
        if (!IsUnder(real, _realProject))
        {
            throw new InputException($"{spec.Describe()} searches {pattern.LiteralPrefix}, which leads outside the project through a symbolic link");
        }

        var walk = new Walk(spec, _realProject, pattern.MaxDepth, pattern.Matches);
        walk.Directory(real, pattern.LiteralPrefix, depth: 0);
        return walk.Files.Count == 0
            ? Resolution.Missing(spec, $"{spec.Describe()} matches no files")
            : Resolution.Found(spec, DataKind.Glob, walk.Files);
    }

    private string RecordPath(string full) =>
        full.Length == _project.Length ? string.Empty : full[(_project.Length + 1)..].Replace(Path.DirectorySeparatorChar, '/');

    private static bool IsUnder(string path, string directory) => PathContainment.IsInsideFullPath(directory, path);

    private static string ReadLink(string path) => new FileInfo(path).LinkTarget ?? string.Empty;

    private static InputException Special(DataSpec spec, string recordPath, FileKind kind)
    {
        var what = kind switch
        {
            FileKind.Fifo => "a FIFO",
            FileKind.Socket => "a socket",
            FileKind.CharacterDevice => "a character device",
            FileKind.BlockDevice => "a block device",
            _ => "not a regular file",
        };
        return new InputException($"{spec.Describe()}: {recordPath} is {what}; repro fingerprints regular files, directories and symbolic links only");
    }

    /// <summary>A recursive walk of one folder, collecting files in the order the file system lists them.</summary>
    private sealed class Walk
    {
        private readonly DataSpec _spec;
        private readonly string _boundary;
        private readonly int? _maxDepth;
        private readonly Func<string, bool>? _filter;

        /// <summary>Real paths of the folders being walked, from the top: a link back into one of them would loop.</summary>
        private readonly List<string> _ancestors = [];

        public Walk(DataSpec spec, string boundary, int? maxDepth, Func<string, bool>? filter)
        {
            _spec = spec;
            _boundary = boundary;
            _maxDepth = maxDepth;
            _filter = filter;
        }

        public List<ResolvedFile> Files { get; } = [];

        public void Directory(string realDirectory, string recordPrefix, int depth)
        {
            _ancestors.Add(realDirectory);
            foreach (var entry in List(realDirectory, recordPrefix))
            {
                var name = Path.GetFileName(entry);
                var record = recordPrefix.Length == 0 ? name : $"{recordPrefix}/{name}";
                if (NativeFiles.Status(entry, followLinks: false) is not { } status)
                {
                    continue;
                }

                switch (status.Kind)
                {
                    case FileKind.Regular:
                        Add(new ResolvedFile(record, entry, null, status));
                        break;
                    case FileKind.Directory:
                        Descend(entry, record, depth);
                        break;
                    case FileKind.SymbolicLink:
                        Link(entry, record, depth);
                        break;
                    default:
                        throw Special(_spec, record, status.Kind);
                }
            }

            _ancestors.RemoveAt(_ancestors.Count - 1);
        }

        private void Link(string entry, string record, int depth)
        {
            var target = ReadLink(entry);
            var real = NativeFiles.RealPath(entry);
            var status = real is not null && IsUnder(real, _boundary) ? NativeFiles.Status(real, followLinks: true) : null;
            switch (status?.Kind)
            {
                case FileKind.Regular:
                    Add(new ResolvedFile(record, real, target, status.Value));
                    break;
                case FileKind.Directory when !_ancestors.Any(a => IsUnder(a, real!)):
                    Descend(real!, record, depth);
                    break;
                case null or FileKind.Directory:
                    Add(ResolvedFile.Unfollowed(record, target));
                    break;
                default:
                    throw Special(_spec, record, status.Value.Kind);
            }
        }

        private void Descend(string realDirectory, string record, int depth)
        {
            if (_maxDepth is null || depth + 1 < _maxDepth)
            {
                Directory(realDirectory, record, depth + 1);
            }
        }

        private void Add(ResolvedFile file)
        {
            if (_filter is null || _filter(file.RecordPath))
            {
                Files.Add(file);
            }
        }

        private IEnumerable<string> List(string realDirectory, string recordPrefix)
        {
            try
            {
                return System.IO.Directory.GetFileSystemEntries(realDirectory);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new InputException($"{_spec.Describe()}: cannot read folder {(recordPrefix.Length == 0 ? "." : recordPrefix)}: permission denied", e);
            }
            catch (IOException e)
            {
                throw new InputException($"{_spec.Describe()}: cannot read folder {(recordPrefix.Length == 0 ? "." : recordPrefix)}: {e.Message}", e);
            }
        }
    }
}

/// <summary>One file a spec covers.</summary>
/// <param name="RecordPath">Path as recorded: relative to the project with forward slashes, or absolute for a parameter outside it.</param>
/// <param name="ContentPath">Absolute, link-free path whose contents are hashed; null for a link that is not followed.</param>
/// <param name="LinkTarget">The link's target as stored in the link, when the path is a symbolic link.</param>
/// <param name="Status">Status of the content file when listed.</param>
internal sealed record ResolvedFile(string RecordPath, string? ContentPath, string? LinkTarget, FileStatus? Status)
{
    public static ResolvedFile Unfollowed(string recordPath, string linkTarget) => new(recordPath, null, linkTarget, null);
}

/// <summary>What a spec resolved to: its kind and files, or a message saying why there is nothing.</summary>
internal sealed record Resolution(DataSpec Spec, DataKind Kind, IReadOnlyList<ResolvedFile> Files, string? MissingMessage)
{
    public static Resolution Found(DataSpec spec, DataKind kind, List<ResolvedFile> files)
    {
        files.Sort((a, b) => string.CompareOrdinal(a.RecordPath, b.RecordPath));
        return new Resolution(spec, kind, files, null);
    }

    public static Resolution Missing(DataSpec spec, string message) => new(spec, DataKind.File, [], message);
}
