using System.Globalization;
using System.Text;
using Repro.Core.Errors;
using Repro.Core.FileSystem;
using Repro.Core.Runs;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Repro.Core.Remotes;

/// <summary>
/// One remotes file (the project's <c>.repro-remotes.yaml</c> or the store's per-user <c>remotes.yaml</c>):
/// <code>
/// default: origin
/// remotes:
///   origin:
///     url: s3://bucket/prefix
///     endpoint: http://127.0.0.1:9000
///     region: us-east-1
///   share:
///     url: /mnt/share/repro
/// </code>
/// Every problem is reported as <c>FILE:LINE:COL: message</c>. Keys that look like credentials are refused: they
/// never belong in a file, least of all one committed with the project.
/// </summary>
internal sealed class RemotesFile
{
    private static readonly string[] CredentialWords = ["key", "secret", "token", "password", "credential", "session"];

    private RemotesFile(string path, RemoteScope scope)
    {
        FilePath = path;
        Scope = scope;
    }

    /// <summary>The file.</summary>
    public string FilePath { get; }

    /// <summary>Which file it is.</summary>
    public RemoteScope Scope { get; }

    /// <summary>The default remote's name, when the file names one.</summary>
    public string? DefaultName { get; set; }

    /// <summary>Where <see cref="DefaultName"/> was written, for messages.</summary>
    public SourceLocation? DefaultLocation { get; private set; }

    /// <summary>The remotes, in file order.</summary>
    public List<RemoteDefinition> Remotes { get; } = [];

