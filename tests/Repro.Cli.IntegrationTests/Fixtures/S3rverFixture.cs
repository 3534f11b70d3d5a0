namespace Repro.Cli.IntegrationTests.Fixtures;

/// <summary>One s3rver for a test class, started by the first test that asks for it (skipped tests start nothing).</summary>
public sealed class S3rverFixture : IDisposable
{
    private readonly Lazy<S3rver> _server = new(() => new S3rver());

    public S3rver Server => _server.Value;

    public void Dispose()
    {
        if (_server.IsValueCreated)
        {
            _server.Value.Dispose();
        }
    }
}
