using System.Text;
using Repro.Core.Processes;

namespace Repro.Core.Capture.Git;

/// <summary>
/// One <c>git check-ignore --stdin -z --verbose --non-matching</c> kept running in a repository and asked path by path
/// whether git's status could ever show a file there: the same ignore rules and index git applied when it listed the
/// tree, without loading libgit2 (which cost a pipeline tens of milliseconds of CPU for this one question). git answers
/// each path as soon as it reads it, tracked paths as not matching (ignore rules do not apply to them), and a path whose
/// last matching pattern is negated (<c>!keep.log</c>) as not ignored.
/// </summary>
/// <remarks>
/// git ends with an error on some paths (one beyond a symbolic link, one inside a submodule); the query then answers
/// null for that path and every later one, and the caller takes the cautious view. Safe to use from several threads.
/// </remarks>
internal sealed class GitIgnoreQuery : IDisposable
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(10);

    private readonly LaunchedProcess _process;
    private readonly Task<string> _stderr;
    private readonly byte[] _buffer = new byte[4096];
    private int _buffered;
    private int _consumed;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, bool?> _answers = new(StringComparer.Ordinal);
    private volatile bool _broken;
    private bool _disposed;

    private GitIgnoreQuery(LaunchedProcess process)
    {
        _process = process;
        // Drained so that git never blocks on a full error pipe; its message is not needed.
        _stderr = ProcessOutput.ReadBoundedAsync(process.StandardError, 4096);
    }

    /// <summary>Starts the query in the repository at <paramref name="root"/>; null when git cannot be started.</summary>
    public static GitIgnoreQuery? TryStart(GitExecutable git, string root)
    {
        ArgumentNullException.ThrowIfNull(git);
        ArgumentException.ThrowIfNullOrEmpty(root);
        return git.TryStartWithInput(root, ["check-ignore", "--stdin", "-z", "--verbose", "--non-matching"]) is { } process
            ? new GitIgnoreQuery(process)
            : null;
    }

    /// <summary>
    /// Whether <paramref name="relativePath"/> (forward slashes, relative to the root) is ignored and untracked, so that
    /// git's status cannot show a file there: true, false, or null when git could not say (the cautious answer is
    /// "it could show it"). A path asked ahead (<see cref="AskAhead"/>) is answered from there.
    /// </summary>
    public bool? IsIgnored(string relativePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(relativePath);
        lock (_lock)
        {
            if (!_answers.TryGetValue(relativePath, out var answer))
            {
                Ask([relativePath]);
                answer = _answers.GetValueOrDefault(relativePath);
            }

            return answer;
        }
    }

    /// <summary>
    /// Asks about <paramref name="relativePaths"/> now, all in one exchange, so that <see cref="IsIgnored"/> answers
    /// them later without a round trip to git (a pipeline's read-ahead thread asks about the outputs its steps will
    /// restore, off the steps' path). Paths asked before are not asked again.
    /// </summary>
    public void AskAhead(IReadOnlyCollection<string> relativePaths)
    {
        ArgumentNullException.ThrowIfNull(relativePaths);
        lock (_lock)
        {
            var unanswered = new List<string>(relativePaths.Count);
            foreach (var path in relativePaths)
            {
                if (!string.IsNullOrEmpty(path) && !_answers.ContainsKey(path) && !unanswered.Contains(path))
                {
                    unanswered.Add(path);
                }
            }

            if (unanswered.Count > 0)
            {
                Ask(unanswered);
            }
        }
    }

    // Every path written at once, then each answer read in turn. Called under the lock.
    private void Ask(List<string> paths)
    {
        if (_broken)
        {
            return;
        }

        try
        {
            // A NUL cannot be sent (it ends a path): no answer for such a path.
            var asked = new List<string>(paths.Count);
            var request = new List<byte>();
            foreach (var path in paths)
            {
                if (path.Contains('\0', StringComparison.Ordinal))
                {
                    _answers[path] = null;
                    continue;
                }

                asked.Add(path);
                request.AddRange(Encoding.UTF8.GetBytes(path));
                request.Add(0);
            }

            _process.StandardInput.Write([.. request]);
            _process.StandardInput.Flush();

            // Four fields per path, each ending in NUL: the source of the pattern, its line, the pattern, and the path. A
            // path no pattern matches (or a tracked one) has the first three empty.
            using var timeout = new CancellationTokenSource(AnswerTimeout);
            using var kill = timeout.Token.Register(() => _process.KillTree());
            foreach (var path in asked)
            {
                var source = ReadField();
                _ = ReadField();
                var pattern = ReadField();
                var answered = ReadField();
                if (source is null || pattern is null || answered != path)
                {
                    _broken = true;
                    return;
                }

                _answers[path] = source.Length > 0 && !pattern.StartsWith('!');
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or InvalidOperationException)
        {
            _broken = true;
        }
    }

    /// <summary>Ends git; the query answers null from then on.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _broken = true;
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // git is gone already.
        }

        if (!_process.WaitForExitAsync().Wait(TimeSpan.FromSeconds(2)))
        {
            _process.KillTree();
        }

        _ = _stderr.ContinueWith(static _ => { }, TaskScheduler.Default);
        _process.Dispose();
    }

    // The next NUL-terminated field, or null when git's output ended first.
    private string? ReadField()
    {
        var text = new List<byte>();
        while (true)
        {
            if (_consumed == _buffered)
            {
                _buffered = _process.StandardOutput.Read(_buffer, 0, _buffer.Length);
                _consumed = 0;
                if (_buffered == 0)
                {
                    return null;
                }
            }

            var end = Array.IndexOf(_buffer, (byte)0, _consumed, _buffered - _consumed);
            if (end < 0)
            {
                text.AddRange(_buffer.AsSpan(_consumed, _buffered - _consumed));
                _consumed = _buffered;
                continue;
            }

            text.AddRange(_buffer.AsSpan(_consumed, end - _consumed));
            _consumed = end + 1;
            return Encoding.UTF8.GetString([.. text]);
        }
    }
}
