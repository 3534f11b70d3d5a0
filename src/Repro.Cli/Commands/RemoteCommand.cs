using System.CommandLine;
using Repro.Cli.Options;
using Repro.Cli.Output;
using Repro.Core.Errors;
using Repro.Core.Remotes;
using Repro.Core.Runs;

namespace Repro.Cli.Commands;

/// <summary><c>repro remote add|list|remove</c>: the remotes runs and data are pushed to and pulled from.</summary>
internal static class RemoteCommand
{
    public static Command Create()
    {
        var command = new Command("remote", $"Manage remotes: shared folders or S3 buckets for runs and their data (defined in {RemoteConfiguration.ProjectFileName}, committed with the project).");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Remove());
        return command;
    }

    private static Command Add()
    {
        var name = new Argument<string>("NAME") { Description = "The remote's name (a letter or digit, then letters, digits, '.', '_' or '-')." };
        var url = new Argument<string>("URL") { Description = "A folder path, file:///PATH, or s3://BUCKET/PREFIX." };
        var makeDefault = new Option<bool>("--default") { Description = "Make it the default remote (for push, pull, and fetches by checkout)." };
        var local = LocalOption("Define it for this user only, in the store's remotes.yaml, which git ignores.");
        var endpoint = new Option<string?>("--endpoint")
        {
            Description = "S3: the endpoint of an S3-compatible store (MinIO, Ceph, R2…), such as http://127.0.0.1:9000.",
            HelpName = "URL",
            Validators = { result => Check(result, value => RemoteSettingValues.EndpointProblem(value)) },
        };
        var region = new Option<string?>("--region") { Description = "S3: the region to sign for (default: AWS_REGION or the profile's).", HelpName = "REGION" };
        var chunked = new Option<bool>("--chunked-upload") { Description = "S3: let the SDK send aws-chunked uploads (off by default: many S3-compatible stores corrupt them)." };
        var threshold = Size("--multipart-threshold", "S3: objects larger than SIZE go up in parts (default 64MiB).", 1);
        var partSize = Size("--part-size", "S3: the size of each part (default 16MiB, at least 5MiB).", RemoteDefinition.MinimumPartSize);
        var store = CommonOptions.Store();
        var command = new Command("add", "Define a remote.") { name, url, makeDefault, local, endpoint, region, chunked, threshold, partSize, store };
        command.SetAction((parseResult, _) => CommandFailure.GuardAsync(() =>
        {
            var context = RemoteContext.Find(parseResult.GetValue(store));
            var remoteName = parseResult.GetValue(name)!;
            if (!RemoteSettingValues.IsValidName(remoteName))
            {
                throw new InputException($"'{remoteName}' is not a remote name (a letter or digit, then letters, digits, '.', '_' or '-')");
            }

            var location = RemoteLocation.Parse(parseResult.GetValue(url)!, context.ProjectDirectory);
            var s3Settings = parseResult.GetValue(endpoint) is not null || parseResult.GetValue(region) is not null || parseResult.GetValue(chunked)
                || parseResult.GetResult(threshold) is not null || parseResult.GetResult(partSize) is not null;
            if (location.Kind == RemoteKind.Directory && s3Settings)
            {
                throw new InputException($"{location.Url} is a folder: --endpoint, --region, --chunked-upload, --multipart-threshold and --part-size are for S3 remotes");
            }

            var regionName = parseResult.GetValue(region);
            if (regionName is not null && !RemoteSettingValues.IsRegionName(regionName))
            {
                throw new InputException($"--region: '{regionName}' is not a region name (such as us-east-1)");
            }

            var isLocal = parseResult.GetValue(local);
            if (isLocal)
            {
                RunStore.Open(context.StoreDirectory);
            }

            var remote = new RemoteDefinition
            {
                Name = remoteName,
                Location = location,
                Scope = isLocal ? RemoteScope.Local : RemoteScope.Project,
                Endpoint = parseResult.GetValue(endpoint),
                Region = regionName,
                ChunkedUpload = parseResult.GetValue(chunked),
                MultipartThreshold = parseResult.GetValue(threshold) ?? RemoteDefinition.DefaultMultipartThreshold,
                PartSize = parseResult.GetValue(partSize) ?? RemoteDefinition.DefaultPartSize,
            };
            var configuration = context.Load();
            configuration.Add(remote, parseResult.GetValue(makeDefault));
            Console.Error.WriteLine($"repro: remote {remote.Display} added to {(isLocal ? configuration.LocalFile : configuration.ProjectFile)}{(parseResult.GetValue(makeDefault) ? " as the default" : string.Empty)}");
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }

    private static Command List()
    {
        var json = CommonOptions.Json();
        var store = CommonOptions.Store();
        var command = new Command("list", "List the remotes, the default first marked with '*'.") { json, store };
        command.SetAction((parseResult, _) => CommandFailure.GuardAsync(() =>
        {
            var configuration = RemoteContext.Find(parseResult.GetValue(store)).Load();
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
            if (parseResult.GetValue(json))
            {
                Console.Out.WriteLine(JsonOutput.Serialize(remotes, DataJsonContext.Default.IReadOnlyListRemoteJson));
                return Task.FromResult(ExitCodes.Success);
            }

            if (remotes.Count == 0)
            {
                Console.Out.WriteLine("no remotes (add one with `repro remote add NAME URL --default`)");
            }

            var width = remotes.Count == 0 ? 0 : remotes.Max(r => r.Name.Length);
            foreach (var remote in remotes)
            {
                var settings = new List<string>();
                if (remote.Endpoint is not null)
                {
                    settings.Add($"endpoint {remote.Endpoint}");
                }

                if (remote.Region is not null)
                {
                    settings.Add($"region {remote.Region}");
                }

                if (remote.ChunkedUpload == true)
                {
                    settings.Add("chunked uploads");
                }

                if (remote.Scope == "local")
                {
                    settings.Add("this user only");
                }

                Console.Out.WriteLine($"{(remote.IsDefault ? '*' : ' ')} {remote.Name.PadRight(width)}  {remote.Url}{(settings.Count > 0 ? $"  ({string.Join(", ", settings)})" : string.Empty)}");
            }

            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }

    private static Command Remove()
    {
        var name = new Argument<string>("NAME") { Description = "The remote to remove." };
        var local = LocalOption("Remove it from this user's remotes (the store's remotes.yaml) rather than the project's.");
        var store = CommonOptions.Store();
        var command = new Command("remove", "Remove a remote's definition (its data stays where it is).") { name, local, store };
        command.SetAction((parseResult, _) => CommandFailure.GuardAsync(() =>
        {
            var configuration = RemoteContext.Find(parseResult.GetValue(store)).Load();
            var isLocal = parseResult.GetValue(local);
            configuration.Remove(parseResult.GetValue(name)!, isLocal ? RemoteScope.Local : RemoteScope.Project);
            Console.Error.WriteLine($"repro: remote {parseResult.GetValue(name)} removed from {(isLocal ? configuration.LocalFile : configuration.ProjectFile)}");
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }

    private static Option<bool> LocalOption(string description) => new("--local") { Description = description };

    private static Option<long?> Size(string name, string description, long minimum) => new(name)
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

    private static void Check(System.CommandLine.Parsing.OptionResult result, Func<string, string?> problem)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (problem(text) is { } message)
        {
            result.AddError($"{result.Option.Name}: {message}");
        }
    }
}

/// <summary>One remote as <c>repro remote list --json</c> prints it.</summary>
internal sealed record RemoteJson(string Name, string Url, string Kind, bool IsDefault, string Scope, string? Endpoint, string? Region, bool? ChunkedUpload);
