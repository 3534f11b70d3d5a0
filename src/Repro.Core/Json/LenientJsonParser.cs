using System.Globalization;
using System.Text;

namespace Repro.Core.Json;

/// <summary>A JSON syntax error with its 1-based position.</summary>
/// <param name="line">1-based line of the error.</param>
/// <param name="column">1-based column of the error.</param>
/// <param name="message">What is wrong there.</param>
internal sealed class JsonSyntaxException(long line, long column, string message) : Exception(message)
{
    /// <summary>1-based line of the error.</summary>
    public long Line { get; } = line;

    /// <summary>1-based column of the error.</summary>
    public long Column { get; } = column;

    /// <summary>"line L, column C: message".</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"line {Line}, column {Column}: {Message}");
}

/// <summary>
/// The one way repro reads JSON that programs write (metrics files, reports, JSON outputs compared by verify): strict
/// JSON (RFC 8259) plus the bare NaN, Infinity and -Infinity that Python's json module writes by default, read as the
/// numbers they stand for, so that one NaN never costs the other values of a file. System.Text.Json rejects those bare
/// literals, and rewriting them beforehand would need a tokenizer anyway. repro's own files (manifests, the index) are
/// read with System.Text.Json, since repro writes them itself.
/// </summary>
internal sealed class LenientJsonParser
{
    private const int MaxDepth = 512;

    private readonly string _text;
    private readonly int _lineOffset;
    private int _position;
    private int _depth;

    private LenientJsonParser(string text, int lineOffset)
    {
        _text = text;
        _lineOffset = lineOffset;
    }

    /// <summary>Parses one JSON value surrounded only by whitespace.</summary>
    public static JsonTree Parse(string text) => ParseDocument(text, lineOffset: 0);

    /// <summary>Parses JSON Lines: one value per non-blank line, in order.</summary>
    public static IReadOnlyList<JsonTree> ParseLines(string text)
    {
        var values = new List<JsonTree>();
        var lineNumber = 0;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            lineNumber++;
            if (!line.IsWhiteSpace())
            {
                values.Add(ParseDocument(line.ToString(), lineNumber - 1));
            }
        }

