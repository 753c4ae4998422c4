using Microsoft.Playwright;

namespace Abitly.Sandbox.Tests;

/// <summary>One sandbox process and one headless Debian Chromium shared by the browser tests of a class.</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    /// <summary>Debian's package; Playwright must never download a browser of its own (no internet here, and none needed).</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public SandboxProcess Sandbox { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Sandbox = SandboxProcess.Start();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox"],
        });
        await Sandbox.WaitUntilReadyAsync();
        Assertions.SetDefaultExpectTimeout(15_000);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (Sandbox is not null)
        {
            await Sandbox.DisposeAsync();
        }
    }
}
