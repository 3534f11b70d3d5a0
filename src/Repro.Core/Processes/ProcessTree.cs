namespace Repro.Core.Processes;

/// <summary>
/// Every process one started program (the root) brought into being, found by walking Linux's /proc: the processes
/// below it by parent id, those in the session it leads, and those that left both (a daemon that called
/// <c>setsid</c> and whose parent exited) but were re-parented to repro because repro is a child subreaper
/// (<see cref="NativeProcess.BecomeSubreaper"/>). A process, once seen as a member, stays one by its id and start time
/// until it has exited, wherever it moves.
/// </summary>
/// <remarks>
/// An orphan re-parented to repro is a member when repro did not start it itself (<see cref="ProcessLauncher"/>), it is
/// not in repro's own session (no process of the root's tree can ever join it: the root leads a session of its own), and
/// its environment does not name another tree (<see cref="Marker"/>). That keeps processes that the host of an
/// in-process run starts by other means (a test host's own tools) out of the tree.
/// </remarks>
internal sealed class ProcessTree
{
    private readonly Lock _gate = new();
    private readonly int _self = Environment.ProcessId;
    private readonly int _selfSession;
    private readonly bool _rootLeadsSession;
    private readonly string? _markerName;

    // Every process ever seen as a member: id to start time.
    private readonly Dictionary<int, long> _members = [];

    /// <summary>Starts watching the tree of <paramref name="rootId"/>.</summary>
    /// <param name="rootId">The program repro started.</param>
    /// <param name="rootLeadsSession">Whether the root leads a session (and process group) of its own.</param>
    /// <param name="marker">A <c>NAME=VALUE</c> environment entry every process of the tree inherits, or null.</param>
    public ProcessTree(int rootId, bool rootLeadsSession, string? marker)
    {
        RootId = rootId;
        _rootLeadsSession = rootLeadsSession;
        Marker = marker;
        _markerName = marker is null ? null : marker[..Math.Max(0, marker.IndexOf('=', StringComparison.Ordinal))];
        _selfSession = ProcessTable.Stat(_self)?.Session ?? -1;
        if (ProcessTable.Stat(rootId) is { } root)
        {
            RootStartTime = root.StartTime;
            _members[rootId] = root.StartTime;
        }
    }

    /// <summary>The program repro started.</summary>
    public int RootId { get; }

    /// <summary>The root's start time (clock ticks after boot); 0 when it had already gone.</summary>
    public long RootStartTime { get; }

    /// <summary>The environment entry that marks the tree's processes, or null.</summary>
    public string? Marker { get; }

    /// <summary>Whether /proc was read for the tree at least once.</summary>
    public bool Scanned { get; private set; }

    /// <summary>
    /// Reads /proc once and adds every new member. Returns the members alive now and those first seen in this scan.
    /// Members that ended as orphans of repro are reaped, so they do not stay zombies.
    /// </summary>
    public TreeScan Refresh() => Refresh(ProcessLauncher.WhileNoStartInFlight(ProcessTable.Snapshot));

    /// <summary>As <see cref="Refresh()"/>, over a given reading of /proc (tests feed made-up ones).</summary>
    internal TreeScan Refresh(Dictionary<int, ProcessTable.StatFields> snapshot)
    {
        lock (_gate)
        {
            Scanned = true;
            var found = new List<TreeMember>();
            bool grew;
            do
            {
                grew = false;
                foreach (var (pid, fields) in snapshot)
                {
                    if (fields.IsGone || IsKnown(pid, fields) || !Belongs(pid, fields, snapshot))
                    {
                        continue;
                    }

                    _members[pid] = fields.StartTime;
                    found.Add(new TreeMember(pid, fields.StartTime, fields.GroupId));
                    grew = true;
                }
            }
            while (grew);

            var alive = new List<TreeMember>();
            foreach (var (pid, start) in _members)
            {
                if (!snapshot.TryGetValue(pid, out var fields) || fields.StartTime != start)
                {
                    continue;
                }

                if (!fields.IsGone)
                {
                    alive.Add(new TreeMember(pid, start, fields.GroupId));
                }
                else if (fields.ParentId == _self && !ProcessLauncher.StartedHere(pid))
                {
                    NativeProcess.ReapIfEnded(pid);
                }
            }

            return new TreeScan(alive, found);
        }
    }

