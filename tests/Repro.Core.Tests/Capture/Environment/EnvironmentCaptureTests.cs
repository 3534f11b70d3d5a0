using System.Collections;
using System.Runtime.InteropServices;
using System.Text.Json;
using Repro.Core.Capture.Environment;
using Repro.Core.Errors;
using Repro.Core.Runs;

namespace Repro.Core.Tests.Capture.Environment;

public sealed class EnvironmentCaptureTests
{
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task CaptureAsync_ThisMachine_FillsOsCpuAndRuntimeFacts()
    {
        using var project = new TempDirectory();

        var result = await EnvironmentCapture.CaptureAsync(project.Path, "echo hi", ProcessEnvironment(), CancellationToken.None);

        var record = result.Record;
        Assert.False(string.IsNullOrEmpty(record.Os.Name));
        Assert.False(string.IsNullOrEmpty(record.Os.Version));
        Assert.Equal(EnvironmentCapture.ArchitectureName(RuntimeInformation.ProcessArchitecture), record.Os.Architecture);
        Assert.Equal(System.Environment.ProcessorCount, record.Cpu.LogicalCores);
        Assert.Equal(System.Environment.Version.ToString(), record.Dotnet.Runtime);
        Assert.Equal(RuntimeInformation.RuntimeIdentifier, record.Dotnet.Rid);
        Assert.NotNull(record.Dotnet.Sdk);
        Assert.True(record.MemoryBytes > 0);
        Assert.False(string.IsNullOrEmpty(record.Hostname));
        if (OperatingSystem.IsLinux())
        {
            Assert.False(string.IsNullOrEmpty(record.Os.Kernel));
            Assert.False(string.IsNullOrEmpty(record.Cpu.Model));
        }

        if (RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64)
        {
            Assert.NotEmpty(record.Cpu.VectorIsa);
        }
    }

    [Fact]
    public async Task CaptureAsync_SecretsInTheEnvironment_NeverReachTheSerializedRecord()
    {
        using var project = new TempDirectory();
        var variables = ProcessEnvironment();
        var withheld = new[] { "CUDA_AUTH_TOKEN", "TORCH_PASSWORD", "OMP_SECRET_KEY" };
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in withheld.Concat(["MY_API_KEY", "AWS_ACCESS_KEY_ID", "FOO_" + RandomHex()]))
        {
            secrets[name] = RandomHex();
            variables[name] = secrets[name];
        }

        var urlPassword = RandomHex();
        variables["TORCH_HUB_MIRROR"] = $"https://alice:{urlPassword}@mirror.example/hub";
        variables["OMP_NUM_THREADS"] = "3";

        var result = await EnvironmentCapture.CaptureAsync(project.Path, "echo hi", variables, CancellationToken.None);
        var json = JsonSerializer.Serialize(result.Record, ManifestJsonContext.Default.EnvironmentRecord)
            + string.Join('\n', result.Warnings);

        foreach (var value in secrets.Values.Append(urlPassword))
        {
            for (var start = 0; start + 8 <= value.Length; start++)
            {
                Assert.DoesNotContain(value.Substring(start, 8), json, StringComparison.OrdinalIgnoreCase);
            }
        }

