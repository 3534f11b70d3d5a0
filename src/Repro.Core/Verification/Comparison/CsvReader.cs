using System.Text;

namespace Repro.Core.Verification.Comparison;

/// <summary>A quoted CSV field that never closes.</summary>
internal sealed class CsvSyntaxException(long line, string message) : Exception(message)
{
    public long Line { get; } = line;
}

/// <summary>
/// Reads CSV records one at a time (RFC 4180): fields in double quotes may hold the delimiter, line breaks and
/// doubled quotes; records end with LF, CRLF or CR. Lenient where the RFC is silent: a quote inside an unquoted
/// field, or text after a closing quote, is kept as text.
/// </summary>
internal sealed class CsvReader
{
    private readonly TextReader _reader;
    private readonly char _delimiter;
    private readonly char[] _buffer = new char[65536];
    private readonly StringBuilder _field = new();
    private int _length;
    private int _index;
    private long _line = 1;

    public CsvReader(TextReader reader, char delimiter)
    {
        _reader = reader;
        _delimiter = delimiter;
    }

    /// <summary>The next record's cells, or null at the end.</summary>
    public List<string>? ReadRecord()
    {
        if (Peek() < 0)
        {
            return null;
        }

        var cells = new List<string>();
        _field.Clear();
        var fieldStarted = false;
        while (true)
        {
            var c = Next();
            if (c < 0)
            {
                cells.Add(_field.ToString());
                return cells;
            }

            if (c == '"' && !fieldStarted)
            {
                fieldStarted = true;
                ReadQuoted();
            }
            else if (c == _delimiter)
            {
                cells.Add(_field.ToString());
                _field.Clear();
                fieldStarted = false;
            }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && Peek() == '\n')
                {
                    Next();
                }

                _line++;
                cells.Add(_field.ToString());
                return cells;
            }
            else
            {
                fieldStarted = true;
                _field.Append((char)c);
            }
        }
    }

    private void ReadQuoted()
    {
        var start = _line;
        while (true)
        {
            var c = Next();
            if (c < 0)
            {
                throw new CsvSyntaxException(start, $"the quoted field that starts on line {start} never closes");
            }

            if (c == '"')
            {
                if (Peek() != '"')
                {
                    return;
                }

                Next();
            }
            else if (c == '\n')
            {
                _line++;
            }

            _field.Append((char)c);
        }
    }

    private int Peek()
    {
        if (_index == _length && !Fill())
        {
            return -1;
        }

        return _buffer[_index];
    }

    private int Next()
    {
        var c = Peek();
        if (c >= 0)
        {
            _index++;
        }

        return c;
    }

    private bool Fill()
    {
        _length = _reader.Read(_buffer, 0, _buffer.Length);
        _index = 0;
        return _length > 0;
    }
}
