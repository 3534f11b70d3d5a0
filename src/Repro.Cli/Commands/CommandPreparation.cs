using Repro.Core.Execution;
using Repro.Core.Store;

namespace Repro.Cli.Commands;

/// <summary>
/// Starts, on a background thread of its own, the one-time preparation the named command is about to need: loading SQLite
/// and compiling its native calls, and System.Text.Json's writer for a run's parameters file. Started before the command
/// line is even parsed, it overlaps that parsing and the command's own first steps instead of adding to them. Nothing
/// here has an effect besides being ready sooner: a wrong guess (a command line that turns out to be bad) costs only the
/// background thread's time. Reading manifests needs nothing here: run.json is read by a hand-written reader without
/// System.Text.Json's metadata, which this thread used to build for show, verify and diff (25 to 30 ms of CPU for
/// `repro show latest`, which on two cores delayed the command itself).
/// </summary>
internal static class CommandPreparation
{
    public static void Start(IReadOnlyList<string> args)
    {
        var sqlite = args.Count > 0 && args[0] is "run" or "pipeline" or "list" or "verify" or "diff";
        if (!sqlite)
        {
            return;
        }

        var run = args[0] == "run";
        var pipeline = args[0] == "pipeline";
        void Prepare()
        {
            // A pipeline ends by indexing its reused steps' runs (SQLite, below) and deleting its capture scratch folder,
            // a recursive delete whose directory walk is generic code the JIT compiles: both on the critical path,
            // after the last step, unless done here first while the git captures and the steps run.
            if (pipeline)
            {
                PrepareRecursiveDelete();
            }

            // A run writes params.json (System.Text.Json's first use: loading it and its writer) in its prepare stage,
            // before the index: both are ready before the run's stages get there.
            if (run)
            {
                _ = PrepareRunFilesStage.ParametersJson([]);
            }

            RunIndex.Prepare();
        }

        // A run starts the thread pool anyway (its captures and the child's streams are awaited there). `list` and
        // `show` never need it: queuing the warm-up there would start the pool (a worker and its gate thread) from the
        // main thread for nothing, two threads more than a thread of its own (strace: 11 -> 9 clones for `list`). A
        // pipeline's git captures and read-ahead start on the pool at once: a warm-up there would hold one of its few
        // first workers (as many as cores) while they wait.
        if (run)
        {
            ThreadPool.UnsafeQueueUserWorkItem(_ => Prepare(), null);
            return;
        }

        new Thread(Prepare) { IsBackground = true, Name = "repro warm-up" }.Start();
    }

    // The walk of a recursive delete, on a folder of its own with one subfolder (as a pipeline's scratch folder holds).
    // A folder that cannot be made or removed only leaves the delete unprepared.
    private static void PrepareRecursiveDelete()
    {
        try
        {
            var folder = Directory.CreateTempSubdirectory("repro-warm-up-");
            folder.CreateSubdirectory("1");
            folder.Delete(recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Nothing depends on it: the pipeline's own delete compiles the same code when it gets there.
        }
    }
}
