using Repro.Core.Errors;
using Repro.Core.Runs;
using Repro.Core.Store;

namespace Repro.Core.Verification.Differences;

/// <summary><c>repro diff A B</c>: two stored runs side by side, including a diff of their code patches.</summary>
public static class RunDiffService
{
    /// <summary>Compares runs <paramref name="runA"/> and <paramref name="runB"/> (resolved ids) of <paramref name="store"/>.</summary>
    public static ManifestDiff Diff(RunStore store, string runA, string runB)
    {
        var a = store.Load(runA);
        var b = store.Load(runB);
        var diff = ManifestDifferences.Compare(a, b);
        var patchA = ReadPatch(store, a);
        var patchB = ReadPatch(store, b);
        return diff with { PatchDiff = PatchDiff.Create(patchA, patchB, $"{a.RunId}/code.patch", $"{b.RunId}/code.patch") };
    }

    private static string? ReadPatch(RunStore store, RunManifest manifest)
    {
        if (manifest.Git.Patch is not { } patch)
        {
            return null;
        }

        var path = Path.Combine(store.GetRunDirectory(manifest.RunId), patch.File);
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"cannot read {path}, the code patch run {manifest.RunId} recorded: {exception.Message}", exception);
        }
    }
}
