using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Abitly.Tests.Shared;

/// <summary>
/// The bot's own executable (copied beside the tests by the project reference), run as a child process with a
/// controlled environment and its output captured — as the platform, or a newcomer's shell, would run it.
/// </summary>
internal sealed class BotExecutable : IDisposable
{
    // Production settings a developer's shell may have set; a test passes exactly the ones it means.
    private static readonly string[] Settings =
        ["BOT_TOKEN", "DATABASE_URL", "REDIS_URL", "ADMIN_IDS", "PORT", "TELEGRAM_API_URL", "WEBHOOK_URL", "WEBHOOK_SECRET", "SANDBOX_PORT"];

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private BotExecutable(Process process)
    {
        _process = process;
    }

    public string Stdout => Read(_stdout);

    public string Stderr => Read(_stderr);

    public bool HasExited => _process.HasExited;

    public int Id => _process.Id;

    public static BotExecutable Start(Dictionary<string, string?> environment, IEnumerable<string>? args = null, string? workingDirectory = null, string program = "Abitly.Bot")
    {
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, program))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        foreach (var arg in args ?? [])
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var name in Settings)
        {
            info.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info };
        var bot = new BotExecutable(process);
        process.OutputDataReceived += (_, e) => Append(bot._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(bot._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return bot;
    }

    /// <summary>Sends a signal by name (TERM, INT), as a platform or Ctrl+C does.</summary>
    public async Task SignalAsync(string name)
    {
        using var kill = Process.Start("kill", $"-{name} {_process.Id}");
        await kill.WaitForExitAsync();
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit();   // flushes the redirected output
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    /// <summary>A loopback port free right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Read(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static void Append(StringBuilder into, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (into)
        {
            into.AppendLine(line);
        }
    }
}
