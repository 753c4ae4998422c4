namespace Abitly.Domain.Ranking;

/// <summary>One application on an offer's published list, without the applicant's name.</summary>
/// <param name="Score">Competitive score as published; null when the list does not show one (ranks after every scored one).</param>
/// <param name="Priority">Budget priority 1–5; null for contract-only applications.</param>
/// <param name="Status">Status as published (Ukrainian), e.g. «Зареєстровано», «Скасовано вступником».</param>
/// <param name="Quota">Which quota, if any, the application competes in.</param>
public sealed record RankedApplication(decimal? Score, int? Priority, string? Status, QuotaKind Quota = QuotaKind.None);
