using Repro.Core.Capture.Environment;

namespace Repro.Core.Tests.Capture.Environment;

public sealed class MacOsParsersTests
{
    [Fact]
    public void ParseSystemVersion_Plist_GivesProductNameAndVersion()
    {
        const string plist = """
            <?xml version="1.0" encoding="UTF-8"?>
            <plist version="1.0">
            <dict>
                <key>BuildID</key>
                <string>3A1B2C3D</string>
                <key>ProductName</key>
                <string>macOS</string>
                <key>ProductVersion</key>
                <string>14.4.1</string>
            </dict>
            </plist>
            """;

        Assert.Equal(("macOS", "14.4.1"), MacOsParsers.ParseSystemVersion(plist));
    }

    [Fact]
    public void ParseSysctl_BrandAndMemory_GivesBoth()
    {
        Assert.Equal(("Apple M2 Pro", 34359738368L), MacOsParsers.ParseSysctl("Apple M2 Pro\n34359738368\n"));
    }

    [Fact]
    public void ParseDarwinRelease_OsDescription_GivesKernelRelease()
    {
        Assert.Equal("23.4.0", MacOsParsers.ParseDarwinRelease("Darwin 23.4.0 Darwin Kernel Version 23.4.0: Fri Mar 15 00:10:42 PDT 2024"));
        Assert.Null(MacOsParsers.ParseDarwinRelease("Linux 6.8.0"));
    }
}
