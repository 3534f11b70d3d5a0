using System.Net;
using System.Net.Sockets;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Repro.Core.Capture.Data;
using Repro.Core.Errors;

namespace Repro.Core.Remotes.S3;

/// <summary>
/// A remote in an S3 bucket (AWS, or an S3-compatible store through an endpoint), through the official AWS SDK.
/// Credentials come only from the SDK's standard chain (environment, profile, SSO, container or instance role).
/// </summary>
/// <remarks>
/// <para>
/// Uploads do not use <c>aws-chunked</c> encoding unless the remote says <c>chunked_upload: true</c>: many
/// S3-compatible stores answer 200 to a chunked upload and keep the chunk framing as part of the object. Without it
/// the SDK signs the whole payload. Objects above the multipart threshold go up in parts through the low-level
/// multipart calls (TransferUtility cannot turn chunked encoding off). After every upload the stored size is read back
/// and compared, so a store that mangles uploads is caught at once; downloads are hashed before they enter the store.
/// </para>
/// <para>
/// The endpoint is set only from the remote's own setting: <c>AWS_ENDPOINT_URL_S3</c> and <c>AWS_ENDPOINT_URL</c>
/// are the SDK's to read, and reading <c>ServiceURL</c> before the client exists would make it ignore them.
/// </para>
/// </remarks>
internal sealed class S3RemoteStorage : IRemoteStorage
{
    private readonly RemoteDefinition _remote;
    private readonly AmazonS3Client _client;
    private readonly string _bucket;
    private readonly string _prefix;
    private readonly SemaphoreSlim _requests;
    private readonly int _parallelism;

    private S3RemoteStorage(RemoteDefinition remote, AmazonS3Client client, int parallelism)
    {
        _parallelism = Math.Max(1, parallelism);
        _remote = remote;
        _client = client;
        _bucket = remote.Location.Bucket!;
        _prefix = remote.Location.Prefix.Length == 0 ? string.Empty : remote.Location.Prefix + "/";
        _requests = new SemaphoreSlim(_parallelism);
    }

    public string Display => _remote.Display;

    /// <summary>Creates the client; nothing is sent until the first call.</summary>
    /// <exception cref="StoreException">The SDK cannot be configured (no region anywhere, a bad profile).</exception>
    public static S3RemoteStorage Create(RemoteDefinition remote, int parallelism)
    {
        var config = new AmazonS3Config
        {
            // Integrity is repro's own check (sizes after upload, SHA-256 of every download); the SDK's optional
            // checksums would only read every byte once more.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxConnectionsPerServer = Math.Max(2, parallelism),
        };
        if (remote.Endpoint is not null)
        {
            config.ServiceURL = remote.Endpoint;
            config.ForcePathStyle = true;
            if (remote.Region is not null)
            {
                config.AuthenticationRegion = remote.Region;
            }
        }
        else if (remote.Region is not null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(remote.Region);
        }

        try
        {
            return new S3RemoteStorage(remote, new AmazonS3Client(config), parallelism);
        }
        catch (AmazonClientException e)
        {
            throw new StoreException($"remote {remote.Display}: {Explain(e)}", e);
        }
    }

