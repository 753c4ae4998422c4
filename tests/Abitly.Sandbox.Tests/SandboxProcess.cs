using System.Globalization;
using System.Net;
using Abitly.Tests.Shared;

namespace Abitly.Sandbox.Tests;

/// <summary>The real `Abitly.Sandbox` process, as a newcomer starts it, in its own temporary folder.</summary>
public sealed class SandboxProcess : IAsyncDisposable
{
    private readonly BotExecutable _process;

    private SandboxProcess(BotExecutable process, int port, string directory)
    {
        _process = process;
        Port = port;
        Directory = directory;
    }

    public int Port { get; }
    public string Directory { get; }
    public string Url => $"http://127.0.0.1:{Port}/";
    public string DatabasePath => Path.Combine(Directory, "abitly-sandbox.db");
    public string Stdout => _process.Stdout;
    public string Stderr => _process.Stderr;
    public bool HasExited => _process.HasExited;

    /// <summary>Starts `sandbox` in <paramref name="directory"/> (a new temporary one by default) on a free port.</summary>
    public static SandboxProcess Start(int? port = null, string? directory = null, params string[] extraArgs)
    {
        directory ??= System.IO.Directory.CreateTempSubdirectory("abitly-sandbox-test-").FullName;
        var chosen = port ?? BotExecutable.FreePort();
        string[] args = ["--port", chosen.ToString(CultureInfo.InvariantCulture), .. extraArgs];
        // The sandbox needs none of the production settings; BotExecutable keeps the test run's out of it.
        return new SandboxProcess(BotExecutable.Start([], args, directory, "Abitly.Sandbox"), chosen, directory);
    }

    /// <summary>Waits for the banner and for the bot's first long poll, so the page gets answers from now on.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"sandbox exited{Environment.NewLine}{Stdout}{Environment.NewLine}{Stderr}");
            }

            if (Stdout.Contains("Receiving updates", StringComparison.Ordinal))
            {
                var config = await http.GetAsync(new Uri(Url + "api/config"));
                if (config.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"sandbox not ready{Environment.NewLine}{Stdout}{Environment.NewLine}{Stderr}");
    }

    public Task<int> WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(timeout);

    /// <summary>Ctrl+C: the sandbox stops like the production host, exit code 0.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            await _process.SignalAsync("INT");
        }

        return await _process.WaitForExitAsync(TimeSpan.FromSeconds(60));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (OperationCanceledException)
        {
            // Did not stop within a minute; Dispose kills it.
        }

        _process.Dispose();
    }
}
