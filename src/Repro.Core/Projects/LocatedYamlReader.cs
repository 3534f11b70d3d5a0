using Repro.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Repro.Core.Projects;

/// <summary>
/// Reads one YAML document into a <see cref="YamlTreeNode"/> tree that remembers positions, turning every
/// syntax error, bad merge and non-scalar key into an <see cref="InputException"/> at <c>FILE:LINE:COL</c>.
/// </summary>
/// <remarks>
/// The event parser is used rather than a deserializer so that positions survive. Mappings are built the way
/// PyYAML's SafeConstructor builds dicts (yaml/constructor.py, <c>flatten_mapping</c> and <c>construct_mapping</c>),
/// which is how MLflow reads the file: merge keys are applied, and a repeated key keeps its first place and its last
/// value. Repeated keys are remembered on the mapping so the readers can warn about them where they belong.
/// </remarks>
internal sealed class LocatedYamlReader
{
    // Far deeper than any MLproject file needs; it keeps a hostile file from exhausting the stack.
    private const int MaxDepth = 64;

    private readonly string _file;
    private readonly string _text;
    private readonly Dictionary<string, YamlTreeNode> _anchors = new(StringComparer.Ordinal);
    private readonly Parser _parser;
    private int _depth;

    private LocatedYamlReader(string file, string text)
    {
        _file = file;
        _text = text;
        _parser = new Parser(new StringReader(text));
    }

    /// <summary>Parses <paramref name="text"/>; returns null when the stream holds no document at all.</summary>
    /// <param name="file">The file as the user would name it, used in every location.</param>
    /// <param name="text">The file's content.</param>
    public static YamlTreeNode? Read(string file, string text) => new LocatedYamlReader(file, text).ReadStream();

    private YamlTreeNode? ReadStream()
    {
        try
        {
            _parser.Consume<StreamStart>();
            if (_parser.TryConsume<StreamEnd>(out _))
            {
                return null;
            }

            _parser.Consume<DocumentStart>();
            var root = ReadNode();
            _parser.Consume<DocumentEnd>();
            if (_parser.Accept<DocumentStart>(out var second))
            {
                throw new InputException(At(second.Start), "the file holds more than one YAML document; an MLproject file is a single mapping");
            }

            return root;
        }
        catch (YamlException exception)
        {
            throw Translate(exception);
        }
    }

    private YamlTreeNode ReadNode()
    {
        var current = _parser.Current ?? throw new InputException(At(Mark.Empty), "unexpected end of the YAML stream");
        return current switch
        {
            AnchorAlias alias => ReadAlias(alias),
            Scalar scalar => Remember(scalar.Anchor, ReadScalar(scalar)),
            SequenceStart start => Remember(start.Anchor, ReadSequence(start)),
            MappingStart start => Remember(start.Anchor, ReadMapping(start)),
            _ => throw new InputException(At(current.Start), $"unexpected YAML element {current.GetType().Name}"),
        };
    }

    private YamlTreeNode ReadAlias(AnchorAlias alias)
    {
        _parser.MoveNext();
        return _anchors.TryGetValue(alias.Value.Value, out var node)
            ? node
            : throw new InputException(At(alias.Start), $"the alias *{alias.Value.Value} refers to no anchor defined before it");
    }

    private YamlTreeScalar ReadScalar(Scalar scalar)
    {
        _parser.MoveNext();
        return new YamlTreeScalar(scalar.Value, scalar.Style == ScalarStyle.Plain, TagOf(scalar.Tag), At(scalar.Start));
    }

    private YamlTreeSequence ReadSequence(SequenceStart start)
    {
        Descend(start);
        var items = new List<YamlTreeNode>();
        while (!_parser.TryConsume<SequenceEnd>(out _))
        {
            items.Add(ReadNode());
        }

        _depth--;
        return new YamlTreeSequence(items, TagOf(start.Tag), At(start.Start));
    }