    /// <summary>Sends <paramref name="signal"/> to each member alive now, except those in process group <paramref name="exceptGroup"/> (already signalled as a group).</summary>
    /// <returns>How many were signalled.</returns>
    public int Signal(int signal, int? exceptGroup = null)
    {
        var count = 0;
        foreach (var member in Refresh().Alive)
        {
            if (member.GroupId != exceptGroup && IsStill(member))
            {
                NativeProcess.Signal(member.Id, signal);
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// Kills every member, again and again until a scan finds none alive: a member may start another between a scan
    /// and its kill, which the next scan finds (its parent id or session still leads to the tree, or it was re-parented
    /// to repro). Gives up after <paramref name="limit"/> (a process stuck in uninterruptible sleep cannot die at once).
    /// </summary>
    /// <returns>Whether the tree is empty.</returns>
    public async Task<bool> KillAllAsync(TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var alive = Refresh().Alive;
            if (alive.Count == 0)
            {
                return true;
            }

            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            // Stopped first, so none of them can start another while the others are being killed.
            foreach (var member in alive.Where(IsStill))
            {
                NativeProcess.Signal(member.Id, NativeProcess.SigStop);
            }

            foreach (var member in alive.Where(IsStill))
            {
                NativeProcess.Signal(member.Id, NativeProcess.SigKill);
            }

            await Task.Delay(10).ConfigureAwait(false);
        }
    }

    private bool IsKnown(int pid, ProcessTable.StatFields fields) =>
        _members.TryGetValue(pid, out var start) && start == fields.StartTime;

    private bool Belongs(int pid, ProcessTable.StatFields fields, Dictionary<int, ProcessTable.StatFields> snapshot)
    {
        if (fields.StartTime < RootStartTime)
        {
            // Older than the root: an earlier process whose id the tree's parent links happen to pass through.
            return false;
        }

        // Once the root has ended, its id may name a new process (ids wrap at pid_max, 32768 by default, which a busy
        // host reaches in minutes): that one is not the root, and a session it leads is not the root's. While the root's
        // session has any member, Linux keeps its id from being reused, so an absent root still vouches for it.
        var rootReplaced = snapshot.TryGetValue(RootId, out var root) && root.StartTime != RootStartTime;
        if (!rootReplaced && (pid == RootId || (_rootLeadsSession && fields.Session == RootId)))
        {
            return true;
        }

        if (_members.TryGetValue(fields.ParentId, out var parentStart)
            && snapshot.TryGetValue(fields.ParentId, out var parent) && parent.StartTime == parentStart)
        {
            return true;
        }

        return fields.ParentId == _self
            && NativeProcess.IsSubreaper
            && !ProcessLauncher.StartedHere(pid)
            && fields.Session != _selfSession
            && (Marker is null || ProcessTable.EnvironmentHolds(pid, Marker, _markerName!) != false);
    }

    // The id still names the member (not a new process that reused it).
    private static bool IsStill(TreeMember member) =>
        ProcessTable.Stat(member.Id) is { } now && now.StartTime == member.StartTime && !now.IsGone;
}

/// <summary>One process of a <see cref="ProcessTree"/>.</summary>
/// <param name="Id">Its process id.</param>
/// <param name="StartTime">Its start time (clock ticks after boot): with the id, it names this process only.</param>
/// <param name="GroupId">Its process group when seen.</param>
internal readonly record struct TreeMember(int Id, long StartTime, int GroupId);

/// <summary>One scan of a <see cref="ProcessTree"/>.</summary>
/// <param name="Alive">Members alive now.</param>
/// <param name="Found">Members first seen in this scan.</param>
internal sealed record TreeScan(IReadOnlyList<TreeMember> Alive, IReadOnlyList<TreeMember> Found);
