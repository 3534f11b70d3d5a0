namespace Repro.Sdk;

/// <summary>
/// The run context cannot be read or written: a <c>REPRO_*</c> variable is missing or malformed, a parameter is
/// missing or not of the requested type, or the run folder cannot be written. The message is one line naming
/// the variable, parameter or file.
/// </summary>
public sealed class ReproSdkException : Exception
{
    /// <summary>Creates the error with a one-line message.</summary>
    public ReproSdkException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with a one-line message and the failure that caused it.</summary>
    public ReproSdkException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