    private YamlTreeMapping ReadMapping(MappingStart start)
    {
        Descend(start);
        var merged = new List<YamlTreeEntry>();
        var own = new List<YamlTreeEntry>();
        while (!_parser.TryConsume<MappingEnd>(out _))
        {
            var keyNode = ReadNode();
            if (keyNode is not YamlTreeScalar key)
            {
                throw keyNode.Error($"a key must be a single value, not {keyNode.ShapeName}");
            }

            var value = ReadNode();
            if (key.IsMergeKey)
            {
                merged.AddRange(MergedEntries(value));
            }
            else
            {
                own.Add(new YamlTreeEntry(key, value));
            }
        }

        _depth--;

        // PyYAML puts merged entries before the mapping's own and then lets later entries win, so a mapping's own keys
        // override merged ones and, among several merged mappings, the first listed wins.
        var entries = new List<YamlTreeEntry>();
        var places = new Dictionary<string, int>(StringComparer.Ordinal);
        var duplicates = new List<(YamlTreeScalar Key, YamlTreeScalar First)>();
        var ownFirst = new Dictionary<string, YamlTreeScalar>(StringComparer.Ordinal);
        // Two plain loops, not a Concat of (entry, isOwn) tuples: LINQ generic over a value tuple is code ReadyToRun
        // leaves to the JIT, and every command that reads an MLproject comes here.
        foreach (var entry in merged)
        {
            Place(entry);
        }

        foreach (var entry in own)
        {
            var identity = KeyIdentity(entry.Key);
            if (!ownFirst.TryAdd(identity, entry.Key))
            {
                duplicates.Add((entry.Key, ownFirst[identity]));
            }

            Place(entry, identity);
        }

        void Place(YamlTreeEntry entry, string? identity = null)
        {
            identity ??= KeyIdentity(entry.Key);
            if (places.TryGetValue(identity, out var place))
            {
                entries[place] = entry with { DictKey = entries[place].DictKey };
            }
            else
            {
                places.Add(identity, entries.Count);
                entries.Add(entry);
            }
        }

        return new YamlTreeMapping(entries, duplicates, At(start.Start), TagOf(start.Tag));
    }

    // What a merge key brings in: the entries of a mapping, or of each mapping of a list, the first listed winning.
    private static IEnumerable<YamlTreeEntry> MergedEntries(YamlTreeNode value) => value switch
    {
        YamlTreeMapping mapping => mapping.Entries,
        YamlTreeSequence sequence => sequence.Items
            .Select(item => item as YamlTreeMapping ?? throw item.Error($"a merge key (<<) takes mappings, and this list holds {item.ShapeName}"))
            .Reverse()
            .SelectMany(mapping => mapping.Entries),
        _ => throw value.Error($"a merge key (<<) takes a mapping or a list of mappings, not {value.ShapeName}"),
    };

    // Two keys are one in a Python dict when their values are equal: 1, 01, 1.0, true and yes are all the key 1.
    // A key PyYAML cannot build is compared by its text; the file-wide check reports it.
    private static string KeyIdentity(YamlTreeScalar key) =>
        key.TryResolve(out var value, out _) && value.KeyIdentity is { } identity ? identity : "text:" + key.Text;

    private void Descend(ParsingEvent start)
    {
        if (++_depth > MaxDepth)
        {
            throw new InputException(At(start.Start), $"lists and mappings are nested more than {MaxDepth} levels deep");
        }

        _parser.MoveNext();
    }

    private T Remember<T>(AnchorName anchor, T node)
        where T : YamlTreeNode
    {
        if (!anchor.IsEmpty)
        {
            _anchors[anchor.Value] = node;
        }

        return node;
    }

    private InputException Translate(YamlException exception)
    {
        var message = exception.Message.TrimEnd('.');
        var location = At(exception.Start);

        // YamlDotNet reports a tab in indentation at the start of the construct it was scanning, often lines
        // earlier; the first tab in leading whitespace from there on is what the user has to fix.
        if (message.Contains("tab", StringComparison.OrdinalIgnoreCase) && FindIndentationTab(exception.Start.Line) is { } tab)
        {
            return new InputException(tab, "a tab is used for indentation; YAML indentation must use spaces");
        }

        return message.Length == 0
            ? new InputException(location, "invalid YAML")
            : new InputException(location, $"invalid YAML: {char.ToLowerInvariant(message[0])}{message[1..]}");
    }

    private SourceLocation? FindIndentationTab(long fromLine)
    {
        var lines = _text.Split('\n');
        for (var index = (int)Math.Max(fromLine - 1, 0); index < lines.Length; index++)
        {
            var line = lines[index];
            for (var column = 0; column < line.Length && (line[column] == ' ' || line[column] == '\t'); column++)
            {
                if (line[column] == '\t')
                {
                    return new SourceLocation(_file, index + 1, column + 1);
                }
            }
        }

        return null;
    }

    private static string? TagOf(TagName tag) => tag.IsEmpty ? null : tag.Value;

    private SourceLocation At(Mark mark) => new(_file, Math.Max(mark.Line, 1), Math.Max(mark.Column, 1));
}
