using Abitly.Domain.Ranking;

namespace Abitly.Domain.Allocation;

/// <summary>One application as an offer's choice sees it: what decides its rank and which quota it may use.</summary>
/// <param name="Score">Competitive score in thousandths.</param>
/// <param name="Priority">Priority of the application at this offer, 1–5.</param>
/// <param name="TieRank">The person's tie rank (lower wins a full tie).</param>
/// <param name="Quota">The quota the application is marked with.</param>
public readonly record struct OfferCandidate(int Score, int Priority, int TieRank, QuotaKind Quota);