    public async Task<IReadOnlyDictionary<string, long>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        var listed = new Dictionary<string, long>(StringComparer.Ordinal);
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = _prefix + prefix };
        while (true)
        {
            var response = await Call(() => _client.ListObjectsV2Async(request, cancellationToken), $"list {prefix}").ConfigureAwait(false);
            foreach (var item in response.S3Objects ?? [])
            {
                if (item.Key.StartsWith(_prefix, StringComparison.Ordinal))
                {
                    listed[item.Key[_prefix.Length..]] = item.Size ?? 0;
                }
            }

            if (response.IsTruncated != true || string.IsNullOrEmpty(response.NextContinuationToken))
            {
                return listed;
            }

            request.ContinuationToken = response.NextContinuationToken;
        }
    }

    public async Task<long?> SizeOfAsync(string key, CancellationToken cancellationToken)
    {
        // A listing rather than HEAD: a HEAD answer has no body, so a missing bucket would look like a missing key.
        var response = await Call(
            () => _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Prefix = _prefix + key, MaxKeys = 1 }, cancellationToken),
            $"look up {key}").ConfigureAwait(false);
        var item = response.S3Objects?.FirstOrDefault();
        return item is not null && item.Key == _prefix + key ? item.Size ?? 0 : null;
    }

    public async Task PutFileAsync(string key, string localPath, string? sha256, CancellationToken cancellationToken)
    {
        var length = new FileInfo(localPath).Length;
        if (sha256 is not null)
        {
            // The SDK reads the file itself; reading it once before (it then comes from the page cache) is what lets
            // repro promise that a damaged local object is never sent.
            await Task.Run(() => CheckLocal(localPath, sha256), cancellationToken).ConfigureAwait(false);
        }

        if (length > _remote.MultipartThreshold)
        {
            await PutMultipartAsync(key, localPath, length, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _requests.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await Call(
                    () => _client.PutObjectAsync(
                        new PutObjectRequest { BucketName = _bucket, Key = _prefix + key, FilePath = localPath, UseChunkEncoding = _remote.ChunkedUpload },
                        cancellationToken),
                    $"upload {key}").ConfigureAwait(false);
            }
            finally
            {
                _requests.Release();
            }
        }

        var stored = await SizeOfAsync(key, cancellationToken).ConfigureAwait(false);
        if (stored != length)
        {
            await TryDeleteAsync(key).ConfigureAwait(false);
            throw new StoreException(
                $"remote {Display} stored {stored?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nothing"} bytes for {key} where {length} were sent"
                + (_remote.ChunkedUpload ? ": this store mangles aws-chunked uploads; remove `chunked_upload: true` from the remote" : string.Empty));
        }
    }

    public async Task GetAsync(string key, Stream destination, CancellationToken cancellationToken)
    {
        await _requests.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var response = await Call(
                () => _client.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = _prefix + key }, cancellationToken),
                $"download {key}").ConfigureAwait(false);
            try
            {
                await response.ResponseStream.CopyToAsync(destination, 1 << 20, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                throw new StoreException($"remote {Display}: the download of {key} broke off: {e.Message}", e);
            }
            catch (AmazonClientException e)
            {
                // The SDK checks an MD5 or checksum the store sends along, when there is one, before repro's own hash.
                throw new StoreException($"remote {Display}: {key} is damaged ({FirstLine(e.Message)}): it was not stored", e);
            }
        }
        finally
        {
            _requests.Release();
        }
    }

    public string? LocalPathOf(string key) => null;

    public void Dispose()
    {
        _client.Dispose();
        _requests.Dispose();
    }

    private static void CheckLocal(string localPath, string sha256)
    {
        using var handle = File.OpenHandle(localPath, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        var actual = HashingCopy.Hash(handle);
        if (actual != sha256)
        {
            throw new StoreException($"object {sha256} in the local store is damaged (its content hashes to {actual}): it was not sent");
        }
    }

    private async Task PutMultipartAsync(string key, string localPath, long length, CancellationToken cancellationToken)
    {
        var fullKey = _prefix + key;
        var started = await Call(
            () => _client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _bucket, Key = fullKey }, cancellationToken),
            $"start the upload of {key}").ConfigureAwait(false);
        var uploadId = started.UploadId;
        try
        {
            var partSize = _remote.PartSize;
            var count = (int)((length + partSize - 1) / partSize);
            var tags = new PartETag[count];
            await Parallel.ForEachAsync(
                Enumerable.Range(0, count),
                new ParallelOptions { MaxDegreeOfParallelism = _parallelism, CancellationToken = cancellationToken },
                async (index, token) =>
                {
                    var offset = index * partSize;
                    await _requests.WaitAsync(token).ConfigureAwait(false);
                    try
                    {
                        var part = await Call(
                            () => _client.UploadPartAsync(
                                new UploadPartRequest
                                {
                                    BucketName = _bucket,
                                    Key = fullKey,
                                    UploadId = uploadId,
                                    PartNumber = index + 1,
                                    FilePath = localPath,
                                    FilePosition = offset,
                                    PartSize = Math.Min(partSize, length - offset),
                                    IsLastPart = index == count - 1,
                                    UseChunkEncoding = _remote.ChunkedUpload,
                                },
                                token),
                            $"upload part {index + 1} of {key}").ConfigureAwait(false);
                        tags[index] = new PartETag(index + 1, part.ETag);
                    }
                    finally
                    {
                        _requests.Release();
                    }
                }).ConfigureAwait(false);

            await Call(
                () => _client.CompleteMultipartUploadAsync(
                    new CompleteMultipartUploadRequest { BucketName = _bucket, Key = fullKey, UploadId = uploadId, PartETags = [.. tags] },
                    cancellationToken),
                $"complete the upload of {key}").ConfigureAwait(false);
        }
        catch
        {
            // Some S3-compatible stores lack AbortMultipartUpload; the unfinished parts are then theirs to expire.
            try
            {
                await _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _bucket, Key = fullKey, UploadId = uploadId }, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException)
            {
                // The upload's own failure is what gets reported.
            }

            throw;
        }
    }

    private async Task TryDeleteAsync(string key)
    {
        try
        {
            await _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = _prefix + key }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException)
        {
            // A bad object left behind is found by its size on the next push and sent again.
        }
    }

    /// <summary>Runs one SDK call and turns every failure into one line that names the remote.</summary>
    private async Task<T> Call<T>(Func<Task<T>> call, string what)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (AmazonS3Exception e)
        {
            throw new StoreException($"remote {Display}: cannot {what}: {ExplainService(e)}", e);
        }
        catch (AmazonServiceException e)
        {
            throw new StoreException($"remote {Display}: cannot {what}: {Explain(e)}", e);
        }
        catch (AmazonClientException e)
        {
            throw new StoreException($"remote {Display}: cannot {what}: {Explain(e)}", e);
        }
        catch (HttpRequestException e)
        {
            throw new StoreException($"remote {Display}: cannot reach {Endpoint()}: {Innermost(e).Message}", e);
        }
        catch (TaskCanceledException e) when (e.InnerException is TimeoutException)
        {
            throw new StoreException($"remote {Display}: {Endpoint()} did not answer in time", e);
        }
    }

    private string ExplainService(AmazonS3Exception e) => e.ErrorCode switch
    {
        "NoSuchBucket" => $"bucket '{_bucket}' does not exist at {Endpoint()}",
        "AccessDenied" or "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "ExpiredToken" or "InvalidToken" =>
            $"access denied to bucket '{_bucket}' ({e.ErrorCode}): check the AWS credentials (environment, profile or role)",
        _ when e.StatusCode == HttpStatusCode.NotFound && string.IsNullOrEmpty(e.ErrorCode) => $"bucket '{_bucket}' or the key does not exist at {Endpoint()}",
        _ => $"{(string.IsNullOrEmpty(e.ErrorCode) ? ((int)e.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) : e.ErrorCode)}: {FirstLine(e.Message)}",
    };

    private string Explain(AmazonServiceException e) =>
        Innermost(e) is SocketException or HttpRequestException
            ? $"cannot reach {Endpoint()}: {Innermost(e).Message}"
            : $"{e.ErrorCode ?? ((int)e.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)}: {FirstLine(e.Message)}";

    private static string Explain(AmazonClientException e)
    {
        var inner = Innermost(e);
        if (inner is SocketException or HttpRequestException)
        {
            return $"cannot reach the endpoint: {inner.Message}";
        }

        var message = FirstLine(e.Message);
        if (message.Contains("credential", StringComparison.OrdinalIgnoreCase))
        {
            return "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or run where an instance or container role is available";
        }

        if (message.Contains("RegionEndpoint", StringComparison.OrdinalIgnoreCase) || message.Contains("region", StringComparison.OrdinalIgnoreCase))
        {
            return $"no AWS region: set AWS_REGION, or `region:` for the remote ({message})";
        }

        return message;
    }

    private string Endpoint() =>
        _remote.Endpoint
        ?? System.Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_S3")
        ?? System.Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL")
        ?? "S3";

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOf('\n', StringComparison.Ordinal);
        return (end < 0 ? message : message[..end]).Trim();
    }
}