    /// <summary>Reads the file; a missing file is an empty one.</summary>
    /// <param name="path">The file.</param>
    /// <param name="scope">Which file it is.</param>
    /// <param name="baseDirectory">What relative folder URLs are relative to.</param>
    /// <exception cref="InputException">The file is not valid.</exception>
    public static RemotesFile Read(string path, RemoteScope scope, string baseDirectory)
    {
        var file = new RemotesFile(path, scope);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return file;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"cannot read {path}: {e.Message}", e);
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new InputException(new SourceLocation(path, e.Start.Line, e.Start.Column), FirstLine(e.Message));
        }
        catch (ArgumentException e)
        {
            // The representation model refuses a duplicate key this way, without a position.
            throw new InputException($"{path}: {FirstLine(e.Message)}", e);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return file;
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw file.Error(stream.Documents[0].RootNode, "a remotes file is a mapping with 'default' and 'remotes'");
        }

        foreach (var (keyNode, value) in root.Children)
        {
            switch (file.Key(keyNode))
            {
                case "default":
                    file.DefaultName = file.Scalar(value, "default");
                    file.DefaultLocation = file.At(value);
                    break;
                case "remotes":
                    file.ReadRemotes(value, baseDirectory);
                    break;
                default:
                    throw file.Error(keyNode, $"unknown key '{file.Key(keyNode)}': a remotes file has 'default' and 'remotes'");
            }
        }

        return file;
    }

    /// <summary>Writes the file atomically, with a header saying what it is for.</summary>
    /// <exception cref="StoreException">The file cannot be written.</exception>
    public void Write()
    {
        var root = new YamlMappingNode();
        if (DefaultName is not null)
        {
            root.Add("default", DefaultName);
        }

        var remotes = new YamlMappingNode();
        foreach (var remote in Remotes)
        {
            var entry = new YamlMappingNode { { "url", remote.Location.Url } };
            if (remote.Endpoint is not null)
            {
                entry.Add("endpoint", remote.Endpoint);
            }

            if (remote.Region is not null)
            {
                entry.Add("region", remote.Region);
            }

            if (remote.ChunkedUpload)
            {
                entry.Add("chunked_upload", "true");
            }

            if (remote.MultipartThreshold != RemoteDefinition.DefaultMultipartThreshold)
            {
                entry.Add("multipart_threshold", remote.MultipartThreshold.ToString(CultureInfo.InvariantCulture));
            }

            if (remote.PartSize != RemoteDefinition.DefaultPartSize)
            {
                entry.Add("part_size", remote.PartSize.ToString(CultureInfo.InvariantCulture));
            }

            remotes.Add(remote.Name, entry);
        }

        root.Add("remotes", remotes);
        var text = new StringBuilder();
        text.Append(Scope == RemoteScope.Project
            ? "# repro remotes, committed with the project (see docs/data-remotes.md). Never put credentials here:\n# S3 takes them from the AWS chain (environment, profile, instance role).\n"
            : "# repro remotes for this user only (see docs/data-remotes.md); they override the project's .repro-remotes.yaml.\n");
        using (var writer = new StringWriter(text, CultureInfo.InvariantCulture))
        {
            new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        }

        // YamlDotNet ends a document with an explicit "..." marker; a hand-edited file reads better without it.
        var content = text.ToString().Replace("\n...\n", "\n", StringComparison.Ordinal);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            AtomicFile.WriteAllBytes(FilePath, Encoding.UTF8.GetBytes(content));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"cannot write {FilePath}: {e.Message}", e);
        }
    }

    private void ReadRemotes(YamlNode node, string baseDirectory)
    {
        if (node is YamlScalarNode { Value: null or "" })
        {
            return;
        }

        if (node is not YamlMappingNode remotes)
        {
            throw Error(node, "'remotes' maps each remote's name to its settings");
        }

        foreach (var (nameNode, settings) in remotes.Children)
        {
            var name = Key(nameNode);
            if (!RemoteSettingValues.IsValidName(name))
            {
                throw Error(nameNode, $"'{name}' is not a remote name (a letter or digit, then letters, digits, '.', '_' or '-')");
            }

            if (Remotes.Any(r => r.Name == name))
            {
                throw Error(nameNode, $"remote '{name}' is defined twice");
            }

            Remotes.Add(ReadRemote(name, nameNode, settings, baseDirectory));
        }
    }

    private RemoteDefinition ReadRemote(string name, YamlNode nameNode, YamlNode node, string baseDirectory)
    {
        if (node is not YamlMappingNode settings)
        {
            throw Error(node, $"remote '{name}' needs settings, at least 'url'");
        }

        RemoteLocation? location = null;
        string? endpoint = null;
        string? region = null;
        var chunked = false;
        var threshold = RemoteDefinition.DefaultMultipartThreshold;
        var partSize = RemoteDefinition.DefaultPartSize;
        foreach (var (keyNode, value) in settings.Children)
        {
            var key = Key(keyNode);
            switch (key)
            {
                case "url":
                    location = Located(value, () => RemoteLocation.Parse(Scalar(value, key), baseDirectory));
                    break;
                case "endpoint":
                    endpoint = Scalar(value, key);
                    if (RemoteSettingValues.EndpointProblem(endpoint) is { } problem)
                    {
                        throw Error(value, problem);
                    }

                    break;
                case "region":
                    region = Scalar(value, key);
                    if (!RemoteSettingValues.IsRegionName(region))
                    {
                        throw Error(value, $"'{region}' is not a region name (such as us-east-1)");
                    }

                    break;
                case "chunked_upload":
                    chunked = Scalar(value, key).ToUpperInvariant() switch
                    {
                        "TRUE" => true,
                        "FALSE" => false,
                        _ => throw Error(value, "chunked_upload is true or false"),
                    };
                    break;
                case "multipart_threshold":
                    threshold = Size(value, key, 1);
                    break;
                case "part_size":
                    partSize = Size(value, key, RemoteDefinition.MinimumPartSize);
                    break;
                default:
                    throw Error(keyNode, CredentialWords.Any(word => key.Contains(word, StringComparison.OrdinalIgnoreCase))
                        ? $"'{key}': credentials never go in a remotes file; S3 takes them from the AWS chain (environment, profile, instance role)"
                        : $"unknown remote setting '{key}' (known: url, endpoint, region, chunked_upload, multipart_threshold, part_size)");
            }
        }

        if (location is null)
        {
            throw Error(nameNode, $"remote '{name}' has no 'url'");
        }

        if (location.Kind == RemoteKind.Directory && (endpoint is not null || region is not null))
        {
            throw Error(nameNode, $"remote '{name}' is a folder: 'endpoint' and 'region' are S3 settings");
        }

        return new RemoteDefinition
        {
            Name = name,
            Location = location,
            Scope = Scope,
            Endpoint = endpoint,
            Region = region,
            ChunkedUpload = chunked,
            MultipartThreshold = threshold,
            PartSize = partSize,
        };
    }

    private long Size(YamlNode node, string key, long minimum)
    {
        var text = Scalar(node, key);
        if (!RemoteSettingValues.TryParseSize(text, out var bytes) || bytes < minimum)
        {
            throw Error(node, $"{key} must be a size of at least {minimum} bytes (such as 16MiB), not '{text}'");
        }

        return bytes;
    }

    private T Located<T>(YamlNode node, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (InputException e)
        {
            throw Error(node, e.Message);
        }
    }

    private string Key(YamlNode node) => node is YamlScalarNode { Value: { } value } ? value : throw Error(node, "keys are plain text");

    private string Scalar(YamlNode node, string key) =>
        node is YamlScalarNode { Value: { } value } ? value : throw Error(node, $"'{key}' takes a single value");

    private SourceLocation At(YamlNode node) => new(FilePath, node.Start.Line, node.Start.Column);

    private InputException Error(YamlNode node, string message) => new(At(node), message);

    private static string FirstLine(string message)
    {
        var end = message.IndexOf('\n', StringComparison.Ordinal);
        return end < 0 ? message : message[..end];
    }
}
