using Repro.Core.Runs;
using Repro.Core.Verification;

namespace Repro.Core.Tests.Verification;

/// <summary>Why <c>verify --in-place</c> refuses a working tree whose submodules are not the recorded ones.</summary>
public sealed class SubmoduleDifferencesTests
{
    private const string Recorded = "1111111111111111111111111111111111111111";
    private const string Moved = "2222222222222222222222222222222222222222";

    [Fact]
    public void SubmoduleDifferences_SameSubmodules_AreNone()
    {
        SubmoduleRecord[] submodules = [new() { Path = "lib", Commit = Recorded }, new() { Path = "lib/vendor", Commit = Moved }];

        Assert.Empty(VerifyService.SubmoduleDifferences(submodules, [.. submodules]));
    }

    [Fact]
    public void SubmoduleDifferences_EachKindOfChange_IsNamedWithTheSubmodulePath()
    {
        var patch = new StoredFileRecord("submodule-1.patch", new string('a', 64), 10);
        SubmoduleRecord[] recorded =
        [
            new() { Path = "lib", Commit = Recorded },
            new() { Path = "lib/vendor", Commit = Recorded },
            new() { Path = "tools", Commit = Recorded, Untracked = [new FileRecord("tools/x.txt", 1, new string('b', 64))] },
            new() { Path = "gone", Commit = Recorded },
        ];
        SubmoduleRecord[] now =
        [
            new() { Path = "lib", Commit = Recorded, Dirty = true, Patch = patch },
            new() { Path = "lib/vendor", Commit = Moved },
            new() { Path = "new", Commit = Moved },
            new() { Path = "tools", Commit = Recorded },
        ];

        var differences = VerifyService.SubmoduleDifferences(recorded, now).ToList();

        Assert.Equal(
        [
            $"submodule gone is gone: the run recorded it at commit {Recorded}",
            $"submodule lib: uncommitted changes inside it differ from the run's (recorded patch sha256 none, now {patch.Sha256})",
            $"submodule lib/vendor is at commit {Moved}, the run recorded {Recorded}",
            "submodule new is new: the run recorded no such submodule",
            $"submodule tools: untracked file tools/x.txt: recorded sha256 {new string('b', 64)}, now absent",
        ], differences);
    }
}