        return values;
    }

    private static JsonTree ParseDocument(string text, int lineOffset)
    {
        var parser = new LenientJsonParser(text, lineOffset);
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            parser._position = 1;
        }

        parser.SkipWhitespace();
        var value = parser.ParseValue();
        parser.SkipWhitespace();
        if (parser._position < text.Length)
        {
            throw parser.Error("unexpected text after the JSON value");
        }

        return value;
    }

    private JsonTree ParseValue()
    {
        if (_position >= _text.Length)
        {
            throw Error("unexpected end of input, expected a value");
        }

        var c = _text[_position];
        switch (c)
        {
            case '{':
                return ParseObject();
            case '[':
                return ParseArray();
            case '"':
                return JsonTree.String(ParseString());
            case 't':
                return ParseKeyword("true", JsonKind.Boolean);
            case 'f':
                return ParseKeyword("false", JsonKind.Boolean);
            case 'n':
                return ParseKeyword("null", JsonKind.Null);
            case 'N':
                ExpectKeyword("NaN");
                return JsonTree.NumberValue("NaN", double.NaN);
            case 'I':
                ExpectKeyword("Infinity");
                return JsonTree.NumberValue("Infinity", double.PositiveInfinity);
            default:
                if (c == '-' || char.IsAsciiDigit(c))
                {
                    return ParseNumber();
                }

                throw Error($"unexpected character '{c}', expected a value");
        }
    }

    private JsonTree ParseObject()
    {
        Enter();
        _position++;
        var keys = new List<string>();
        var members = new Dictionary<string, JsonTree>(StringComparer.Ordinal);
        SkipWhitespace();
        if (TryConsume('}'))
        {
            _depth--;
            return JsonTree.Object(keys, members);
        }

        while (true)
        {
            SkipWhitespace();
            if (_position >= _text.Length || _text[_position] != '"')
            {
                throw Error("expected a quoted key");
            }

            var key = ParseString();
            SkipWhitespace();
            if (!TryConsume(':'))
            {
                throw Error("expected ':' after the key");
            }

            SkipWhitespace();
            var value = ParseValue();
            if (!members.ContainsKey(key))
            {
                keys.Add(key);
            }

            members[key] = value;
            SkipWhitespace();
            if (TryConsume('}'))
            {
                _depth--;
                return JsonTree.Object(keys, members);
            }

            if (!TryConsume(','))
            {
                throw Error("expected ',' or '}'");
            }
        }
    }

    private JsonTree ParseArray()
    {
        Enter();
        _position++;
        var items = new List<JsonTree>();
        SkipWhitespace();
        if (TryConsume(']'))
        {
            _depth--;
            return JsonTree.Array(items);
        }

        while (true)
        {
            SkipWhitespace();
            items.Add(ParseValue());
            SkipWhitespace();
            if (TryConsume(']'))
            {
                _depth--;
                return JsonTree.Array(items);
            }

            if (!TryConsume(','))
            {
                throw Error("expected ',' or ']'");
            }
        }
    }

    private string ParseString()
    {
        _position++;
        var builder = new StringBuilder();
        while (true)
        {
            if (_position >= _text.Length)
            {
                throw Error("unterminated string");
            }

            var c = _text[_position++];
            if (c == '"')
            {
                return builder.ToString();
            }

            if (c < ' ')
            {
                _position--;
                throw Error("control character in a string");
            }

            if (c != '\\')
            {
                builder.Append(c);
                continue;
            }

            if (_position >= _text.Length)
            {
                throw Error("unterminated string");
            }

            var escape = _text[_position++];
            switch (escape)
            {
                case '"':
                case '\\':
                case '/':
                    builder.Append(escape);
                    break;
                case 'b':
                    builder.Append('\b');
                    break;
                case 'f':
                    builder.Append('\f');
                    break;
                case 'n':
                    builder.Append('\n');
                    break;
                case 'r':
                    builder.Append('\r');
                    break;
                case 't':
                    builder.Append('\t');
                    break;
                case 'u':
                    if (_position + 4 > _text.Length
                        || !int.TryParse(_text.AsSpan(_position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        throw Error("invalid \\u escape");
                    }

                    builder.Append((char)code);
                    _position += 4;
                    break;
                default:
                    _position--;
                    throw Error($"invalid escape '\\{escape}'");
            }
        }
    }

    private JsonTree ParseNumber()
    {
        var start = _position;
        if (TryConsume('-') && _position < _text.Length && _text[_position] == 'I')
        {
            ExpectKeyword("Infinity");
            return JsonTree.NumberValue("-Infinity", double.NegativeInfinity);
        }

        if (!TryConsume('0'))
        {
            RequireDigits("expected a digit");
        }

        if (TryConsume('.'))
        {
            RequireDigits("expected a digit after '.'");
        }

        if (TryConsume('e') || TryConsume('E'))
        {
            _ = TryConsume('+') || TryConsume('-');
            RequireDigits("expected a digit in the exponent");
        }

        var text = _text[start.._position];
        return JsonTree.NumberValue(text, double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    private void RequireDigits(string message)
    {
        var start = _position;
        while (_position < _text.Length && char.IsAsciiDigit(_text[_position]))
        {
            _position++;
        }

        if (_position == start)
        {
            throw Error(message);
        }
    }

    private JsonTree ParseKeyword(string keyword, JsonKind kind)
    {
        ExpectKeyword(keyword);
        return JsonTree.Literal(kind, keyword);
    }

    private void ExpectKeyword(string keyword)
    {
        if (string.CompareOrdinal(_text, _position, keyword, 0, keyword.Length) != 0)
        {
            throw Error($"unexpected character '{_text[_position]}', expected a value");
        }

        _position += keyword.Length;
    }

    private bool TryConsume(char c)
    {
        if (_position < _text.Length && _text[_position] == c)
        {
            _position++;
            return true;
        }

        return false;
    }

    private void SkipWhitespace()
    {
        while (_position < _text.Length && _text[_position] is ' ' or '\t' or '\n' or '\r')
        {
            _position++;
        }
    }

    private void Enter()
    {
        if (++_depth > MaxDepth)
        {
            throw Error($"nested deeper than {MaxDepth} levels");
        }
    }

    private JsonSyntaxException Error(string message)
    {
        long line = 1;
        var lineStart = 0;
        var end = Math.Min(_position, _text.Length);
        for (var i = 0; i < end; i++)
        {
            if (_text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return new JsonSyntaxException(line + _lineOffset, end - lineStart + 1, message);
    }
}
