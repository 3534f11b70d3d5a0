using Repro.Core.Errors;
using Repro.Core.Scheduling;

namespace Repro.Core.Tests.Scheduling;

public sealed class SlurmSettingsTests
{
    [Fact]
    public void Parse_EveryKey_GivesSbatchOptionsInAFixedOrder()
    {
        var settings = SlurmSettings.Parse("slurm.yaml", """
            setup: [module load cuda/12]
            account: lab
            gres: gpu:a100:1
            gpus: 1
            memory: 16G
            cpus: 4
            time: "1-02:00:00"
            partition: gpu
            directives: [--constraint=avx2]
            """);

        Assert.Equal(
            ["--partition=gpu", "--time=1-02:00:00", "--cpus-per-task=4", "--mem=16G", "--gpus=1", "--gres=gpu:a100:1", "--account=lab", "--constraint=avx2"],
            settings.SbatchOptions());
        Assert.Equal(["module load cuda/12"], settings.Setup);
    }

    [Fact]
    public void Parse_Json_IsReadAsYaml()
    {
        var settings = SlurmSettings.Parse("slurm.json", """{"partition": "debug", "cpus": 2}""");

        Assert.Equal(["--partition=debug", "--cpus-per-task=2"], settings.SbatchOptions());
    }

    [Fact]
    public void Parse_EmptyFile_IsSlurmsDefaults()
    {
        Assert.Empty(SlurmSettings.Parse("slurm.yaml", "").SbatchOptions());
    }

    [Theory]
    [InlineData("cpus: 0\n", "slurm.yaml:1:7: 'cpus' must be a whole number of at least 1, not '0'")]
    [InlineData("time: soon\n", "slurm.yaml:1:7: 'time' must be a Slurm time limit such as 30, 10:00, 2:00:00 or 1-12:00:00, not 'soon'")]
    [InlineData("memory: 4 GB\n", "slurm.yaml:1:9: 'memory' must be a size such as 512M, 4G or 1T, not '4 GB'")]
    [InlineData("partition: a b\n", "slurm.yaml:1:12: 'partition' must be one word, not 'a b'")]
    [InlineData("directives: [constraint=x]\n", "slurm.yaml:1:14: each of 'directives' must be one sbatch option such as --constraint=avx2, not 'constraint=x'")]
    [InlineData("partiton: debug\n", "slurm.yaml:1:1: unknown key 'partiton' in a Slurm backend config")]
    [InlineData("- debug\n", "slurm.yaml:1:1: a Slurm backend config must be a mapping")]
    public void Parse_BadValue_IsOneLocatedError(string text, string expected)
    {
        var error = Assert.Throws<InputException>(() => SlurmSettings.Parse("slurm.yaml", text));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_NamesTheOption()
    {
        var error = Assert.Throws<InputException>(() => SlurmSettings.Load(Path.Combine(Path.GetTempPath(), "no-such-dir-for-repro", "slurm.yaml")));

        Assert.StartsWith("--backend-config ", error.Message, StringComparison.Ordinal);
    }
}
