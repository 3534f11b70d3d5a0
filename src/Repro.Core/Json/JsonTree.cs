namespace Repro.Core.Json;

/// <summary>The kinds of JSON value.</summary>
internal enum JsonKind
{
    /// <summary>An object: <see cref="JsonTree.Keys"/> and <see cref="JsonTree.Members"/>.</summary>
    Object,

    /// <summary>An array: <see cref="JsonTree.Items"/>.</summary>
    Array,

    /// <summary>A string: <see cref="JsonTree.Text"/>.</summary>
    String,

    /// <summary>A number, NaN or an infinity: <see cref="JsonTree.Number"/>, spelled as <see cref="JsonTree.Text"/>.</summary>
    Number,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary><c>null</c>.</summary>
    Null,
}

/// <summary>
/// A JSON value as <see cref="LenientJsonParser"/> read it. Numbers keep their source text next to their value so that
/// "1" against "1.0" is seen as equal in value and different in spelling, integers too long for a double still compare
/// exactly, and Python's NaN and infinities are recorded as written.
/// </summary>
internal sealed class JsonTree
{
    /// <summary>Shared by every scalar and array, so a million numbers do not cost a million empty dictionaries.</summary>
    private static readonly IReadOnlyDictionary<string, JsonTree> NoMembers = new Dictionary<string, JsonTree>(StringComparer.Ordinal);

    private JsonTree(JsonKind kind, string text)
    {
        Kind = kind;
        Text = text;
    }

    /// <summary>What kind of value this is.</summary>
    public JsonKind Kind { get; }

    /// <summary>A string's value, a number's source text, or "true", "false", "null".</summary>
    public string Text { get; }

    /// <summary>A number's value (NaN and the infinities included); 0 for other kinds.</summary>
    public double Number { get; private init; }

    /// <summary>An object's keys in source order (a repeated key keeps its first position and its last value, as Python does).</summary>
    public IReadOnlyList<string> Keys { get; private init; } = [];

    /// <summary>An object's members by key.</summary>
    public IReadOnlyDictionary<string, JsonTree> Members { get; private init; } = NoMembers;

    /// <summary>An array's items in order.</summary>
    public IReadOnlyList<JsonTree> Items { get; private init; } = [];

    /// <summary>The name of <see cref="Kind"/> in messages: object, array, string, number, boolean, null.</summary>
    public string KindName => Kind switch
    {
        JsonKind.Object => "object",
        JsonKind.Array => "array",
        JsonKind.String => "string",
        JsonKind.Number => "number",
        JsonKind.Boolean => "boolean",
        _ => "null",
    };

    internal static JsonTree Object(IReadOnlyList<string> keys, IReadOnlyDictionary<string, JsonTree> members) =>
        new(JsonKind.Object, "{}") { Keys = keys, Members = members };

    internal static JsonTree Array(IReadOnlyList<JsonTree> items) => new(JsonKind.Array, "[]") { Items = items };

    internal static JsonTree String(string value) => new(JsonKind.String, value);

    internal static JsonTree NumberValue(string text, double value) => new(JsonKind.Number, text) { Number = value };

    internal static JsonTree Literal(JsonKind kind, string text) => new(kind, text);

}
