namespace Abitly.Campaign;

/// <summary>One non-empty line after the header, as the reader saw it: the offer when it could be read, and every problem found.</summary>
/// <param name="Line">The 1-based line number.</param>
/// <param name="EdboId">The offer's id when that much was readable, else null.</param>
/// <param name="Offer">The offer when the line has the right shape (it may still break value rules; see <see cref="Errors"/>), else null.</param>
/// <param name="Errors">Everything wrong with the line, including cross-line rules such as a repeated offer id; empty when valid.</param>
public sealed record SnapshotOfferEntry(int Line, long? EdboId, SnapshotOffer? Offer, IReadOnlyList<SnapshotError> Errors)
{
    /// <summary>Whether the offer was read and breaks no rule: only such an offer may be imported.</summary>
    public bool IsValid => Offer is not null && Errors.Count == 0;
}

/// <summary>What a finished read saw: lines, offers, and how many were valid.</summary>
/// <param name="Lines">Lines read, header and empty lines included.</param>
/// <param name="Entries">Non-empty lines after the header (plus a read failure, if any), each one entry.</param>
/// <param name="ValidOffers">Entries with a valid offer.</param>
/// <param name="Errors">Problems found, the header's included.</param>
public sealed record SnapshotReadSummary(int Lines, int Entries, int ValidOffers, int Errors);
