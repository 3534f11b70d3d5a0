namespace Repro.Core.Runs;

/// <summary>
/// The words the manifest uses for its typed values, for messages and human output. They come from the table the JSON
/// converter writes from, so a message always says what <c>run.json</c> says.
/// </summary>
public static class ManifestNames
{
    /// <summary>The manifest's word for a run status (RUNNING, FINISHED, …).</summary>
    public static string Name(this RunStatus value) => Of(value);

    /// <summary>The manifest's word for a verdict (REPRODUCED, …).</summary>
    public static string Name(this Verdict value) => Of(value);

    /// <summary>The manifest's word for a comparison outcome (identical, equivalent, different).</summary>
    public static string Name(this ComparisonOutcome value) => Of(value);

    /// <summary>The manifest's word for a comparer (sha256, zip, json, …).</summary>
    public static string Name(this ComparerName value) => Of(value);

    /// <summary>The manifest's word for a git state (repository, no-commits, not-a-repository).</summary>
    public static string Name(this GitState value) => Of(value);

    /// <summary>The manifest's word for a parameter source (user, default, extra).</summary>
    public static string Name(this ParameterSource value) => Of(value);

    /// <summary>The manifest's word for a seed source (cli, mlproject, random).</summary>
    public static string Name(this SeedSource value) => Of(value);

    /// <summary>The manifest's word for who set a variable (repro, user, mlproject).</summary>
    public static string Name(this VariableSetter value) => Of(value);

    /// <summary>The manifest's word for an entry point kind (declared, python-script, shell-script, r-script).</summary>
    public static string Name(this EntryPointKind value) => Of(value);

    /// <summary>The manifest's word for a data kind (file, directory, glob).</summary>
    public static string Name(this DataKind value) => Of(value);

    /// <summary>The manifest's word for what a project's version named (default-branch, branch, tag, commit).</summary>
    public static string Name(this GitRefKind value) => Of(value);

    /// <summary>The manifest's word for whether the Python hook seeded a process (seeded, not-seeded, unsupported).</summary>
    public static string Name(this PythonHookStatus value) => Of(value);

    // The converter's own words, without serializing: the same text (no word needs JSON escaping; ManifestNamesTests
    // compares every value with the serializer's output).
    private static string Of<T>(T value)
        where T : struct, Enum => ManifestEnumWords<T>.Of(value);
}