        Assert.Equal(withheld.Order(StringComparer.Ordinal), result.Record.WithheldVariables);
        Assert.DoesNotContain("MY_API_KEY", json, StringComparison.Ordinal);
        Assert.DoesNotContain("AWS_ACCESS_KEY_ID", json, StringComparison.Ordinal);
        Assert.DoesNotContain("FOO_", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"HOME\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"PATH\"", json, StringComparison.Ordinal);
        Assert.Equal("https://mirror.example/hub", result.Record.Variables["TORCH_HUB_MIRROR"]);
        Assert.Equal("3", result.Record.Variables["OMP_NUM_THREADS"]);
        Assert.All(result.Record.Variables.Keys, name => Assert.True(EnvironmentVariablePolicy.IsRecordable(name)));
    }

    [Fact]
    public async Task CaptureAsync_GlobalJsonAsksForAMissingSdk_RecordsNoSdkAndWarns()
    {
        using var project = new TempDirectory();
        project.Write("global.json", """{ "sdk": { "version": "99.0.100", "rollForward": "disable" } }""");

        var result = await EnvironmentCapture.CaptureAsync(project.Path, "echo hi", ProcessEnvironment(), CancellationToken.None);

        Assert.Null(result.Record.Dotnet.Sdk);
        var warning = Assert.Single(result.Warnings, line => line.StartsWith("dotnet --version", StringComparison.Ordinal));
        Assert.Contains("99.0.100", warning, StringComparison.Ordinal);
        Assert.Contains(new LockFileRecord("global.json", Sha256Of(Path.Combine(project.Path, "global.json"))), result.Record.LockFiles);
    }

    [UnixFact]
    public async Task CaptureAsync_NoToolsOnPath_RecordsUnknownsWithoutWarnings()
    {
        using var project = new TempDirectory();
        var variables = EnvironmentWithPath(Path.Combine(project.Path, "empty-bin"));

        var result = await EnvironmentCapture.CaptureAsync(project.Path, "python3 train.py", variables, CancellationToken.None);

        Assert.Null(result.Record.Dotnet.Sdk);
        Assert.Empty(result.Record.Gpus);
        Assert.Null(result.Record.CudaVersion);
        Assert.Equal(new InterpreterRecord("python3", null, null), result.Record.Interpreter);
        Assert.Equal(["python3 was not found on PATH; interpreter version not recorded"], result.Warnings);
    }

    [UnixFact]
    public async Task CaptureAsync_PythonCommandAfterAssignments_RecordsThatInterpretersVersion()
    {
        using var project = new TempDirectory();
        var python = project.WriteScript("bin/python3", "echo 'Python 3.99.1'");
        var variables = EnvironmentWithPath(Path.GetDirectoryName(python)!);

        var result = await EnvironmentCapture.CaptureAsync(project.Path, "PYTHONHASHSEED=0 python3 train.py", variables, CancellationToken.None);

        Assert.Equal(new InterpreterRecord("python3", python, "3.99.1"), result.Record.Interpreter);
        Assert.Empty(result.Warnings);
    }

    [UnixFact]
    public async Task CaptureAsync_NvidiaSmiWithTwoGpus_RecordsGpusDriverMemoryAndCudaVersion()
    {
        using var project = new TempDirectory();
        var header = project.Write("fixtures/header.txt", Fixture.Read("nvidia-smi-header-cuda124.txt"));
        var query = project.Write("fixtures/query.txt", Fixture.Read("nvidia-smi-query-2-gpus.txt"));
        var nvidiaSmi = project.WriteScript("bin/nvidia-smi", $"""if [ "$#" -eq 0 ]; then /bin/cat '{header}'; else /bin/cat '{query}'; fi""");
        var variables = EnvironmentWithPath(Path.GetDirectoryName(nvidiaSmi)!);

        var result = await EnvironmentCapture.CaptureAsync(project.Path, "echo hi", variables, CancellationToken.None);

        Assert.Equal(2, result.Record.Gpus.Count);
        Assert.Equal(new GpuRecord("NVIDIA A100-SXM4-40GB", "535.104.05", 40960L * 1024 * 1024), result.Record.Gpus[0]);
        Assert.Equal("12.4", result.Record.CudaVersion);
        Assert.Empty(result.Warnings);
    }

    [UnixFact]
    public async Task CaptureAsync_HungNvidiaSmi_GivesUpAtTheTimeoutAndWarns()
    {
        using var project = new TempDirectory();
        var nvidiaSmi = project.WriteScript("bin/nvidia-smi", "/bin/sleep 60");
        var variables = EnvironmentWithPath(Path.GetDirectoryName(nvidiaSmi)!);

        var result = await EnvironmentCapture.CaptureAsync(project.Path, "echo hi", variables, ShortTimeout, CancellationToken.None);

        Assert.Empty(result.Record.Gpus);
        Assert.Null(result.Record.CudaVersion);
        Assert.Equal(["nvidia-smi timed out after 0.5 s; GPUs and CUDA version not recorded"], result.Warnings);
    }

    [UnixFact]
    public async Task CaptureAsync_CancelledWhileAProbeHangs_Throws()
    {
        using var project = new TempDirectory();
        var nvidiaSmi = project.WriteScript("bin/nvidia-smi", "/bin/sleep 60");
        var variables = EnvironmentWithPath(Path.GetDirectoryName(nvidiaSmi)!);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => EnvironmentCapture.CaptureAsync(project.Path, "echo hi", variables, TimeSpan.FromSeconds(30), cancellation.Token));
    }

    [Fact]
    public async Task CaptureAsync_CudaHomeWithCudnnHeader_RecordsCudnnVersion()
    {
        using var project = new TempDirectory();
        var cudaHome = Path.Combine(project.Path, "cuda");
        project.Write("cuda/include/cudnn_version.h", Fixture.Read("cudnn_version.h"));
        var variables = ProcessEnvironment();
        variables["CUDA_HOME"] = cudaHome;

        var result = await EnvironmentCapture.CaptureAsync(project.Path, "echo hi", variables, CancellationToken.None);

        Assert.Equal("8.9.7", result.Record.CudnnVersion);
    }

    [Fact]
    public async Task CaptureAsync_MissingProjectDirectory_ThrowsInputException()
    {
        using var parent = new TempDirectory();
        var missing = Path.Combine(parent.Path, "missing");

        var error = await Assert.ThrowsAsync<InputException>(
            () => EnvironmentCapture.CaptureAsync(missing, "echo hi", ProcessEnvironment(), CancellationToken.None));
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// This process's environment, with the directory of the dotnet running the tests on PATH so the SDK probe finds
    /// one even when the test host was started by full path.
    /// </summary>
    private static Dictionary<string, string> ProcessEnvironment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = (string?)entry.Value ?? string.Empty;
        }

        var host = System.Environment.ProcessPath;
        if (host is not null && Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            variables["PATH"] = Path.GetDirectoryName(host) + Path.PathSeparator + variables.GetValueOrDefault("PATH", string.Empty);
        }

        return variables;
    }

    /// <summary>This process's environment with PATH holding only <paramref name="directory"/>, where fake tools live.</summary>
    private static Dictionary<string, string> EnvironmentWithPath(string directory)
    {
        var variables = ProcessEnvironment();
        variables["PATH"] = directory;
        return variables;
    }

    private static string RandomHex() => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());

    private static string Sha256Of(string path) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));
}
