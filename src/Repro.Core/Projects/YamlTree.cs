using Repro.Core.Errors;

namespace Repro.Core.Projects;

/// <summary>
/// A YAML node with the position it was written at, so every complaint about an MLproject file
/// can point at <c>FILE:LINE:COL</c>. Only what MLproject files need: scalars, lists and mappings with text keys.
/// </summary>
internal abstract record YamlTreeNode(SourceLocation Location)
{
    /// <summary>Words that name the node's shape in error messages.</summary>
    public abstract string ShapeName { get; }

    /// <summary>Whether the node is YAML null: an empty value, <c>~</c> or <c>null</c>.</summary>
    public bool IsNull => this is YamlTreeScalar { IsNullScalar: true };

    /// <summary>An error located at this node.</summary>
    public InputException Error(string message) => new(Location, message);

    /// <summary>This node as a mapping, or an error saying <paramref name="what"/> must be one.</summary>
    public YamlTreeMapping ExpectMapping(string what) =>
        this as YamlTreeMapping ?? throw Error($"{what} must be a mapping of key: value lines, not {ShapeName}");

    /// <summary>This node as a mapping; null counts as an empty mapping.</summary>
    public YamlTreeMapping ExpectMappingOrNull(string what) =>
        IsNull ? new YamlTreeMapping([], Location) : ExpectMapping(what);

    /// <summary>This node as a list; null counts as an empty list.</summary>
    public YamlTreeSequence ExpectSequenceOrNull(string what) =>
        IsNull ? new YamlTreeSequence([], Location) : this as YamlTreeSequence ?? throw Error($"{what} must be a list, not {ShapeName}");

    /// <summary>This node as a non-null scalar, or an error saying <paramref name="what"/> must be a single value.</summary>
    public YamlTreeScalar ExpectScalar(string what) =>
        this is YamlTreeScalar { IsNullScalar: false } scalar ? scalar : throw Error($"{what} must be a single value, not {ShapeName}");
}

/// <summary>A scalar as written: its text after unquoting, and whether it was plain (unquoted and untagged).</summary>
internal sealed record YamlTreeScalar(string Text, bool IsPlain, string? Tag, SourceLocation Location) : YamlTreeNode(Location)
{
    private const string NullTag = "tag:yaml.org,2002:null";
    private const string BoolTag = "tag:yaml.org,2002:bool";

    // PyYAML (which MLflow uses through yaml.safe_load) reads YAML 1.1, so these plain words are null or booleans there.
    private static readonly HashSet<string> s_nullWords = new(StringComparer.Ordinal) { "", "~", "null", "Null", "NULL" };

    private static readonly HashSet<string> s_trueWords = new(StringComparer.Ordinal)
    {
        "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON",
    };

    private static readonly HashSet<string> s_falseWords = new(StringComparer.Ordinal)
    {
        "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF",
    };

    /// <inheritdoc />
    public override string ShapeName => IsNullScalar ? "nothing" : "a single value";

    /// <summary>Whether this scalar is YAML null.</summary>
    public bool IsNullScalar => (IsPlain && s_nullWords.Contains(Text)) || Tag == NullTag;

    /// <summary>The boolean this scalar means to a YAML 1.1 reader, or null when it is not a boolean.</summary>
    public bool? AsBoolean()
    {
        if (!IsPlain && Tag != BoolTag)
        {
            return null;
        }

        if (s_trueWords.Contains(Text))
        {
            return true;
        }

        return s_falseWords.Contains(Text) ? false : null;
    }
}

/// <summary>A YAML list.</summary>
internal sealed record YamlTreeSequence(IReadOnlyList<YamlTreeNode> Items, SourceLocation Location) : YamlTreeNode(Location)
{
    /// <inheritdoc />
    public override string ShapeName => "a list";
}

/// <summary>A YAML mapping whose keys are text, in the order they were written. Keys are unique.</summary>
internal sealed record YamlTreeMapping(IReadOnlyList<YamlTreeEntry> Entries, SourceLocation Location) : YamlTreeNode(Location)
{
    /// <inheritdoc />
    public override string ShapeName => "a mapping";

    /// <summary>The entry with the given key, or null.</summary>
    public YamlTreeEntry? Find(string key) => Entries.FirstOrDefault(entry => entry.Key.Text == key);

    /// <summary>Fails on the first key not in <paramref name="allowed"/>, naming where it is and what is allowed.</summary>
    public void RejectUnknownKeys(string what, params string[] allowed)
    {
        foreach (var entry in Entries)
        {
            if (!allowed.Contains(entry.Name, StringComparer.Ordinal))
            {
                throw entry.Key.Error($"unknown key '{entry.Name}' in {what}; expected one of: {string.Join(", ", allowed)}");
            }
        }
    }
}

/// <summary>One key and its value in a mapping.</summary>
internal sealed record YamlTreeEntry(YamlTreeScalar Key, YamlTreeNode Value)
{
    /// <summary>The key's text.</summary>
    public string Name => Key.Text;
}
