using Repro.Core.Errors;
using Repro.Core.Projects.Python;

namespace Repro.Core.Projects;

/// <summary>
/// A YAML node with the position it was written at, so every complaint about an MLproject file
/// can point at <c>FILE:LINE:COL</c>. Only what MLproject files need: scalars, lists and mappings with scalar keys.
/// </summary>
internal abstract record YamlTreeNode(SourceLocation Location)
{
    /// <summary>Words that name the node's shape in error messages.</summary>
    public abstract string ShapeName { get; }

    /// <summary>Whether the node is what PyYAML reads as <c>None</c>: an empty value, <c>~</c>, <c>null</c>, <c>!!null</c>.</summary>
    public bool IsNull => this is YamlTreeScalar { IsNullScalar: true };

    /// <summary>An error located at this node.</summary>
    public InputException Error(string message) => new(Location, message);

    /// <summary>This node as a mapping, or an error saying <paramref name="what"/> must be one.</summary>
    public YamlTreeMapping ExpectMapping(string what) =>
        this as YamlTreeMapping ?? throw Error($"{what} must be a mapping of key: value lines, not {ShapeName}");

    /// <summary>This node as a mapping; null counts as an empty mapping.</summary>
    public YamlTreeMapping ExpectMappingOrNull(string what) =>
        IsNull ? new YamlTreeMapping([], [], Location) : ExpectMapping(what);

    /// <summary>This node as a list; null counts as an empty list.</summary>
    public YamlTreeSequence ExpectSequenceOrNull(string what) =>
        IsNull ? new YamlTreeSequence([], null, Location) : this as YamlTreeSequence ?? throw Error($"{what} must be a list, not {ShapeName}");

    /// <summary>This node as a non-null scalar, or an error saying <paramref name="what"/> must be a single value.</summary>
    public YamlTreeScalar ExpectScalar(string what) =>
        this is YamlTreeScalar { IsNullScalar: false } scalar ? scalar : throw Error($"{what} must be a single value, not {ShapeName}");

    /// <summary>The Python value <c>yaml.safe_load</c> builds from this node; an error here where PyYAML fails on it.</summary>
    public abstract PythonValue ToPython();

    /// <summary>This node and every node below it, each once (an alias shares its anchor's nodes).</summary>
    public IEnumerable<YamlTreeNode> DescendantsAndSelf()
    {
        var seen = new HashSet<YamlTreeNode>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<YamlTreeNode>();
        pending.Push(this);
        while (pending.TryPop(out var node))
        {
            if (!seen.Add(node))
            {
                continue;
            }

            yield return node;
            var children = node switch
            {
                YamlTreeSequence sequence => sequence.Items,
                YamlTreeMapping mapping => mapping.Entries.SelectMany(entry => new[] { entry.Key, entry.Value }),
                _ => [],
            };
            foreach (var child in children.Reverse())
            {
                pending.Push(child);
            }
        }
    }
}

/// <summary>A scalar as written: its text after unquoting, whether it was written plain, and its explicit tag.</summary>
/// <param name="Text">The text after unquoting and line folding.</param>
/// <param name="IsPlainStyle">Written without quotes and not as a block (<c>|</c>, <c>&gt;</c>).</param>
/// <param name="Tag">The explicit tag, expanded (<c>tag:yaml.org,2002:str</c>, <c>!</c>, <c>!local</c>), or null.</param>
/// <param name="Location">Where the scalar starts.</param>
internal sealed record YamlTreeScalar(string Text, bool IsPlainStyle, string? Tag, SourceLocation Location) : YamlTreeNode(Location)
{
    private PythonValue? _value;
    private string? _failure;

    /// <inheritdoc />
    public override string ShapeName => IsNullScalar ? "nothing" : "a single value";

    /// <summary>Whether PyYAML reads this scalar as <c>None</c>.</summary>
    public bool IsNullScalar => TryResolve(out var value, out _) && value is PythonNone;

    /// <summary>Whether PyYAML reads this scalar as a <c>str</c>.</summary>
    public bool IsString => TryResolve(out var value, out _) && value is PythonString;

    /// <summary>Whether this is a merge key (<c>&lt;&lt;</c> written plain, or tagged <c>!!merge</c>).</summary>
    public bool IsMergeKey => ResolvedTag == PyYamlScalars.TagPrefix + "merge";

    private string ResolvedTag => Tag is null or "!" && (IsPlainStyle || Tag == "!")
        ? PyYamlScalars.ImplicitTag(Text)
        : Tag is null ? PyYamlScalars.TagPrefix + "str" : PyYamlScalars.Expand(Tag);

    /// <inheritdoc />
    public override PythonValue ToPython() =>
        TryResolve(out var value, out var failure) ? value : throw Error($"{failure}; MLflow's YAML reader (PyYAML) fails on it");

