using System.Globalization;
using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Abitly.Bot.Hosting;
using Abitly.Bot.Import;
using Abitly.Campaign.Generation;
using Microsoft.Extensions.Logging;

namespace Abitly.Bot.Commands;

/// <summary>`import`, `generate-campaign`, `seed-demo` and `simulate`: campaign data in, from the command line.</summary>
public static class ImportCommands
{
    /// <summary>Imports one snapshot; exit 0 when it completed (or the source had not changed), 1 when it failed or was refused.</summary>
    public static async Task<int> ImportAsync(AbitlySettings settings, ImportRequest request, TextWriter output, TextWriter errors, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        await using var services = Services(settings);
        await Database.MigrateAsync(settings.DatabaseProvider, settings.DatabaseConnectionString, ct);
        await using var scope = services.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<CampaignImporter>().ImportAsync(request, ct);
        await Describe(report, output, errors);
        return report.Outcome is ImportOutcome.Completed or ImportOutcome.NotModified ? 0 : 1;
    }

    /// <summary>
    /// Runs the simulations that are due, as the bot's job would; exit 0 unless one failed. Prints one line per attempt
    /// with its figures and the time of each phase.
    /// </summary>
    public static async Task<int> SimulateAsync(AbitlySettings settings, TextWriter output, TextWriter errors, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        await using var services = Services(settings);
        await Database.MigrateAsync(settings.DatabaseProvider, settings.DatabaseConnectionString, ct);
        await using var scope = services.CreateAsyncScope();
        var reports = await scope.ServiceProvider.GetRequiredService<Simulation.SimulationRunner>().RunPendingAsync(ct);
        if (reports.Count == 0)
        {
            await output.WriteLineAsync("No simulation is due: every import run that changed the lists has one (or another process is running it).");
        }

        foreach (var r in reports)
        {
            var line = string.Create(CultureInfo.InvariantCulture,
                $"Simulation run {r.RunId} of import run {r.ImportRunId} ({r.CampaignYear}) {r.Outcome.ToString().ToLowerInvariant()}: matched share {r.MatchedShare:P1}, {r.Persons:N0} persons, {r.Applications:N0} applications, {r.Rounds} rounds, {r.Placed:N0} placed ({(r.Placed == 0 ? 0 : (double)r.PlacedFirstPriority / r.Placed):P1} at priority 1); load {r.Load.TotalSeconds:0.000} s, match {r.Match.TotalSeconds:0.000} s, allocate {r.Allocate.TotalSeconds:0.000} s (engine {r.Engine.TotalSeconds:0.000} s), store {r.Store.TotalSeconds:0.000} s.");
            await (r.Outcome == Simulation.SimulationOutcome.Failed ? errors : output).WriteLineAsync(line + (r.Error is null ? "" : " " + r.Error));
        }

        return reports.Any(r => r.Outcome == Simulation.SimulationOutcome.Failed) ? 1 : 0;
    }

    /// <summary>Writes a generated campaign in the import format.</summary>
    public static async Task<int> GenerateAsync(CampaignGeneratorOptions options, string path, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var campaign = CampaignGenerator.Generate(options);
        await campaign.WriteAsync(path, ct);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Wrote {path}: {campaign.OfferCount:N0} offers, {campaign.ApplicationCount:N0} applications, campaign {campaign.Header.CampaignYear}, taken at {campaign.Header.TakenAt:u} ({watch.Elapsed.TotalSeconds:0.0} s)."));
        return 0;
    }

    /// <summary>Migrates, then imports a generated `ci` campaign of the configured campaign year (idempotent: a second run touches nothing).</summary>
    public static async Task<int> SeedDemoAsync(AbitlySettings settings, TextWriter output, TextWriter errors, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var path = Path.Combine(Path.GetTempPath(), $"abitly-demo-{Guid.NewGuid():N}.jsonl.gz");
        try
        {
            await CampaignGenerator.Generate(CampaignGeneratorOptions.For(CampaignPreset.Ci) with { Year = settings.CampaignYear }).WriteAsync(path, ct);
            return await ImportAsync(settings, new ImportRequest(path, "seed"), output, errors, ct);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A report as an operator reads it: one summary line, then the problems.</summary>
    public static async Task Describe(ImportReport report, TextWriter output, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        var counts = string.Create(CultureInfo.InvariantCulture,
            $"{report.Added:N0} added, {report.Changed:N0} changed, {report.Unchanged:N0} unchanged, {report.Withdrawn:N0} withdrawn, {report.Invalid:N0} invalid");
        var line = string.Create(CultureInfo.InvariantCulture, $"Import run {report.RunId} {report.Outcome.ToString().ToLowerInvariant()} in {report.Elapsed.TotalSeconds:0.0} s: {counts}.");
        if (report.Outcome is ImportOutcome.Completed or ImportOutcome.NotModified)
        {
            await output.WriteLineAsync(line + (report.Message is null ? "" : " " + report.Message + "."));
        }
        else
        {
            await errors.WriteLineAsync(line);
            await errors.WriteLineAsync(report.Message);
        }

        foreach (var error in report.Errors)
        {
            await errors.WriteLineAsync(error.ToString());
        }

        if (report.Errors.Count == ImportReport.MaxErrors)
        {
            await errors.WriteLineAsync($"(only the first {ImportReport.MaxErrors} problems are listed)");
        }
    }

    private static ServiceProvider Services(AbitlySettings settings)
    {
        var services = new ServiceCollection();
        // ABITLY_IMPORT_VERBOSE=1 shows the importer's own log, phase timings included.
        var verbose = Environment.GetEnvironmentVariable("ABITLY_IMPORT_VERBOSE") == "1";
        services.AddLogging(l => l.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning)
            .AddFilter("Microsoft", LogLevel.Warning).AddFilter("System", LogLevel.Warning));
        services.AddAbitlyDatabase(settings.DatabaseProvider, settings.DatabaseConnectionString);
        services.AddCampaignImport(settings);
        services.AddSimulation();
        return services.BuildServiceProvider();
    }
}
