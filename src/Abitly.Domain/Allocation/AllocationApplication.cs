using Abitly.Domain.Ranking;

namespace Abitly.Domain.Allocation;

/// <summary>One budget application: a person's bid for an offer at a priority, with the published competitive score.</summary>
/// <param name="Person">Index of the person (0-based, into the tie ranks).</param>
/// <param name="Offer">Index of the offer (0-based, into the offers).</param>
/// <param name="Priority">Budget priority 1–5, 1 = most wanted.</param>
/// <param name="Score">Competitive score in thousandths (167.829 → 167829), as published; <see cref="AdmissionOrder.Unscored"/> when the list shows none.</param>
/// <param name="Quota">The quota this application is marked with; quota seats go only to applications marked with that kind.</param>
public readonly record struct AllocationApplication(int Person, int Offer, int Priority, int Score, QuotaKind Quota);
