using Repro.Core.Runs;

namespace Repro.Core.Capture.Environment;

/// <summary>What environment capture found.</summary>
/// <param name="Record">The facts, with null wherever a fact is unknown.</param>
/// <param name="Warnings">One line per probe that exists but failed (a hung nvidia-smi, a global.json naming a missing SDK), in a fixed order.</param>
public sealed record EnvironmentCaptureResult(EnvironmentRecord Record, IReadOnlyList<string> Warnings);
