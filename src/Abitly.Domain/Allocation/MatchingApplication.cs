using Abitly.Domain.Ranking;

namespace Abitly.Domain.Allocation;

/// <summary>One budget application as <see cref="PersonMatching"/> sees it: the published fields that can tell whose it is.</summary>
/// <param name="Offer">Index of the offer (0-based, into the matching offers).</param>
/// <param name="Name">The name as stored (initials, «Шевченко А. Б.»); applications of one person carry the same text.</param>
/// <param name="Score">Competitive score in thousandths, as published; <see cref="AdmissionOrder.Unscored"/> when the list shows none.</param>
/// <param name="Priority">Budget priority 1–5.</param>
/// <param name="Quota">The quota the application is marked with.</param>
/// <param name="PersonKey">The stable person key when the source has one: applications with a key are grouped by it alone.</param>
public readonly record struct MatchingApplication(int Offer, string Name, int Score, int Priority, QuotaKind Quota, string? PersonKey = null);
