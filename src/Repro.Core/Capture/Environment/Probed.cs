namespace Repro.Core.Capture.Environment;

/// <summary>A fact an expensive probe found, with the warning to give when it could not be found.</summary>
/// <typeparam name="T">The fact.</typeparam>
/// <param name="Value">The fact, null or empty when unknown.</param>
/// <param name="Warning">One line for the run's warnings, or null when nothing needs saying.</param>
internal sealed record Probed<T>(T Value, string? Warning);
