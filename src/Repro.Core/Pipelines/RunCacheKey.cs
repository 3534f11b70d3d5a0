using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LibGit2Sharp;
using Repro.Core.AutoSeed;
using Repro.Core.Capture.Data;
using Repro.Core.Capture.Git;
using Repro.Core.Execution;
using Repro.Core.Runs;

namespace Repro.Core.Pipelines;

/// <summary>
/// What a pipeline step's result depends on, as named lines (<c>param:epochs</c> → <c>20</c>): the rendered command,
/// the resolved parameters, the seed, the determinism variables and the entry's <c>env</c>, every input's digest
/// (upstream outputs and <c>path</c> parameters included), the code, and the environment's facts. Two runs with the
/// same <see cref="Digest"/> are taken to produce the same outputs.
/// </summary>
/// <param name="Parts">Each part by name, sorted.</param>
public sealed record RunCacheKey(IReadOnlyDictionary<string, string> Parts)
{
    /// <summary>The seed line when the seed was drawn at random: a free choice, adopted from the run that is reused.</summary>
    public const string FreeSeed = "free";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Trees = new(StringComparer.Ordinal);

    /// <summary>SHA-256 of the sorted <c>name NUL value LF</c> lines, lower-case hex.</summary>
    public string Digest { get; } = Hash(Parts);

    /// <summary>
    /// The key of the run described by <paramref name="run"/> after its capture stage: everything but the child's own
    /// run variables (id, folder), which differ for every run.
    /// </summary>
    /// <param name="run">The run, captured.</param>
    /// <param name="codeDigest">The digest of the entry's <c>code</c> paths, when it declares them.</param>
    public static RunCacheKey Of(RunContext run, string? codeDigest)
    {
        ArgumentNullException.ThrowIfNull(run);
        var parts = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["command"] = run.Command.Command,
            ["entryPoint"] = run.Command.EntryPointRecord.Name,
        };
        foreach (var parameter in run.Command.Parameters)
        {
            parts["param:" + parameter.Name] = parameter.Value;
        }

        // A seed drawn at random is a free choice: the key leaves it out, and a reused step records the seed of the
        // run whose outputs it restores. PYTHONHASHSEED and the Python hook's PL_GLOBAL_SEED follow the seed, so they
        // are left out likewise.
        var freeSeed = run.Seed.Source == SeedSource.Random;
        parts["seed"] = freeSeed ? FreeSeed : run.Seed.Value.ToString(CultureInfo.InvariantCulture);
        var entryEnv = run.Command.EntryPoint?.Env ?? new Dictionary<string, string>();
        var built = ChildEnvironmentBuilder.Build(
            new ChildEnvironmentInputs(string.Empty, string.Empty, run.Seed.Value, string.Empty, string.Empty, run.Git.CommitTime, run.Request.Threads, entryEnv)
            {
                AdditionalSwitches = run.AdditionalSwitches,
            },
            run.InheritedEnvironment);
        foreach (var variable in built.Determinism.Where(variable => !ChildEnvironmentBuilder.RunVariableNames.Contains(variable.Name, StringComparer.Ordinal)))
        {
            // SOURCE_DATE_EPOCH, when repro sets it, is the commit time: the code part covers the commit's content, and
            // a commit that changes nothing the step depends on must not re-run it.
            var derived = variable.SetBy == VariableSetter.Repro && (variable.Name == "SOURCE_DATE_EPOCH" || (freeSeed && variable.Name is "PYTHONHASHSEED" or AutoSeedEnvironment.LightningSeedVariable));
            if (!derived)
            {
                parts["determinism:" + variable.Name] = variable.Value;
            }
        }

        foreach (var (name, value) in entryEnv)
        {
            parts["env:" + name] = value;
        }

        foreach (var input in run.Inputs)
        {
            parts["input:" + input.Spec] = input.Digest;
        }

