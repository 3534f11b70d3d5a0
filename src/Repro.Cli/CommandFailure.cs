using Repro.Core.Errors;

namespace Repro.Cli;

/// <summary>Maps failures to one line on stderr and an exit code; never a stack trace.</summary>
internal static class CommandFailure
{
    /// <summary>Runs a command body, turning repro's typed errors into their exit codes.</summary>
    public static async Task<int> GuardAsync(Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (InputException exception)
        {
            return Report(exception.Message, ExitCodes.BadInput);
        }
        catch (InterruptedException exception)
        {
            return Report(exception.Message, ExitCodes.Interrupted);
        }
        catch (Exception exception) when (exception is StoreException or GitException)
        {
            return Report(exception.Message, ExitCodes.InternalError);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return Report(exception.Message, ExitCodes.InternalError);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // An unexpected failure is still one line; REPRO_DEBUG=1 shows where it came from, for bug reports.
            var detail = Environment.GetEnvironmentVariable("REPRO_DEBUG") == "1" ? exception.ToString() : $"{exception.GetType().Name}: {exception.Message}";
            return Report($"internal error: {detail}", ExitCodes.InternalError);
        }
    }

    private static int Report(string message, int exitCode)
    {
        Console.Error.WriteLine($"repro: {message}");
        return exitCode;
    }
}