    /// <summary>The value PyYAML builds, or why it cannot build one.</summary>
    public bool TryResolve(out PythonValue value, out string failure)
    {
        if (_value is null && _failure is null)
        {
            try
            {
                _value = PyYamlScalars.Construct(Text, IsPlainStyle, Tag);
            }
            catch (PyYamlException exception)
            {
                _failure = exception.Message;
            }
        }

        value = _value ?? PythonNone.Instance;
        failure = _failure ?? string.Empty;
        return _value is not null;
    }
}

/// <summary>A YAML list.</summary>
/// <param name="Items">The items in order.</param>
/// <param name="Tag">The explicit tag, expanded, or null.</param>
/// <param name="Location">Where the list starts.</param>
internal sealed record YamlTreeSequence(IReadOnlyList<YamlTreeNode> Items, string? Tag, SourceLocation Location) : YamlTreeNode(Location)
{
    /// <inheritdoc />
    public override string ShapeName => "a list";

    /// <inheritdoc />
    public override PythonValue ToPython()
    {
        switch (Tag is null or "!" ? null : PyYamlScalars.Expand(Tag))
        {
            case null or PyYamlScalars.TagPrefix + "seq":
                return new PythonList([.. Items.Select(item => item.ToPython())]);
            case PyYamlScalars.TagPrefix + "omap" or PyYamlScalars.TagPrefix + "pairs":
                // SafeConstructor.construct_yaml_omap/pairs: a list of (key, value) tuples from one-entry mappings.
                return new PythonList([.. Items.Select(item => item is YamlTreeMapping { Entries.Count: 1 } pair
                    ? new PythonTuple([pair.Entries[0].Key.ToPython(), pair.Entries[0].Value.ToPython()])
                    : throw item.Error($"each item of a {PyYamlScalars.Short(PyYamlScalars.Expand(Tag!))} list must be a mapping of one key"))]);
            case var other:
                throw Error($"a list tagged {PyYamlScalars.Short(other)} cannot be read; MLflow's YAML reader (PyYAML) fails on it");
        }
    }
}

/// <summary>
/// A YAML mapping as PyYAML builds a dict from it: merge keys (<c>&lt;&lt;</c>) applied, and a repeated key keeping the
/// place of its first occurrence with the value of its last. <see cref="Duplicates"/> remembers what was repeated.
/// </summary>
/// <param name="Entries">The entries after merging, in dict order.</param>
/// <param name="Duplicates">Keys written more than once in this mapping itself, each with the first key it repeats.</param>
/// <param name="Location">Where the mapping starts.</param>
/// <param name="Tag">The explicit tag, expanded, or null.</param>
internal sealed record YamlTreeMapping(
    IReadOnlyList<YamlTreeEntry> Entries,
    IReadOnlyList<(YamlTreeScalar Key, YamlTreeScalar First)> Duplicates,
    SourceLocation Location,
    string? Tag = null) : YamlTreeNode(Location)
{
    /// <inheritdoc />
    public override string ShapeName => "a mapping";

    /// <summary>The entry whose key is the text <paramref name="key"/>, or null.</summary>
    public YamlTreeEntry? Find(string key) => Entries.FirstOrDefault(entry => entry.Key.Text == key && entry.Key.IsString);

    /// <summary>Fails on the first key not in <paramref name="allowed"/>, naming where it is and what is allowed.</summary>
    public void RejectUnknownKeys(string what, params string[] allowed)
    {
        foreach (var entry in Entries)
        {
            if (!allowed.Contains(entry.Name, StringComparer.Ordinal))
            {
                var suggestion = KeySuggestions.For(entry.Name, allowed) is { } hint ? $"; {hint}" : string.Empty;
                throw entry.Key.Error($"unknown key '{entry.Name}' in {what}{suggestion}; expected one of: {string.Join(", ", allowed)}");
            }
        }
    }

    /// <inheritdoc />
    public override PythonValue ToPython() => (Tag is null or "!" ? null : PyYamlScalars.Expand(Tag)) switch
    {
        null or PyYamlScalars.TagPrefix + "map" => new PythonDict([.. Entries.Select(entry => new KeyValuePair<PythonValue, PythonValue>(entry.DictKey.ToPython(), entry.Value.ToPython()))]),
        PyYamlScalars.TagPrefix + "set" => throw Error("a !!set default cannot be rendered the way MLflow renders it: Python orders a set by hash, which changes from one process to the next"),
        var other => throw Error($"a mapping tagged {PyYamlScalars.Short(other)} cannot be read; MLflow's YAML reader (PyYAML) fails on it"),
    };
}

/// <summary>One key and its value in a mapping.</summary>
internal sealed record YamlTreeEntry(YamlTreeScalar Key, YamlTreeNode Value)
{
    /// <summary>
    /// For a key written again, the first spelling: a Python dict keeps its first key object and takes the last value,
    /// so <c>{1: x, 1.0: y}</c> is <c>{1: 'y'}</c>. <see cref="Key"/> is the last spelling, where the value was written.
    /// </summary>
    public YamlTreeScalar DictKey { get; init; } = Key;

    /// <summary>The key's text.</summary>
    public string Name => Key.Text;
}