        AddCode(parts, run.Git, codeDigest, DataSpecsOf(run.Project));
        AddEnvironment(parts, run);
        return new RunCacheKey(parts);
    }

    /// <summary>The key's parts that differ from <paramref name="other"/>'s, by name, with both values (null where absent).</summary>
    public IReadOnlyList<(string Name, string? Before, string? Now)> Differences(RunCacheKey other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return [.. Parts.Keys.Union(other.Parts.Keys).Order(StringComparer.Ordinal)
            .Select(name => (name, Before: other.Parts.GetValueOrDefault(name), Now: Parts.GetValueOrDefault(name)))
            .Where(part => !string.Equals(part.Before, part.Now, StringComparison.Ordinal))];
    }

    // What the project declares as data: untracked files there are inputs or outputs, fingerprinted as such, not code
    // (a step's own outputs would otherwise change the code of every later run).
    private static List<string> DataSpecsOf(Projects.MLProject project) =>
    [
        .. project.EntryPoints.Values.SelectMany(entry => entry.Inputs.Concat(entry.Outputs)),
        .. project.EntryPoints.Values.Select(entry => entry.Metrics?.File).OfType<string>(),
    ];

    private static void AddCode(SortedDictionary<string, string> parts, GitRecord git, string? codeDigest, List<string> dataSpecs)
    {
        if (codeDigest is not null)
        {
            parts["code:paths"] = codeDigest;
            return;
        }

        parts["code:tree"] = ProjectTree(git) ?? git.Commit ?? "none";
        parts["code:patch"] = git.Patch?.Sha256 ?? "none";
        var projectPrefix = string.IsNullOrEmpty(git.ProjectPath) ? string.Empty : git.ProjectPath + "/";
        foreach (var file in git.Untracked)
        {
            if (file.Path.StartsWith(projectPrefix, StringComparison.Ordinal) && dataSpecs.Exists(spec => PathOverlap.Overlaps(file.Path[projectPrefix.Length..], spec)))
            {
                continue;
            }

            parts["code:untracked:" + file.Path] = file.Sha256 ?? file.LinkTarget ?? string.Empty;
        }
    }

    private static void AddEnvironment(SortedDictionary<string, string> parts, RunContext run)
    {
        var environment = run.Environment;
        parts["environment:dotnet"] = environment.Dotnet.Runtime;
        parts["environment:os"] = $"{environment.Os.Name} {environment.Os.Version} {environment.Os.Architecture}";
        if (environment.Interpreter is { } interpreter)
        {
            parts["environment:interpreter:" + interpreter.Command] = interpreter.Version ?? "unknown";
        }

        foreach (var lockFile in environment.LockFiles)
        {
            parts["environment:lock:" + lockFile.Path] = lockFile.Sha256;
        }

        if (run.ProjectRecord.Environment.Sha256 is { } envFile)
        {
            parts["environment:envFile"] = envFile;
        }
    }

    // The git tree of the project folder at HEAD: a commit that changes nothing in the project keeps it. A commit's
    // trees never change, so one process looks each up once (a pipeline's steps share their commit).
    private static string? ProjectTree(GitRecord git)
    {
        if (git.RepositoryRoot is not { } root || git.Commit is not { } commit)
        {
            return null;
        }

        var key = $"{root}\0{commit}\0{git.ProjectPath}";
        if (Trees.TryGetValue(key, out var known))
        {
            return known;
        }

        var tree = ReadProjectTree(root, commit, git.ProjectPath);
        if (tree is not null)
        {
            Trees.TryAdd(key, tree);
        }

        return tree;
    }

    private static string? ReadProjectTree(string root, string commit, string? projectPath)
    {
        if (string.IsNullOrEmpty(projectPath) && RootTreeFromFiles(root, commit) is { } rootTree)
        {
            return rootTree;
        }

        try
        {
            using var repository = new Repository(root);
            var tree = repository.Lookup<Commit>(commit)?.Tree;
            if (tree is null)
            {
                return null;
            }

            return string.IsNullOrEmpty(projectPath) ? tree.Sha : tree[projectPath]?.Target.Sha;
        }
        catch (LibGit2SharpException)
        {
            return null;
        }
    }

    /// <summary>
    /// The tree <paramref name="commit"/> names, read from the repository's own files (<see cref="GitObjectFiles"/>)
    /// when its <c>.git</c> folder holds the commit whole; null when that is left to libgit2. Loading libgit2 and opening
    /// the repository for this one line cost a status or a pipeline tens of milliseconds of CPU on its first step.
    /// </summary>
    internal static string? RootTreeFromFiles(string root, string commit)
    {
        var gitDirectory = Path.Combine(root, ".git");
        if (!Directory.Exists(gitDirectory))
        {
            return null;
        }

        byte[]? body;
        try
        {
            body = GitObjectFiles.TryReadCommit(gitDirectory, commit);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or InvalidDataException)
        {
            return null;
        }

        // A commit object starts with the line "tree <40 hex digits>".
        const int ShaLength = 40;
        if (body is null || body.Length < 5 + ShaLength + 1 || !body.AsSpan(0, 5).SequenceEqual("tree "u8) || body[5 + ShaLength] != (byte)'\n')
        {
            return null;
        }

        var sha = Encoding.ASCII.GetString(body, 5, ShaLength);
        foreach (var character in sha)
        {
            if (!char.IsAsciiHexDigitLower(character))
            {
                return null;
            }
        }

        return sha;
    }

    /// <summary>One SHA-256 over name and value pairs, in ordinal order of the names (the key's digest; also a pipeline's key for an environment).</summary>
    internal static string Hash(IReadOnlyDictionary<string, string> parts)
    {
        // The names sorted as an array, not the pairs through OrderBy: LINQ's sorter over key-value pairs is generic code
        // that ReadyToRun leaves to the JIT (10-12 ms on the first call, which every pipeline and status makes for the
        // inherited environment before its first step).
        var names = new string[parts.Count];
        var index = 0;
        foreach (var name in parts.Keys)
        {
            names[index++] = name;
        }

        Array.Sort(names, StringComparer.Ordinal);
        var text = new StringBuilder();
        foreach (var name in names)
        {
            text.Append(name).Append('\0').Append(parts[name]).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
