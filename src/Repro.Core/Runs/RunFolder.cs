namespace Repro.Core.Runs;

/// <summary>
/// A run's folder in the store (<c>runs/RUN-ID/</c>) and the name of every file repro writes there: one place for
/// each name, so the store, the run's stages, git capture and verify agree on them.
/// </summary>
/// <param name="Path">Absolute path of the folder.</param>
public sealed record RunFolder(string Path)
{
    /// <summary>The manifest.</summary>
    public const string ManifestFileName = "run.json";

    /// <summary>The resolved parameters as one JSON object of name to value (<c>REPRO_PARAMS_FILE</c>).</summary>
    public const string ParametersFileName = "params.json";

    /// <summary>The child's standard output.</summary>
    public const string StdoutFileName = "stdout.log";

    /// <summary>The child's standard error.</summary>
    public const string StderrFileName = "stderr.log";

    /// <summary>The patch of tracked changes against HEAD, when the tree was dirty.</summary>
    public const string PatchFileName = "code.patch";

    /// <summary>The report Repro.Sdk writes from inside the child.</summary>
    public const string SdkReportFileName = "sdk.json";

    /// <summary>
    /// What repro's Python start-up hook reports: one JSON line per Python process of the run
    /// (<c>REPRO_AUTOSEED_REPORT</c>, docs/python.md).
    /// </summary>
    public const string PythonReportFileName = "python-autoseed.jsonl";

    /// <summary>Where the entry point writes metrics (<c>REPRO_METRICS_FILE</c>) when its MLproject entry declares no <c>metrics:</c> file.</summary>
    public const string DefaultMetricsFileName = "metrics.json";

    /// <summary>
    /// Locked by the repro process recording the run for as long as it lives (<c>flock</c>): a run whose manifest says
    /// RUNNING while nobody holds this lock was abandoned (repro was killed).
    /// </summary>
    public const string LockFileName = "run.lock";

    /// <summary>A script holding the command, for a command longer than one argument may be (see the execute stage).</summary>
    public const string CommandScriptFileName = "command.sh";

    /// <summary>The marker of a run brought by <c>repro pull</c> (which remote, when); it never goes to a remote.</summary>
    public const string PulledMarkerFileName = "pulled.json";

    /// <summary>The run's id: the folder's name.</summary>
    public string RunId => System.IO.Path.GetFileName(Path);

    /// <summary>The manifest file.</summary>
    public string Manifest => File(ManifestFileName);

    /// <summary>The parameters file.</summary>
    public string Parameters => File(ParametersFileName);

    /// <summary>The standard output log.</summary>
    public string Stdout => File(StdoutFileName);

    /// <summary>The standard error log.</summary>
    public string Stderr => File(StderrFileName);

    /// <summary>The code patch.</summary>
    public string Patch => File(PatchFileName);

    /// <summary>The Repro.Sdk report.</summary>
    public string SdkReport => File(SdkReportFileName);

    /// <summary>The Python hook's report.</summary>
    public string PythonReport => File(PythonReportFileName);

    /// <summary>The lock file.</summary>
    public string Lock => File(LockFileName);

    /// <summary>The command script, when the command was too long for an argument.</summary>
    public string CommandScript => File(CommandScriptFileName);

    /// <summary>The metrics file repro chooses when the entry point declares none.</summary>
    public string DefaultMetrics => File(DefaultMetricsFileName);

    /// <summary>A file in the folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);
}
