using System.CommandLine;
using Repro.Core.Errors;
using Repro.Core.Projects;

namespace Repro.Cli.Options;

/// <summary><c>-P/--param KEY=VALUE</c>, repeatable; malformed tokens and repeated keys are parse errors.</summary>
internal static class ParameterOption
{
    public static Option<GivenParameters> Create() => new("--param", "-P")
    {
        Description = "A parameter KEY=VALUE (split at the first '='); repeat for several. Undeclared ones are appended as --KEY VALUE.",
        HelpName = "KEY=VALUE",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
        DefaultValueFactory = _ => GivenParameters.None,
        CustomParser = result =>
        {
            try
            {
                return ParameterArguments.Parse(result.Tokens.Select(token => token.Value));
            }
            catch (InputException exception)
            {
                result.AddError(exception.Message);
                return GivenParameters.None;
            }
        },
    };
}
