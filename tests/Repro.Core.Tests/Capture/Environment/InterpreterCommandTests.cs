using Repro.Core.Capture.Environment;

namespace Repro.Core.Tests.Capture.Environment;

public sealed class InterpreterCommandTests
{
    [Theory]
    [InlineData("python train.py --lr 0.1", "python")]
    [InlineData("python3 -m pkg.train", "python3")]
    [InlineData("python3.11 train.py", "python3.11")]
    [InlineData("  PYTHONHASHSEED=0 OMP_NUM_THREADS='1' python3 train.py", "python3")]
    [InlineData("FOO=\"a b\" env BAR=1 python train.py", "python")]
    [InlineData("exec python3 train.py", "python3")]
    [InlineData("./.venv/bin/python train.py", "./.venv/bin/python")]
    [InlineData("'/opt/my envs/bin/python3' train.py", "/opt/my envs/bin/python3")]
    public void FindPython_CommandStartingPython_GivesTheWordAsWritten(string command, string expected)
    {
        Assert.Equal(expected, InterpreterCommand.FindPython(command));
    }

    [Theory]
    [InlineData("bash run.sh")]
    [InlineData("dotnet run -- --epochs 3")]
    [InlineData("cd src && python train.py")]
    [InlineData("pythonic train.py")]
    [InlineData("python2 legacy.py")]
    [InlineData("X=1 ; python train.py")]
    [InlineData("")]
    [InlineData("'unterminated python")]
    public void FindPython_OtherCommand_GivesNull(string command)
    {
        Assert.Null(InterpreterCommand.FindPython(command));
    }
}
