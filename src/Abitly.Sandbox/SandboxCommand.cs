using System.Globalization;
using System.Net.Sockets;
using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Abitly.Bot.Hosting;
using Abitly.Bot.Services;
using Abitly.Bot.State;
using Abitly.BotApiEmulator;
using Abitly.Domain.Tracking;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.Data.Sqlite;

namespace Abitly.Sandbox;

/// <summary>
/// `sandbox`: the production host, pipeline, handlers and services with a SQLite file, in-memory short-lived state,
/// Quartz in memory and the in-process Bot API emulator whose web chat a person uses instead of Telegram.
/// </summary>
public static class SandboxCommand
{
    /// <summary>The plain applicant the page acts as by default.</summary>
    public const long ApplicantId = 100001;
    /// <summary>The administrator persona (in ADMIN_IDS of the sandbox).</summary>
    public const long AdminId = 900001;
    public const string BotUsername = "AbitlySandboxBot";
    /// <summary>Any well-formed token works with the in-process emulator; this one is fixed so tools can talk to it too.</summary>
    public const string BotToken = "7000000001:sandbox";
    /// <summary>The page action that re-imports the demo campaign with a perturbation (<see cref="DemoRevision"/>).</summary>
    public const string RevisionActionId = "demo-revision";

    public static async Task<int> RunAsync(SandboxOptions options, TextWriter output, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        // The port first: a second sandbox must fail on it before it touches the database the first one uses.
        IServiceProvider? botServices = null;
        BotApiEmulator.BotApiEmulator emulator;
        try
        {
            emulator = await BotApiEmulator.BotApiEmulator.StartAsync(new BotApiEmulatorOptions
            {
                Port = options.Port,
                BotUsername = BotUsername,
                WebChat = WebChat(() => botServices),
            });
        }
        catch (IOException ex) when (ex.GetBaseException() is AddressInUseException or SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse })
        {
            await errors.WriteLineAsync(
                $"sandbox: port {options.Port} on 127.0.0.1 is already in use (another sandbox?). " +
                $"Stop that program, or choose another port: sandbox --port {NextPortHint(options.Port)} (or SANDBOX_PORT={NextPortHint(options.Port)}).");
            return 1;
        }
        catch (IOException ex)
        {
            await errors.WriteLineAsync($"sandbox: cannot listen on 127.0.0.1:{options.Port} ({ex.GetBaseException().Message}). Choose another port with --port N.");
            return 1;
        }

