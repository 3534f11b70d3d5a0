using Repro.Core.Errors;
using Repro.Core.Projects;

namespace Repro.Core.Pipelines;

/// <summary>Why one entry point comes after another in a pipeline.</summary>
/// <param name="Upstream">The entry point that runs first.</param>
/// <param name="Downstream">The entry point that depends on it.</param>
/// <param name="Reason">One line: <c>needs: prepare</c>, or <c>input 'data/clean' is written by output 'data'</c>.</param>
public sealed record PipelineEdge(string Upstream, string Downstream, string Reason);

/// <summary>
/// The entry points of an MLproject as a dependency graph. B depends on A when one of B's <c>inputs</c> is, lies
/// inside, is matched by, or holds one of A's <c>outputs</c> (<see cref="PathOverlap"/>), or when B says
/// <c>needs: [A]</c>. Broken entry points take no part.
/// </summary>
public sealed class PipelineGraph
{
    private readonly MLProject _project;
    private readonly Dictionary<string, List<PipelineEdge>> _upstream;

    private PipelineGraph(MLProject project, Dictionary<string, List<PipelineEdge>> upstream)
    {
        _project = project;
        _upstream = upstream;
    }

    /// <summary>Every valid entry point, in declaration order.</summary>
    public IReadOnlyList<string> Steps => [.. _project.EntryPoints.Keys];

    /// <summary>
    /// What <c>repro pipeline</c> runs without <c>-e</c>: every entry point that declares inputs, outputs or needs and
    /// that no other entry point depends on.
    /// </summary>
    public IReadOnlyList<string> DefaultTargets
    {
        get
        {
            var depended = _upstream.Values.SelectMany(edges => edges).Select(edge => edge.Upstream).ToHashSet(StringComparer.Ordinal);
            return [.. _project.EntryPoints.Values
                .Where(entry => entry.Inputs.Count > 0 || entry.Outputs.Count > 0 || entry.Needs.Count > 0)
                .Where(entry => !depended.Contains(entry.Name))
                .Select(entry => entry.Name)];
        }
    }

    /// <summary>Builds the graph of <paramref name="project"/>.</summary>
    /// <exception cref="InputException">
    /// Located at the offending place in the MLproject file: <c>needs</c> naming an entry point that does not exist (or
    /// cannot be run), two entry points declaring the same output, or a cycle.
    /// </exception>
    public static PipelineGraph Build(MLProject project)
    {
        ArgumentNullException.ThrowIfNull(project);
        var entries = project.EntryPoints.Values.ToList();
        CheckDuplicateOutputs(entries);

        var upstream = entries.ToDictionary(entry => entry.Name, _ => new List<PipelineEdge>(), StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            foreach (var need in entry.Needs)
            {
                if (!project.EntryPoints.ContainsKey(need.Name))
                {
                    var why = project.BrokenEntryPoints.ContainsKey(need.Name) ? "an entry point that cannot be run (see repro check)" : "not an entry point of this project";
                    throw new InputException(need.Location, $"entry point '{entry.Name}' needs '{need.Name}', which is {why}");
                }

                AddEdge(upstream[entry.Name], new PipelineEdge(need.Name, entry.Name, $"needs: {need.Name}"));
            }

            foreach (var other in entries.Where(other => !ReferenceEquals(other, entry)))
            {
                if (FirstOverlap(entry, other) is { } reason)
                {
                    AddEdge(upstream[entry.Name], new PipelineEdge(other.Name, entry.Name, reason));
                }
            }
        }

        var graph = new PipelineGraph(project, upstream);
        graph.CheckAcyclic();
        return graph;
    }

    /// <summary>The edges into <paramref name="step"/>: what it depends on directly, and why.</summary>
    public IReadOnlyList<PipelineEdge> UpstreamOf(string step) => _upstream.TryGetValue(step, out var edges) ? edges : [];

    /// <summary>
    /// The targets and everything upstream of them, in an order where every step comes after what it depends on; among
    /// steps free to go, declaration order.
    /// </summary>
    /// <exception cref="InputException">A target is not a valid entry point.</exception>
    public IReadOnlyList<string> Plan(IReadOnlyList<string> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        foreach (var target in targets)
        {
            if (!_upstream.ContainsKey(target))
            {
                var why = _project.BrokenEntryPoints.TryGetValue(target, out var error) ? $"cannot be run: {error}" : "is not an entry point of this project";
                throw new InputException($"-e {target}: '{target}' {why}");
            }

            pending.Push(target);
        }

        while (pending.TryPop(out var step))
        {
            if (wanted.Add(step))
            {
                foreach (var edge in _upstream[step])
                {
                    pending.Push(edge.Upstream);
                }
            }
        }

        var order = new List<string>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        while (order.Count < wanted.Count)
        {
            var next = Steps.First(step => wanted.Contains(step) && !done.Contains(step) && _upstream[step].All(edge => done.Contains(edge.Upstream)));
            order.Add(next);
            done.Add(next);
        }

        return order;
    }

    private static void AddEdge(List<PipelineEdge> edges, PipelineEdge edge)
    {
        if (!edges.Any(existing => existing.Upstream == edge.Upstream))
        {
            edges.Add(edge);
        }
    }

    private static string? FirstOverlap(EntryPoint reader, EntryPoint writer)
    {
        foreach (var input in reader.Inputs)
        {
            foreach (var output in writer.Outputs)
            {
                if (PathOverlap.Overlaps(input, output))
                {
                    return $"input '{input}' is written by output '{output}' of {writer.Name}";
                }
            }
        }

        return null;
    }

    private static void CheckDuplicateOutputs(IReadOnlyList<EntryPoint> entries)
    {
        var declared = new Dictionary<string, EntryPoint>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            for (var index = 0; index < entry.Outputs.Count; index++)
            {
                var normalized = PathOverlap.Normalize(entry.Outputs[index]);
                if (declared.TryGetValue(normalized, out var first) && first.Name != entry.Name)
                {
                    var message = $"output '{entry.Outputs[index]}' of entry point '{entry.Name}' is also an output of entry point '{first.Name}': one file must have one writer";
                    throw index < entry.OutputLocations.Count ? new InputException(entry.OutputLocations[index], message) : new InputException(message);
                }

                declared.TryAdd(normalized, entry);
            }
        }
    }

    private void CheckAcyclic()
    {
        // Depth-first search over upstream edges; a step met again while still on the path closes a cycle.
        var state = new Dictionary<string, bool>(StringComparer.Ordinal);
        var path = new List<string>();
        foreach (var step in Steps)
        {
            Visit(step);
        }

        void Visit(string step)
        {
            if (state.TryGetValue(step, out var finished))
            {
                if (!finished)
                {
                    var cycle = path.Skip(path.IndexOf(step)).Append(step).Reverse().ToList();
                    var reasons = cycle.Zip(cycle.Skip(1)).Select(pair => _upstream[pair.Second].First(edge => edge.Upstream == pair.First).Reason);
                    var message = $"entry points depend on each other in a cycle: {string.Join(" -> ", cycle)} ({string.Join("; ", reasons)})";
                    var entry = _project.EntryPoints[cycle[0]];
                    throw entry.Location is { } location ? new InputException(location, message) : new InputException(message);
                }

                return;
            }

            state[step] = false;
            path.Add(step);
            foreach (var edge in _upstream[step])
            {
                Visit(edge.Upstream);
            }

            path.RemoveAt(path.Count - 1);
            state[step] = true;
        }
    }
}
