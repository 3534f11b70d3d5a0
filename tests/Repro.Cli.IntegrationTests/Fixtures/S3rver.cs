using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Repro.Cli.IntegrationTests.Fixtures;

/// <summary>
/// A real S3-compatible server (s3rver from npm) on 127.0.0.1 with a free port, started once for a test class and
/// stopped with it. It is found through <c>REPRO_S3RVER</c> (what <c>.ci/run</c> sets), else in
/// <c>~/.cache/repro/s3rver</c> (where <c>.ci/run</c> installs it: <c>npm install --prefix ~/.cache/repro/s3rver s3rver@3.7.1</c>).
/// </summary>
public sealed partial class S3rver : IDisposable
{
    /// <summary>The bucket the server is started with.</summary>
    public const string Bucket = "repro-tests";

    /// <summary>s3rver checks no signature; any key pair works, and these are its documented defaults.</summary>
    public const string AccessKey = "S3RVER";

    private readonly TempDirectory _data = new("s3rver");
    private readonly Process _process;

    public S3rver()
    {
        var executable = Locate() ?? throw new InvalidOperationException(
            "s3rver is not installed: run `npm install --prefix ~/.cache/repro/s3rver s3rver@3.7.1` (as .ci/run does) or set REPRO_S3RVER");
        // Node 17 and later need the legacy provider, or paginated listings answer HTTP 500.
        _process = ProcessRunner.Start(
            executable,
            ["-d", DataDirectory, "-a", "127.0.0.1", "-p", "0", "--configure-bucket", Bucket, "--silent"],
            DataDirectory,
            new Dictionary<string, string?> { ["NODE_OPTIONS"] = "--openssl-legacy-provider" });
        var port = ReadPortAsync(_process.StandardOutput);
        if (!port.Wait(TimeSpan.FromSeconds(60)) || port.Result is not { } listening)
        {
            var error = _process.HasExited ? _process.StandardError.ReadToEnd() : "no 'listening' line within 60 s";
            Dispose();
            throw new InvalidOperationException($"s3rver did not start: {error}");
        }

        Endpoint = $"http://127.0.0.1:{listening}";
        _process.StandardOutput.ReadToEndAsync();
        _process.StandardError.ReadToEndAsync();
    }

    /// <summary>The endpoint, such as <c>http://127.0.0.1:41234</c>.</summary>
    public string Endpoint { get; }

    /// <summary>Where s3rver keeps the buckets: <c>BUCKET/KEY._S3rver_object</c> holds a key's bytes.</summary>
    public string DataDirectory => _data.Path;

    /// <summary>Whether s3rver can be found here; under CI=true the S3 tests run (and fail) regardless.</summary>
    public static bool Installed => Locate() is not null;

    /// <summary>The file s3rver keeps a key's bytes in.</summary>
    public string ObjectFile(string key) => Path.Combine(DataDirectory, Bucket, key.Replace('/', Path.DirectorySeparatorChar) + "._S3rver_object");

    /// <summary>Every key s3rver holds under <paramref name="prefix"/>, from its data folder.</summary>
    public IReadOnlyList<string> Keys(string prefix)
    {
        var root = Path.Combine(DataDirectory, Bucket);
        return Directory.Exists(root)
            ? Directory.EnumerateFiles(root, "*._S3rver_object", SearchOption.AllDirectories)
                .Select(file => Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/')[..^"._S3rver_object".Length])
                .Where(key => key.StartsWith(prefix, StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];
    }

    /// <summary>Removes a key as if it had never been written (its bytes, checksum and metadata).</summary>
    public void Delete(string key)
    {
        foreach (var suffix in new[] { "._S3rver_object", "._S3rver_object.md5", "._S3rver_metadata.json" })
        {
            File.Delete(Path.Combine(DataDirectory, Bucket, key.Replace('/', Path.DirectorySeparatorChar) + suffix));
        }
    }

    /// <summary>Sets the AWS variables a test's repro needs to reach this server with s3rver's credentials.</summary>
    public ReproProcess Configure(ReproProcess repro, string secret = "S3RVER")
    {
        ArgumentNullException.ThrowIfNull(repro);
        return repro
            .With("AWS_ACCESS_KEY_ID", AccessKey)
            .With("AWS_SECRET_ACCESS_KEY", secret)
            .With("AWS_REGION", "us-east-1")
            .With("AWS_EC2_METADATA_DISABLED", "true")
            .With("AWS_PROFILE", null)
            .With("AWS_ENDPOINT_URL", null)
            .With("AWS_ENDPOINT_URL_S3", null);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
        _data.Dispose();
    }

    /// <summary>The port from s3rver's "listening" line (it prints a blank line first); null when it exits first.</summary>
    private static async Task<string?> ReadPortAsync(StreamReader output)
    {
        while (await output.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (ListeningLine().Match(line) is { Success: true } match)
            {
                return match.Groups[1].Value;
            }
        }

        return null;
    }

    private static string? Locate()
    {
        var configured = Environment.GetEnvironmentVariable("REPRO_S3RVER");
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured) ? configured : null;
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var installed = Path.Combine(home, ".cache", "repro", "s3rver", "node_modules", ".bin", "s3rver");
        return File.Exists(installed) ? installed : null;
    }

    [GeneratedRegex(@"listening on 127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningLine();
}

/// <summary>
/// A test against s3rver: skipped on a developer machine without s3rver, but run (and so failed) under CI=true, where
/// .ci/run installs it and a missing server is a broken build, not a reason to skip.
/// </summary>
public sealed class S3FactAttribute : FactAttribute
{
    public S3FactAttribute()
    {
        if (!S3rver.Installed && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = "s3rver is not installed (npm install --prefix ~/.cache/repro/s3rver s3rver@3.7.1); under CI=true this test runs and fails";
        }
    }
}
