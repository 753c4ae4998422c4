namespace Abitly.Domain.Allocation;

/// <summary>How a matched person's applications were put together, from the surest to the least sure.</summary>
public enum PersonMatchConfidence
{
    /// <summary>Grouped by the stable person key: exact.</summary>
    Key = 0,

    /// <summary>The only person with this name: every application of the name fits one person (priorities, offers, quota, scores).</summary>
    Unique = 1,

    /// <summary>
    /// The name is shared, and the person's applications were told apart without a choice: by equal КБ on offers with
    /// one formula, and by the only person each remaining application could belong to.
    /// </summary>
    Linked = 2,

    /// <summary>
    /// Told apart without a choice, but possibly missing applications: a leftover fragment of the name
    /// (<see cref="Unresolved"/>) could be theirs, their priorities have a gap, or the name has a fragment that fits
    /// nobody (a person without priority 1, whose applications may have been taken for someone else's).
    /// </summary>
    Open = 3,

    /// <summary>At least one application joined this person over another possible one because the scores fit better.</summary>
    Chosen = 4,

    /// <summary>
    /// Applications the matcher could not place: no application at priority 1 among them, and several persons they could
    /// belong to with nothing to choose by, or none. They count as a person of their own (a split), never as a guess.
    /// </summary>
    Unresolved = 5,
}
