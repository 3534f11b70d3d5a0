using Repro.Core.Capture.Environment;

namespace Repro.Core.Tests.Capture.Environment;

public sealed class SecretPatternsTests
{
    [Theory]
    [InlineData("ghp_0123456789abcdefghijABCDEFGHIJ012345")]
    [InlineData("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz")]
    [InlineData("glpat-abcdefghij0123456789")]
    [InlineData("xoxb-1234567890-abcdefghij")]
    [InlineData("https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXXXXXXXXXX")]
    [InlineData("AKIAIOSFODNN7EXAMPLE")]
    [InlineData("ASIAIOSFODNN7EXAMPLE")]
    [InlineData("sk-proj-abcdefghij0123456789ABCD")]
    [InlineData("sk-ant-api03-abcdefghij0123456789")]
    [InlineData("sk_live_abcdefghij0123456789")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U")]
    [InlineData("/x?password=hunter2")]
    [InlineData("https://data.example.com/x?user=a&token=abc123")]
    [InlineData("s3://bucket/key?X-Amz-Signature=abcdef0123")]
    [InlineData("db_password=hunter2")]
    [InlineData("eth0,ghp_0123456789abcdefghijABCDEFGHIJ012345")]
    public void LooksLikeSecret_CredentialFormats_AreCaught(string value)
    {
        Assert.True(SecretPatterns.LooksLikeSecret(value), value);
    }

    [Theory]
    [InlineData("eth0")]
    [InlineData(":4096:8")]
    [InlineData("/usr/local/cuda/lib64")]
    [InlineData("task-manager-0123456789abcdefghijk")]
    [InlineData("risk-0123456789abcdefghijklmn")]
    [InlineData("1")]
    [InlineData("en_US.UTF-8")]
    [InlineData("https://download.pytorch.org/whl/cu121")]
    [InlineData("https://example.com/x?page=2&sort=name")]
    [InlineData("AKIAIOSFODNN7EXAMPLE0")]
    public void LooksLikeSecret_OrdinaryValues_AreKept(string value)
    {
        Assert.False(SecretPatterns.LooksLikeSecret(value), value);
    }

    [Theory]
    [InlineData("api_token", true)]
    [InlineData("hf_token", true)]
    [InlineData("db-password", true)]
    [InlineData("client_secret", true)]
    [InlineData("API_KEY", true)]
    [InlineData("aws_access_key", true)]
    [InlineData("key", false)]
    [InlineData("author", false)]
    [InlineData("keyframes", false)]
    [InlineData("session_length", false)]
    public void IsSecretParameterName_NamesThatSayTheyHoldASecret(string name, bool secret)
    {
        Assert.Equal(secret, SecretPatterns.IsSecretParameterName(name));
    }

    [Fact]
    public void Filter_AllowedVariableWithACredentialValue_IsWithheldByName()
    {
        var filtered = EnvironmentVariablePolicy.Filter(new Dictionary<string, string>
        {
            ["NCCL_SOCKET_IFNAME"] = "ghp_0123456789abcdefghijABCDEFGHIJ012345",
            ["DOTNET_CLI_HOME"] = "/x?password=hunter2",
            ["OMP_NUM_THREADS"] = "4",
        });

        Assert.Equal(["DOTNET_CLI_HOME", "NCCL_SOCKET_IFNAME"], filtered.Withheld);
        Assert.Equal(["OMP_NUM_THREADS"], filtered.Recorded.Keys);
    }
}
