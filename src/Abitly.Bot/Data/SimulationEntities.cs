using Abitly.Domain.Allocation;

namespace Abitly.Bot.Data;

/// <summary>
/// The allocation simulated over one import run's lists (docs/allocation.md, "When it runs"): claimed by one instance
/// (one row per import run, a lease for a crashed owner), then finished with its results in one transaction.
/// </summary>
public sealed class SimulationRun
{
    public long Id { get; set; }
    /// <summary>The import run whose lists were simulated: the data version the results belong to.</summary>
    public long ImportRunId { get; set; }
    public int CampaignYear { get; set; }
    public SimulationRunStatus Status { get; set; }
    /// <summary>Why a finished run is not shown (<see cref="SimulationRunStatus.NotShown"/>).</summary>
    public SimulationHiddenReason HiddenReason { get; set; }
    /// <summary>The instance working on it while it runs, and until when its claim holds.</summary>
    public string? Owner { get; set; }
    public DateTime? LeaseUntil { get; set; }
    /// <summary>Claims so far: a run whose owners keep dying is given up after a few.</summary>
    public int Attempts { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    /// <summary>The simulated lists' taken_at (the import run's snapshot time).</summary>
    public DateTime? TakenAt { get; set; }
    /// <summary>PersonMatching's matched share and formula share over the run's budget applications.</summary>
    public double? MatchedShare { get; set; }
    public double? FormulaShare { get; set; }
    public int Persons { get; set; }
    /// <summary>Applications allocated: active budget applications with a score.</summary>
    public int Applications { get; set; }
    public int Offers { get; set; }
    public int Rounds { get; set; }
    public int Placed { get; set; }
    public int PlacedFirstPriority { get; set; }
    /// <summary>Applications moved to a person of their own because their person already had that priority or offer.</summary>
    public int SplitApplications { get; set; }
    public double? Seconds { get; set; }
    public string? Error { get; set; }
}

/// <summary>Where a simulation run is.</summary>
public enum SimulationRunStatus
{
    Running = 0,
    /// <summary>Finished with results the bot shows.</summary>
    Shown = 1,
    /// <summary>Finished, but persons could not be matched reliably: no results, the reason is recorded.</summary>
    NotShown = 2,
    /// <summary>Failed (bad data, or owners kept dying); the error is recorded and it is not retried.</summary>
    Failed = 3,
    /// <summary>A newer import run changed the lists before this one was simulated.</summary>
    Superseded = 4,
}

/// <summary>Why a simulation is not shown (docs/allocation.md, "The threshold").</summary>
public enum SimulationHiddenReason
{
    None = 0,
    /// <summary>The matched share is below <see cref="PersonMatching.MinMatchedShare"/>.</summary>
    PersonsNotMatched = 1,
    /// <summary>The formula share is below <see cref="PersonMatching.MinFormulaShare"/>.</summary>
    FormulasUnknown = 2,
}

/// <summary>One offer's simulated competition in a run.</summary>
public sealed class SimulationOffer
{
    public long RunId { get; set; }
    public long OfferId { get; set; }
    public int? BudgetPlaces { get; set; }
    /// <summary>Budget places minus the quota seats filled.</summary>
    public int GeneralPlaces { get; set; }
    public int Quota1Seated { get; set; }
    public int Quota2Seated { get; set; }
    public int GeneralSeated { get; set; }
    /// <summary>The score on the last general seat; null while one is free or when there are none.</summary>
    public decimal? CutOff { get; set; }
    /// <summary>Active budget applications with a score that competed here.</summary>
    public int Competing { get; set; }
}

/// <summary>One application's simulated outcome in a run, keyed by its place on the list it was simulated from.</summary>
public sealed class SimulationApplication
{
    public long RunId { get; set; }
    public long OfferId { get; set; }
    /// <summary>The application's position on the offer's list (applicants.position) when the run was simulated.</summary>
    public int Position { get; set; }
    public short Priority { get; set; }
    public SimulatedOutcome Outcome { get; set; }
    public AllocationSeat Seat { get; set; }
    /// <summary>Its place on the list once those placed at a higher priority elsewhere have left it (<see cref="ApplicationStanding.Place"/>).</summary>
    public int Place { get; set; }
    /// <summary>The offer where the person holds a seat, when it is another one.</summary>
    public long? HeldOfferId { get; set; }
    public short? HeldPriority { get; set; }
}
