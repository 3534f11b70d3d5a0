using System.CommandLine;
using Repro.Core.Errors;

namespace Repro.Cli.Options;

/// <summary>Options several commands share, so they read and validate the same everywhere.</summary>
internal static class CommonOptions
{
    public static Option<string?> Store() => new("--store")
    {
        Description = "The run store folder (default: REPRO_STORE, else .repro in the project directory or the nearest parent that has one).",
        HelpName = "DIR",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (string.IsNullOrWhiteSpace(text))
            {
                // An empty value would silently mean the default store: the user meant some folder.
                result.AddError("--store must name a folder, not an empty string (leave the option out for the default store)");
                return null;
            }

            return text;
        },
    };

    /// <summary>A project URI as <c>mlflow run</c> takes it, parsed against the current directory; a bad one is a parse error.</summary>
    public static Argument<string> ProjectDirectory() => new("DIR")
    {
        Description = "The project directory (holding MLproject, MLproject.yaml or MLproject.yml).",
        DefaultValueFactory = _ => ".",
    };

    public static Argument<Core.Sources.ProjectUri> ProjectUri() => new("URI")
    {
        Description = "The project: a directory, or a git repository (https://, ssh://, git@host:org/repo.git, file://, a local path), optionally followed by #sub/directory (default: the current directory).",
        DefaultValueFactory = _ => Core.Sources.ProjectUri.Parse(".", Environment.CurrentDirectory),
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : ".";
            try
            {
                return Core.Sources.ProjectUri.Parse(text, Environment.CurrentDirectory);
            }
            catch (InputException exception)
            {
                result.AddError(exception.Message);
                return null;
            }
        },
    };

    /// <summary><c>--version</c>/<c>-v</c> of a git project, as in <c>mlflow run</c>; checked so that git can only read it as a name.</summary>
    public static Option<string?> ProjectVersion() => new("--version", "-v")
    {
        Description = "The branch, tag or commit of a git project (default: its default branch).",
        HelpName = "REF",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            try
            {
                return Core.Sources.ProjectVersion.Validate(text);
            }
            catch (InputException exception)
            {
                result.AddError($"--version: {exception.Message}");
                return null;
            }
        },
    };

    public static Option<bool> Strict() => new("--strict")
    {
        Description = "Treat every MLproject warning (unknown or duplicate keys, defaults MLflow reads differently than written) as an error: exit 2, run nothing.",
    };

    public static Option<bool> Json() => new("--json")
    {
        Description = "Print one JSON object instead of the human summary.",
    };

    public static Option<bool> Rehash() => new("--rehash")
    {
        Description = "Ignore the hash cache and read every input and output in full.",
    };

    public static Option<long> ObjectSizeLimit() => new("--object-size-limit")
    {
        Description = "Keep only files up to SIZE in the store's object store (default: every input, output and metrics file is kept, whatever its size; 0 keeps none).",
        HelpName = "SIZE",
        DefaultValueFactory = _ => Core.Capture.Data.ObjectStore.DefaultMaxFileBytes,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (string.Equals(text, "none", StringComparison.OrdinalIgnoreCase))
            {
                return Core.Capture.Data.ObjectStore.DefaultMaxFileBytes;
            }

            if (ByteSize.TryParse(text, out var bytes))
            {
                return bytes;
            }

            result.AddError($"--object-size-limit must be a size such as 0, 500KB, 100MiB or 2GiB, or none, not '{text}'");
            return 0;
        },
    };

    public static Argument<string> RunReference(string name = "RUN") => new(name)
    {
        Description = "A run id, a unique prefix of one, or 'latest'.",
    };

    public static Option<int?> PositiveInt(string name, string description, string helpName) => new(name)
    {
        Description = description,
        HelpName = helpName,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0)
            {
                return value;
            }

            result.AddError($"{name} must be a positive integer, not '{text}'");
            return null;
        },
    };
}
