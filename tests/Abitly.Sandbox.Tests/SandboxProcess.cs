using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Abitly.Sandbox.Tests;

/// <summary>The real `Abitly.Bot sandbox` process, as a newcomer starts it, in its own temporary folder.</summary>
public sealed class SandboxProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private SandboxProcess(Process process, int port, string directory)
    {
        _process = process;
        Port = port;
        Directory = directory;
    }

    public int Port { get; }
    public string Directory { get; }
    public string Url => $"http://127.0.0.1:{Port}/";
    public string DatabasePath => Path.Combine(Directory, "abitly-sandbox.db");

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts `sandbox` in <paramref name="directory"/> (a new temporary one by default) on a free port.</summary>
    public static SandboxProcess Start(int? port = null, string? directory = null, params string[] extraArgs)
    {
        directory ??= System.IO.Directory.CreateTempSubdirectory("abitly-sandbox-test-").FullName;
        var chosen = port ?? FreePort();
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "Abitly.Bot"))
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("sandbox");
        info.ArgumentList.Add("--port");
        info.ArgumentList.Add(chosen.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var arg in extraArgs)
        {
            info.ArgumentList.Add(arg);
        }

        // The sandbox needs none of the production settings; make sure none leak in from the test run.
        foreach (var name in new[] { "BOT_TOKEN", "DATABASE_URL", "REDIS_URL", "SANDBOX_PORT", "TELEGRAM_API_URL" })
        {
            info.Environment.Remove(name);
        }

        var process = new Process { StartInfo = info };
        var sandbox = new SandboxProcess(process, chosen, directory);
        process.OutputDataReceived += (_, e) => Append(sandbox._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(sandbox._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return sandbox;
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
                throw new InvalidOperationException($"sandbox exited with {_process.ExitCode}{Environment.NewLine}{Stdout}{Environment.NewLine}{Stderr}");
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

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit();   // flushes the redirected output
        return _process.ExitCode;
    }

    /// <summary>Ctrl+C: the sandbox stops like the production host, exit code 0.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", $"-INT {_process.Id}");
            await kill.WaitForExitAsync();
        }

        return await WaitForExitAsync(TimeSpan.FromSeconds(60));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (Exception) when (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