        await using (emulator)
        {
            var path = Path.GetFullPath(options.DatabasePath);
            // The first start creates and fills the file (a few seconds); say so, or the wait looks like a hang.
            await output.WriteLineAsync($"Preparing the sandbox database {path} …");
            var prepared = await SandboxDatabase.PrepareAsync(path, options.Reset, DateTimeOffset.UtcNow, errors);
            if (prepared is null)
            {
                return 1;
            }

            var settings = Settings(emulator.BaseUrl, path);
            await using var app = BotHost.Build(settings, customize: b =>
            {
                // Health and metrics on a free loopback port nobody needs to know; Kestrel's own "listening on" line
                // would only distract from the chat address in the banner.
                b.WebHost.UseUrls("http://127.0.0.1:0");
                b.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
                // A person trying the sandbox wants to see the alert now, whatever the hour: no quiet hours, no daily limit.
                b.Services.AddSingleton(new TrackedAlertOptions(AlertWindow.Always, TrackedAlertOptions.Default.PollInterval));
            });
            botServices = app.Services;
            await app.StartAsync();
            var simulation = await SimulateAsync(app.Services);
            await output.WriteLineAsync(
                $"""
                 Abitly sandbox is running — no token, PostgreSQL or Redis needed.
                   Chat with the bot:  {emulator.BaseUrl}/
                   Database:           {path} ({prepared})
                   Simulation:         {simulation}
                   Start afresh:       sandbox --reset      Stop: Ctrl+C
                 """);
            var exitCode = await app.Services.GetRequiredService<BotRuntime>().RunAsync(app.Lifetime.ApplicationStopping);
            await app.StopAsync();
            return exitCode;
        }
    }

    /// <summary>
    /// Simulates the demo campaign before the chat opens (the bot's own job would do it within a minute), so the first
    /// offer view already shows the simulated outcome; on later starts there is nothing due.
    /// </summary>
    private static async Task<string> SimulateAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var reports = await scope.ServiceProvider.GetRequiredService<Bot.Simulation.SimulationRunner>().RunPendingAsync(CancellationToken.None);
        var year = services.GetRequiredService<AbitlySettings>().CampaignYear;
        // The campaign year's is the one the chat shows; the previous year's demo offer is simulated too.
        return (reports.LastOrDefault(x => x.CampaignYear == year) ?? (reports.Count > 0 ? reports[^1] : null)) is { } r
            ? string.Create(CultureInfo.InvariantCulture,
                $"{r.CampaignYear}: {r.Outcome.ToString().ToLowerInvariant()} (run {r.RunId}), {r.Applications:N0} competing applications, {r.Placed:N0} persons placed in {r.Rounds} rounds")
            : "up to date";
    }

    /// <summary>The production settings model, filled for one process on loopback.</summary>
    public static AbitlySettings Settings(string emulatorUrl, string databasePath) => new()
    {
        BotToken = BotToken,
        DatabaseProvider = DatabaseProvider.Sqlite,
        DatabaseConnectionString = Database.SqliteFile(databasePath),
        RedisConfiguration = "",
        Port = 0,
        AdminIds = new HashSet<long> { AdminId },
        TelegramApiUrl = emulatorUrl,
        CampaignYear = AbitlySettings.CampaignYearOf(DateTimeOffset.UtcNow),
        // A person waits for the answer: shorter polls make a stop quick, and one chat at a time needs no more.
        PollTimeoutSeconds = 10,
        ShutdownGraceSeconds = 3,
    };

    /// <summary>The page: two personas, example links of the demo offers, and a link-token button for the demo web user.</summary>
    public static WebChatOptions WebChat(Func<IServiceProvider?> services)
    {
        var campaign = AbitlySettings.CampaignYearOf(DateTimeOffset.UtcNow);
        var year = campaign.ToString(CultureInfo.InvariantCulture);
        return new WebChatOptions
        {
            Title = "Abitly — пісочниця",
            Personas =
            [
                new WebChatPersona(ApplicantId, "Олена", "Абітурієнт", "olena_demo"),
                new WebChatPersona(AdminId, "Адмін", "Адміністратор", "abitly_admin"),
            ],
            Examples =
            [
                new WebChatExample("КНУ, комп'ютерні науки (ЄДЕБО)", $"https://vstup.edbo.gov.ua/offer/{DemoData.Ids.ComputerScienceOffer}/"),
                new WebChatExample("КПІ, інженерія ПЗ (osvita.ua)", $"https://vstup.osvita.ua/y{year}/r27/79/{DemoData.Ids.SoftwareEngineeringOffer}/"),
                new WebChatExample("ЛНУ, соціологія (abit-poisk)", $"https://abit-poisk.org.ua/rate{year}/direction/{DemoData.Ids.SociologyOffer}"),
                new WebChatExample("ХНУ, комп'ютерні науки", $"https://vstup.edbo.gov.ua/offer/{DemoData.Ids.KharkivComputerScienceOffer}/?list=simulation"),
                new WebChatExample("Пропозиція минулого року", $"https://vstup{campaign - 1}.edbo.gov.ua/offer/{DemoData.Ids.LastYearOffer}/"),
                new WebChatExample("Дні відкритих дверей", "/opendays"),
                new WebChatExample("Фільтри", "/filters"),
                new WebChatExample("Профіль", "/profile"),
            ],
            Actions =
            [
                new WebChatAction("mint-link-token", "Прив'язати профіль Олени Демченко (токен на 10 хв)", async (_, _) =>
                {
                    if (services() is not { } provider)
                    {
                        return new WebChatActionResult("Бот ще запускається — спробуйте за секунду.");
                    }

                    // The web backend's contract: the same key, value and TTL, here in the in-memory store.
                    var token = await LinkingService.MintAsync(
                        provider.GetRequiredService<LinkTokenStore>(), DemoData.Ids.DemoWebUser, DateTimeOffset.UtcNow, LinkToken.DefaultTtl);
                    return new WebChatActionResult(
                        "Токен створено, як це робить сайт. Натисніть посилання — бот отримає /start з токеном (діє 10 хв, один раз).",
                        $"https://t.me/{BotUsername}?start={LinkToken.StartPayloadPrefix}{token}");
                }),
                new WebChatAction(RevisionActionId, "Адмін: оновити списки (нова хвиля заяв)", async (context, ct) =>
                {
                    if (context.UserId != AdminId)
                    {
                        return new WebChatActionResult("Це дія адміністратора: перемкніться на «Адмін» угорі сторінки.");
                    }

                    if (services() is not { } provider)
                    {
                        return new WebChatActionResult("Бот ще запускається — спробуйте за секунду.");
                    }

                    return new WebChatActionResult(DemoRevision.Describe(await DemoRevision.ImportAsync(provider, DateTimeOffset.UtcNow, ct)));
                }),
            ],
        };
    }

    private static int NextPortHint(int port) => port < 65535 ? port + 1 : port - 1;
}
