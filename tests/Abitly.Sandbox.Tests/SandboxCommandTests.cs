using System.Net;
using System.Text;

namespace Abitly.Sandbox.Tests;

/// <summary>The `sandbox` command's bad inputs: a busy port, a damaged database file, bad arguments.</summary>
public sealed class SandboxCommandTests
{
    [Fact]
    public async Task A_second_sandbox_on_the_same_port_names_the_port_and_the_option_and_the_first_keeps_working()
    {
        await using var first = SandboxProcess.Start();
        await first.WaitUntilReadyAsync();

        await using var second = SandboxProcess.Start(port: first.Port);
        Assert.Equal(1, await second.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains($"port {first.Port}", second.Stderr, StringComparison.Ordinal);
        Assert.Contains("--port", second.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", second.Stderr, StringComparison.Ordinal);   // one clear line, no stack trace
        Assert.False(File.Exists(second.DatabasePath));   // it failed before touching any database

        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(first.Url + "api/config"))).StatusCode);
        Assert.False(first.HasExited);
    }

    [Fact]
    public async Task A_damaged_database_file_is_reported_with_how_to_reset_and_reset_starts_afresh()
    {
        var directory = Directory.CreateTempSubdirectory("abitly-sandbox-corrupt-").FullName;
        var path = Path.Combine(directory, "abitly-sandbox.db");
        var garbage = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("not a database at all. ", 400)));
        await File.WriteAllBytesAsync(path, garbage);

        await using (var broken = SandboxProcess.Start(directory: directory))
        {
            Assert.Equal(1, await broken.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains(path, broken.Stderr, StringComparison.Ordinal);
            Assert.Contains("--reset", broken.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", broken.Stderr, StringComparison.Ordinal);
        }

        Assert.Equal(garbage, await File.ReadAllBytesAsync(path));   // never deleted without being asked

        await using var reset = SandboxProcess.Start(directory: directory, extraArgs: "--reset");
        await reset.WaitUntilReadyAsync();
        var header = new byte[16];
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            await file.ReadExactlyAsync(header);
        }

        Assert.Equal("SQLite format 3\0", Encoding.ASCII.GetString(header));
        Assert.Equal(0, await reset.StopAsync());
    }

    [Theory]
    [InlineData("--port", "abc")]
    [InlineData("--port", "70000")]
    [InlineData("--colour", "blue")]
    public async Task Bad_arguments_exit_2_with_the_usage(string option, string value)
    {
        await using var sandbox = SandboxProcess.Start(1, null, option, value);
        Assert.Equal(2, await sandbox.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(option, sandbox.Stderr, StringComparison.Ordinal);
        Assert.Contains("Usage: sandbox", sandbox.Stderr, StringComparison.Ordinal);
    }
}
