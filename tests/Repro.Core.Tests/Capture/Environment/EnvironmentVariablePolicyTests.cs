using Repro.Core.Capture.Environment;

namespace Repro.Core.Tests.Capture.Environment;

public sealed class EnvironmentVariablePolicyTests
{
    [Theory]
    [InlineData("CUDA_VISIBLE_DEVICES")]
    [InlineData("CUBLAS_WORKSPACE_CONFIG")]
    [InlineData("CUDNN_LOGINFO_DBG")]
    [InlineData("NVIDIA_VISIBLE_DEVICES")]
    [InlineData("OMP_NUM_THREADS")]
    [InlineData("MKL_CBWR")]
    [InlineData("OPENBLAS_NUM_THREADS")]
    [InlineData("TF_DETERMINISTIC_OPS")]
    [InlineData("TORCH_CUDNN_V8_API_DISABLED")]
    [InlineData("PYTORCH_CUDA_ALLOC_CONF")]
    [InlineData("NCCL_ALGO")]
    [InlineData("XLA_FLAGS")]
    [InlineData("DOTNET_TieredPGO")]
    [InlineData("PYTHONHASHSEED")]
    [InlineData("SOURCE_DATE_EPOCH")]
    [InlineData("LANG")]
    [InlineData("LC_ALL")]
    [InlineData("TZ")]
    public void IsAllowed_VariableThatChangesResults_IsAllowed(string name)
    {
        Assert.True(EnvironmentVariablePolicy.IsAllowed(name));
    }

    [Theory]
    [InlineData("HOME")]
    [InlineData("PATH")]
    [InlineData("AWS_ACCESS_KEY_ID")]
    [InlineData("GITHUB_TOKEN")]
    [InlineData("HF_TOKEN")]
    [InlineData("LANGUAGE")]
    [InlineData("CUDA_")]
    [InlineData("TF_VAR_db_connection")]
    [InlineData("TF_CLI_CONFIG_FILE")]
    [InlineData("XCUDA_HOME")]
    public void IsAllowed_OtherVariable_IsNotAllowed(string name)
    {
        Assert.False(EnvironmentVariablePolicy.IsAllowed(name));
    }

    [Theory]
    [InlineData("CUDA_AUTH_TOKEN")]
    [InlineData("torch_password")]
    [InlineData("OMP_SECRET_KEY")]
    [InlineData("NVIDIA_API_KEY")]
    [InlineData("MKL_PASSWD")]
    [InlineData("TF_CREDENTIALS")]
    [InlineData("DOTNET_COOKIE_JAR")]
    [InlineData("TORCH_SESSION_ID")]
    [InlineData("CUDA_PRIVATE_CERT")]
    public void IsSecretLooking_NameWithSecretFragment_IsSecretLookingAndNotRecordable(string name)
    {
        Assert.True(EnvironmentVariablePolicy.IsSecretLooking(name));
        Assert.False(EnvironmentVariablePolicy.IsRecordable(name));
    }

    [Theory]
    [InlineData("https://alice:s3cret@mirror.example.com/simple", "https://mirror.example.com/simple")]
    [InlineData("ssh://git@github.com/org/repo.git", "ssh://github.com/org/repo.git")]
    [InlineData("http://u:p@ss@host:8080?x=1", "http://host:8080?x=1")]
    [InlineData("a=https://x:y@h1/,b=http://z:w@h2", "a=https://h1/,b=http://h2")]
    [InlineData("https://host.example/path@v2", "https://host.example/path@v2")]
    [InlineData("0,1", "0,1")]
    public void Sanitize_Value_RemovesUrlUserInfoOnly(string value, string expected)
    {
        Assert.Equal(expected, EnvironmentVariablePolicy.Sanitize(value));
    }

    [Fact]
    public void Filter_MixedEnvironment_RecordsAllowedSanitizedAndWithholdsSecretNamesOnly()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["OMP_NUM_THREADS"] = "4",
            ["CUDA_AUTH_TOKEN"] = "t0ken",
            ["TORCH_HUB_MIRROR"] = "https://bob:pw@mirror.example/hub",
            ["AWS_SECRET_ACCESS_KEY"] = "aws",
            ["HOME"] = "/home/bob",
            ["CUBLAS_PASSWORD"] = "pw",
        };

        var filtered = EnvironmentVariablePolicy.Filter(variables);

        Assert.Equal(
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["OMP_NUM_THREADS"] = "4",
                ["TORCH_HUB_MIRROR"] = "https://mirror.example/hub",
            },
            filtered.Recorded);
        Assert.Equal(["CUBLAS_PASSWORD", "CUDA_AUTH_TOKEN"], filtered.Withheld);
    }
}
