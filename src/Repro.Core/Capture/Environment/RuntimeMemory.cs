namespace Repro.Core.Capture.Environment;

/// <summary>Physical memory as the .NET runtime sees it, for systems where no cheaper exact source is read.</summary>
internal static class RuntimeMemory
{
    /// <summary>The memory the garbage collector may use, which is physical memory unless a job object or container limit lowers it.</summary>
    /// <returns>Bytes, or null when the runtime does not know.</returns>
    public static long? TotalBytes() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes is > 0 and var bytes ? bytes : null;
}
