using System.CommandLine;

namespace Repro.Cli.Tests.Options;

/// <summary>What every option of every command must hold, so that help reads the same everywhere.</summary>
public sealed class OptionConventionTests
{
    public static TheoryData<string, string> EveryOption()
    {
        var data = new TheoryData<string, string>();
        foreach (var (path, command) in Commands())
        {
            foreach (var option in command.Options)
            {
                data.Add(path, option.Name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryOption))]
    public void Option_Always_HasADescriptionEndingInAFullStop(string command, string name)
    {
        var option = Find(command, name);

        Assert.False(string.IsNullOrWhiteSpace(option.Description), $"{command} {name} has no description");
        Assert.EndsWith(".", option.Description!.TrimEnd(')'), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(EveryOption))]
    public void Option_Always_IsLongWithAtMostOneShortAlias(string command, string name)
    {
        var option = Find(command, name);

        Assert.Matches("^--[a-z][a-z-]*[a-z]$", option.Name);
        Assert.All(option.Aliases, alias => Assert.Matches("^-[a-zA-Z]$", alias));
        Assert.True(option.Aliases.Count <= 1, $"{command} {name} has {option.Aliases.Count} aliases");
    }

    [Theory]
    [MemberData(nameof(EveryOption))]
    public void Option_TakingAValue_NamesItInHelp(string command, string name)
    {
        var option = Find(command, name);
        if (option.ValueType == typeof(bool))
        {
            return;
        }

        Assert.False(string.IsNullOrEmpty(option.HelpName), $"{command} {name} takes a value but does not name it in help");
    }

    [Fact]
    public void Command_Always_HasNoNameOrAliasTwice()
    {
        foreach (var (_, command) in Commands())
        {
            var names = command.Options.SelectMany(option => option.Aliases.Prepend(option.Name)).ToList();

            Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        }
    }

    /// <summary>Every command under the root, nested ones (<c>remote add</c>) included, by the words that name it.</summary>
    private static IEnumerable<(string Path, Command Command)> Commands()
    {
        var pending = new Queue<(string, Command)>(CliRoot.Create().Subcommands.Select(command => (command.Name, command)));
        while (pending.TryDequeue(out var next))
        {
            yield return next;
            foreach (var sub in next.Item2.Subcommands)
            {
                pending.Enqueue(($"{next.Item1} {sub.Name}", sub));
            }
        }
    }

    private static Option Find(string command, string name) =>
        Commands().Single(candidate => candidate.Path == command).Command.Options.Single(option => option.Name == name);
}
