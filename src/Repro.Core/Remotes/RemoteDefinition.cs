namespace Repro.Core.Remotes;

/// <summary>Which file a remote is defined in.</summary>
public enum RemoteScope
{
    /// <summary>The project's <c>.repro-remotes.yaml</c>, committed with the project.</summary>
    Project,

    /// <summary>The per-user <c>remotes.yaml</c> in the run store, which git ignores with the rest of the store.</summary>
    Local,
}

/// <summary>One remote: a name, where it is, and how to talk to it. Never a credential.</summary>
public sealed record RemoteDefinition
{
    /// <summary>Objects larger than this go to S3 in parts, by default: 64 MiB.</summary>
    public const long DefaultMultipartThreshold = 64L << 20;

    /// <summary>The size of each part of a multipart upload, by default: 16 MiB.</summary>
    public const long DefaultPartSize = 16L << 20;

    /// <summary>The smallest part S3 accepts (every part but the last).</summary>
    public const long MinimumPartSize = 5L << 20;

    /// <summary>The name, as used with <c>-r NAME</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Where the remote is.</summary>
    public required RemoteLocation Location { get; init; }

    /// <summary>Which file defines it.</summary>
    public RemoteScope Scope { get; init; } = RemoteScope.Project;

    /// <summary>
    /// S3: the service endpoint of an S3-compatible store (MinIO, Ceph, R2…), such as <c>http://127.0.0.1:9000</c>.
    /// Null uses AWS, or <c>AWS_ENDPOINT_URL_S3</c> / <c>AWS_ENDPOINT_URL</c> when set.
    /// </summary>
    public string? Endpoint { get; init; }

    /// <summary>S3: the region to sign for; null takes it from <c>AWS_REGION</c> or the profile.</summary>
    public string? Region { get; init; }

    /// <summary>
    /// S3: whether uploads may use the SDK's <c>aws-chunked</c> encoding. Off by default: many S3-compatible stores
    /// answer 200 to such an upload and store the chunk framing with the data. Turning it off makes the SDK sign the
    /// whole payload instead, which costs one more read of each part.
    /// </summary>
    public bool ChunkedUpload { get; init; }

    /// <summary>S3: objects larger than this are sent as multipart uploads.</summary>
    public long MultipartThreshold { get; init; } = DefaultMultipartThreshold;

    /// <summary>S3: the part size of multipart uploads.</summary>
    public long PartSize { get; init; } = DefaultPartSize;

    /// <summary>How the remote is shown: its name and URL.</summary>
    public string Display => $"{Name} ({Location.Url})";
}
