using System.CommandLine;
using Repro.Cli.Options;
using Repro.Cli.Output;
using Repro.Core.Projects;

namespace Repro.Cli.Commands;

/// <summary><c>repro check [DIR] [--strict] [--json]</c>: lint an MLproject file by rendering every entry point with its defaults.</summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var directory = new Argument<string>("DIR")
        {
            Description = "The project directory (holding MLproject, MLproject.yaml or MLproject.yml).",
            DefaultValueFactory = _ => ".",
        };
        var strict = StrictOption.Create();
        var json = CommonOptions.Json();
        var command = new Command("check", "Load an MLproject file, render every entry point with its defaults, and list every error and warning with its location (exit 0 or 2).")
        {
            directory, strict, json,
        };

        command.SetAction((parseResult, _) => CommandFailure.GuardAsync(() =>
        {
            var result = ProjectChecker.Check(parseResult.GetValue(directory)!, parseResult.GetValue(strict));
            CheckReport.Write(result, parseResult.GetValue(json));
            return Task.FromResult(result.Passed ? ExitCodes.Success : ExitCodes.BadInput);
        }));
        return command;
    }
}
