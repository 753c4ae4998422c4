using System.Net;
using Abitly.Bot.Hosting;
using Abitly.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Abitly.Bot.Tests;

/// <summary>
/// The listener that answers /healthcheck while the host is being built, and its handover of the port to the host's
/// Kestrel: the port answers before, during and after, with no connection refused in between.
/// </summary>
public sealed class EarlyHealthListenerTests
{
    [Fact]
    public async Task Healthcheck_is_answered_before_the_host_exists_and_other_paths_are_told_it_is_starting()
    {
        var port = BotExecutable.FreePort();
        var listener = EarlyHealthListener.TryStart(port);
        Assert.NotNull(listener);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

            using var health = await http.GetAsync(new Uri("/healthcheck", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Equal("OK", await health.Content.ReadAsStringAsync());

            using var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }
        finally
        {
            listener.Close();
        }
    }

    [Fact]
    public async Task The_host_takes_the_same_port_over_and_a_request_made_during_the_handover_waits_for_it()
    {
        var port = BotExecutable.FreePort();
        var listener = EarlyHealthListener.TryStart(port);
        Assert.NotNull(listener);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/healthcheck", UriKind.Relative))).StatusCode);

        var handle = listener.HandOver();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.ListenHandle(handle));
        await using var app = builder.Build();
        // Only the host knows this path: an answer from it proves the host serves the port.
        app.MapGet("/host-only", () => Results.Text("from the host"));

        // Made after the early listener stopped answering and before Kestrel listens: it waits in the backlog.
        var during = http.GetAsync(new Uri("/host-only", UriKind.Relative));
        await app.StartAsync();
        try
        {
            using var answered = await during;
            Assert.Equal("from the host", await answered.Content.ReadAsStringAsync());
            using var after = await http.GetAsync(new Uri("/host-only", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public void A_port_that_is_taken_leaves_the_bind_to_the_host()
    {
        var port = BotExecutable.FreePort();
        var first = EarlyHealthListener.TryStart(port);
        Assert.NotNull(first);
        try
        {
            Assert.Null(EarlyHealthListener.TryStart(port));
        }
        finally
        {
            first.Close();
        }
    }
}
