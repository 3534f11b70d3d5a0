using System.CommandLine;
using System.CommandLine.Parsing;
using Repro.Cli.Options;
using Repro.Cli.Output;
using Repro.Core.Errors;
using Repro.Core.Remotes;
using Repro.Core.Store;

namespace Repro.Cli.Commands;

/// <summary><c>repro remote add|list|remove</c>: the remotes runs and data are pushed to and pulled from.</summary>
internal sealed class RemoteCommand : Command
{
    public RemoteCommand()
        : base("remote", $"Manage remotes: shared folders or S3 buckets for runs and their data (defined in {RemoteConfiguration.ProjectFileName}, committed with the project).")
    {
        Subcommands.Add(new RemoteAddCommand());
        Subcommands.Add(new RemoteListCommand());
        Subcommands.Add(new RemoteRemoveCommand());
    }
}

/// <summary><c>repro remote add NAME URL</c>: define a remote for the project (or, with --local, for this user).</summary>
internal sealed class RemoteAddCommand : Command
{
    public RemoteAddCommand()
        : base("add", "Define a remote.")
    {
        Add(RemoteName);
        Add(Url);
        foreach (var option in new Option[] { MakeDefault, Local, Endpoint, Region, ChunkedUpload, MultipartThreshold, PartSize, Store })
        {
            Add(option);
        }

        SetAction((parseResult, _) => CommandFailure.GuardAsync(() => Task.FromResult(Execute(parseResult))));
    }

    public Argument<string> RemoteName { get; } = new("NAME")
    {
        Description = "The remote's name (a letter or digit, then letters, digits, '.', '_' or '-').",
        Validators = { result => RemoteOptions.Check(result, value => RemoteSettingValues.IsValidName(value) ? null : $"'{value}' is not a remote name (a letter or digit, then letters, digits, '.', '_' or '-')") },
    };

    public Argument<string> Url { get; } = new("URL") { Description = "A folder path, file:///PATH, or s3://BUCKET/PREFIX." };

    public Option<bool> MakeDefault { get; } = new("--default") { Description = "Make it the default remote (for push, pull, and fetches by checkout and verify)." };

    public Option<bool> Local { get; } = new("--local") { Description = "Define it for this user only, in the store's remotes.yaml, which git ignores." };

    public Option<string?> Endpoint { get; } = new("--endpoint")
    {
        Description = "S3: the endpoint of an S3-compatible store (MinIO, Ceph, R2…), such as http://127.0.0.1:9000.",
        HelpName = "URL",
        Validators = { result => RemoteOptions.Check(result, value => RemoteSettingValues.EndpointProblem(value) is { } problem ? $"--endpoint: {problem}" : null) },
    };

    public Option<string?> Region { get; } = new("--region")
    {
        Description = "S3: the region to sign for (default: AWS_REGION or the profile's).",
        HelpName = "REGION",
        Validators = { result => RemoteOptions.Check(result, value => RemoteSettingValues.IsRegionName(value) ? null : $"--region: '{value}' is not a region name (such as us-east-1)") },
    };

    public Option<bool> ChunkedUpload { get; } = new("--chunked-upload") { Description = "S3: let the SDK send aws-chunked uploads (off by default: many S3-compatible stores corrupt them)." };

    public Option<long?> MultipartThreshold { get; } = RemoteOptions.Size("--multipart-threshold", "S3: objects larger than SIZE go up in parts (default 64MiB).", 1);

    public Option<long?> PartSize { get; } = RemoteOptions.Size("--part-size", "S3: the size of each part (default 16MiB, at least 5MiB).", RemoteDefinition.MinimumPartSize);

    public Option<string?> Store { get; } = CommonOptions.Store();

    /// <summary>
    /// The remote the parsed command line defines, its URL resolved against <paramref name="projectDirectory"/>.
    /// </summary>
    /// <exception cref="InputException">A malformed URL, or S3 settings given for a folder.</exception>
    public RemoteDefinition DefinitionOf(ParseResult parseResult, string projectDirectory)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var location = RemoteLocation.Parse(parseResult.GetValue(Url)!, projectDirectory);
        var s3Settings = parseResult.GetValue(Endpoint) is not null || parseResult.GetValue(Region) is not null || parseResult.GetValue(ChunkedUpload)
            || parseResult.GetResult(MultipartThreshold) is not null || parseResult.GetResult(PartSize) is not null;
        if (location.Kind == RemoteKind.Directory && s3Settings)
        {
            throw new InputException($"{location.Url} is a folder: --endpoint, --region, --chunked-upload, --multipart-threshold and --part-size are for S3 remotes");
        }

