namespace Repro.Core.Pipelines;

/// <summary>
/// A write-only stream that puts a prefix before every line it passes on, writing whole lines only (so steps running
/// at once do not interleave inside a line); the last, unfinished line goes out on <see cref="Flush"/>. The inner
/// stream is shared, so writes to it are serialised on it.
/// </summary>
internal sealed class LinePrefixStream(Stream inner, string prefix) : Stream
{
    private readonly byte[] _prefix = System.Text.Encoding.UTF8.GetBytes(prefix);
    private readonly MemoryStream _line = new();

    /// <inheritdoc />
    public override bool CanRead => false;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => true;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            var newline = buffer.IndexOf((byte)'\n');
            if (newline < 0)
            {
                _line.Write(buffer);
                return;
            }

            _line.Write(buffer[..(newline + 1)]);
            EmitLine();
            buffer = buffer[(newline + 1)..];
        }
    }

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override void Flush()
    {
        if (_line.Length > 0)
        {
            _line.WriteByte((byte)'\n');
            EmitLine();
        }
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _line.Dispose();
        }

        base.Dispose(disposing);
    }

    private void EmitLine()
    {
        lock (inner)
        {
            inner.Write(_prefix);
            inner.Write(_line.GetBuffer(), 0, (int)_line.Length);
            inner.Flush();
        }

        _line.SetLength(0);
    }
}