        return new RemoteDefinition
        {
            Name = parseResult.GetValue(RemoteName)!,
            Location = location,
            Scope = parseResult.GetValue(Local) ? RemoteScope.Local : RemoteScope.Project,
            Endpoint = parseResult.GetValue(Endpoint),
            Region = parseResult.GetValue(Region),
            ChunkedUpload = parseResult.GetValue(ChunkedUpload),
            MultipartThreshold = parseResult.GetValue(MultipartThreshold) ?? RemoteDefinition.DefaultMultipartThreshold,
            PartSize = parseResult.GetValue(PartSize) ?? RemoteDefinition.DefaultPartSize,
        };
    }

    private int Execute(ParseResult parseResult)
    {
        var context = RemoteContext.Find(parseResult.GetValue(Store));
        var remote = DefinitionOf(parseResult, context.ProjectDirectory);
        if (remote.Scope == RemoteScope.Local)
        {
            RunStore.Open(context.StoreDirectory);
        }

        var configuration = context.Load();
        var makeDefault = parseResult.GetValue(MakeDefault);
        configuration.Add(remote, makeDefault);
        Console.Error.WriteLine($"repro: remote {remote.Display} added to {(remote.Scope == RemoteScope.Local ? configuration.LocalFile : configuration.ProjectFile)}{(makeDefault ? " as the default" : string.Empty)}");
        return ExitCodes.Success;
    }
}

/// <summary><c>repro remote list</c>: the remotes, the default first.</summary>
internal sealed class RemoteListCommand : Command
{
    public RemoteListCommand()
        : base("list", "List the remotes, the default first marked with '*'.")
    {
        Add(Json);
        Add(Store);
        SetAction((parseResult, _) => CommandFailure.GuardAsync(() => Task.FromResult(Execute(parseResult))));
    }

    public Option<bool> Json { get; } = CommonOptions.Json();

    public Option<string?> Store { get; } = CommonOptions.Store();

    private int Execute(ParseResult parseResult)
    {
        var configuration = RemoteContext.Find(parseResult.GetValue(Store)).Load();
        var defaultName = configuration.Default?.Name;
        var remotes = configuration.Remotes.Select(r => new RemoteJson(
            r.Name,
            r.Location.Url,
            r.Location.Kind == RemoteKind.S3 ? "s3" : "directory",
            r.Name == defaultName,
            r.Scope == RemoteScope.Local ? "local" : "project",
            r.Endpoint,
            r.Region,
            r.Location.Kind == RemoteKind.S3 ? r.ChunkedUpload : null)).ToList();
        if (parseResult.GetValue(Json))
        {
            Console.Out.WriteLine(JsonOutput.Serialize(remotes, CliJsonContext.Default.IReadOnlyListRemoteJson));
        }
        else
        {
            Console.Out.Write(RemoteTable.Render(remotes));
        }

        return ExitCodes.Success;
    }
}

/// <summary><c>repro remote remove NAME</c>: forget a remote (its data stays where it is).</summary>
internal sealed class RemoteRemoveCommand : Command
{
    public RemoteRemoveCommand()
        : base("remove", "Remove a remote's definition (its data stays where it is).")
    {
        Add(RemoteName);
        Add(Local);
        Add(Store);
        SetAction((parseResult, _) => CommandFailure.GuardAsync(() => Task.FromResult(Execute(parseResult))));
    }

    public Argument<string> RemoteName { get; } = new("NAME") { Description = "The remote to remove." };

    public Option<bool> Local { get; } = new("--local") { Description = "Remove it from this user's remotes (the store's remotes.yaml) rather than the project's." };

    public Option<string?> Store { get; } = CommonOptions.Store();

    private int Execute(ParseResult parseResult)
    {
        var configuration = RemoteContext.Find(parseResult.GetValue(Store)).Load();
        var isLocal = parseResult.GetValue(Local);
        var name = parseResult.GetValue(RemoteName)!;
        configuration.Remove(name, isLocal ? RemoteScope.Local : RemoteScope.Project);
        Console.Error.WriteLine($"repro: remote {name} removed from {(isLocal ? configuration.LocalFile : configuration.ProjectFile)}");
        return ExitCodes.Success;
    }
}

/// <summary>Option parsers the remote commands share.</summary>
internal static class RemoteOptions
{
    public static Option<long?> Size(string name, string description, long minimum) => new(name)
    {
        Description = description,
        HelpName = "SIZE",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (RemoteSettingValues.TryParseSize(text, out var bytes) && bytes >= minimum)
            {
                return bytes;
            }

            result.AddError($"{name} must be a size of at least {minimum} bytes, such as 16MiB, not '{text}'");
            return null;
        },
    };

    /// <summary>Adds <paramref name="problem"/>'s message, if any, as the parse error of the value.</summary>
    public static void Check(SymbolResult result, Func<string, string?> problem)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (problem(text) is { } message)
        {
            result.AddError(message);
        }
    }
}
