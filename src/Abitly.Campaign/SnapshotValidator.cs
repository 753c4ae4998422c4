using System.Globalization;
using Abitly.Domain.Ranking;
using Abitly.Domain.Scoring;

namespace Abitly.Campaign;

/// <summary>
/// The format's rules that JSON types cannot express (ranges, uniqueness, a weights table that makes a formula), checked on
/// an offer that has been read into the records. Cross-line rules (duplicate offer ids) are the reader's.
/// </summary>
public static class SnapshotValidator
{
    /// <summary>Every rule an offer breaks, in field order; empty when it is valid.</summary>
    public static IReadOnlyList<SnapshotError> Validate(SnapshotOffer offer, string file = "", int line = 0)
    {
        var errors = new List<SnapshotError>();
        Validate(offer, file, line, errors);
        return errors;
    }

    internal static void Validate(SnapshotOffer offer, string file, int line, List<SnapshotError> errors)
    {
        ArgumentNullException.ThrowIfNull(offer);
        void Error(string field, string message) => errors.Add(new SnapshotError(file, line, field, message));

        if (offer.EdboId < 1)
        {
            Error("edbo_id", $"{offer.EdboId} is not a valid offer id (must be 1 or more)");
        }

        if (offer.University is { } university)
        {
            if (university.EdboId is < 1)
            {
                Error("university.edbo_id", $"{university.EdboId} is not a valid university id (must be 1 or more, or null)");
            }

            RequireText(university.Name, "university.name", Error);
            RequireText(university.Region, "university.region", Error);
            OptionalText(university.ShortName, "university.short_name", Error);
        }

        if (offer.Speciality is { } speciality)
        {
            RequireText(speciality.Code, "speciality.code", Error);
            RequireText(speciality.Name, "speciality.name", Error);
        }

        RequireText(offer.Program, "program", Error);
        OptionalText(offer.Faculty, "faculty", Error);
        RequireText(offer.Form, "form", Error);
        RequireText(offer.Degree, "degree", Error);
        ValidatePlaces(offer, Error);

        if (offer.RegionalCoefficient is <= 0m or > SnapshotFormat.MaxRegionalCoefficient)
        {
            Error("regional_coefficient", $"{Show(offer.RegionalCoefficient)} is outside (0, 2]");
        }

        if (offer.SourceUrl is { } url && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)))
        {
            Error("source_url", $"{LineDiagnostics.Quote(url)} is not an absolute http(s) URL");
        }

        if (offer.MinBudgetScoreLastYear is { } lastYear && !IsScore(lastYear))
        {
            Error("min_budget_score_last_year", $"{Show(lastYear)} is outside 100–200");
        }

        if (offer.Weights is { } weights)
        {
            ValidateWeights(weights, Error);
        }

        if (offer.Applications is { } applications)
        {
            ValidateApplications(applications, Error);
        }
    }

    private static void ValidatePlaces(SnapshotOffer offer, Action<string, string> error)
    {
        if (offer.BudgetPlaces is < 0)
        {
            error("budget_places", $"{offer.BudgetPlaces} is negative");
        }

        if (offer.Quota1Places < 0)
        {
            error("quota1_places", $"{offer.Quota1Places} is negative");
        }

        if (offer.Quota2Places < 0)
        {
            error("quota2_places", $"{offer.Quota2Places} is negative");
        }

        if (offer.LicenseVolume is < 0)
        {
            error("license_volume", $"{offer.LicenseVolume} is negative");
        }

        if (offer.Quota1Places < 0 || offer.Quota2Places < 0 || offer.BudgetPlaces is < 0)
        {
            return;
        }

        var quota = (long)offer.Quota1Places + offer.Quota2Places;
        if (offer.BudgetPlaces is null && quota > 0)
        {
            error("quota1_places + quota2_places", $"a contract-only offer (budget_places null) cannot have quota places, found {quota}");
        }
        else if (quota > offer.BudgetPlaces)
        {
            error("quota1_places + quota2_places", $"{quota} quota places exceed the {offer.BudgetPlaces} budget places");
        }
    }

    private static void ValidateWeights(IReadOnlyList<SnapshotWeight> weights, Action<string, string> error)
    {
        if (weights.Count == 0)
        {
            return; // Not published yet: the offer has no formula, which is allowed.
        }

        var required = new int[SnapshotFormat.HistorySlot + 1];
        var creative = 0;
        var fourth = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < weights.Count; i++)
        {
            var path = $"weights[{i}]";
            var weight = weights[i];
            if (weight is null)
            {
                error(path, "expected an object, found null");
                continue;
            }

            switch (weight.Slot)
            {
                case SnapshotFormat.UkrainianSlot or SnapshotFormat.MathematicsSlot or SnapshotFormat.HistorySlot:
                    var expected = Subjects.Required[weight.Slot - 1];
                    if (weight.Subject != expected)
                    {
                        error(path + ".subject", $"slot {weight.Slot} must be {LineDiagnostics.Quote(expected)}, found {LineDiagnostics.Quote(weight.Subject)}");
                    }

                    if (++required[weight.Slot] == 2)
                    {
                        error(path + ".slot", $"slot {weight.Slot} ({expected}) appears more than once");
                    }

                    break;
                case SnapshotFormat.FourthSubjectSlot:
                    if (!Subjects.FourthOptions.Contains(weight.Subject))
                    {
                        error(path + ".subject", $"{LineDiagnostics.Quote(weight.Subject)} is not a 4th-subject option (expected one of {string.Join(", ", Subjects.FourthOptions.Order(StringComparer.Ordinal))})");
                    }
                    else if (!fourth.Add(weight.Subject))
                    {
                        error(path + ".subject", $"{LineDiagnostics.Quote(weight.Subject)} appears more than once in slot 4");
                    }

                    break;
                case SnapshotFormat.CreativeSlot:
                    if (weight.Subject != Subjects.Creative)
                    {
                        error(path + ".subject", $"slot 5 must be \"creative\", found {LineDiagnostics.Quote(weight.Subject)}");
                    }

                    if (++creative == 2)
                    {
                        error(path + ".slot", "slot 5 (creative) appears more than once");
                    }

                    break;
                default:
                    error(path + ".slot", $"{weight.Slot} is not a slot (1 ukr, 2 math, 3 hist, 4 a 4th subject, 5 creative)");
                    break;
            }

            if (weight.Coefficient is <= 0m or > 1m)
            {
                error(path + ".coefficient", $"{Show(weight.Coefficient)} is outside (0, 1]");
            }

            if (weight.MinScore is { } min && !IsScore(min))
            {
                error(path + ".min_score", $"{Show(min)} is outside 100–200");
            }
        }

        for (var slot = SnapshotFormat.UkrainianSlot; slot <= SnapshotFormat.HistorySlot; slot++)
        {
            if (required[slot] == 0)
            {
                error("weights", $"slot {slot} ({Subjects.Required[slot - 1]}) is missing; a published formula needs slots 1, 2 and 3");
            }
        }

        // With every coefficient in (0, 1] a formula always has a non-zero weight; this guards the rule if that range ever widens.
        if (weights.All(w => w is null || w.Coefficient <= 0m))
        {
            error("weights", "every coefficient is zero; the formula needs at least one non-zero weight");
        }
    }

    private static void ValidateApplications(IReadOnlyList<SnapshotApplication> applications, Action<string, string> error)
    {
        // Runs for every application of every offer, so field paths are built only when something is wrong.
        static string Path(int index, string field) => $"applications[{index}].{field}";

        // Positions usually arrive as 1..n in order; the dictionary is only built when they do not.
        Dictionary<int, int>? seen = null;
        var previous = 0;
        for (var i = 0; i < applications.Count; i++)
        {
            var application = applications[i];
            if (application is null)
            {
                error($"applications[{i}]", "expected an object, found null");
                continue;
            }

            if (application.Position < 1)
            {
                error(Path(i, "position"), $"{application.Position} is not a position (must be 1 or more)");
            }
            else if (seen is null && application.Position > previous)
            {
                previous = application.Position;
            }
            else
            {
                if (seen is null)
                {
                    seen = new Dictionary<int, int>(applications.Count);
                    for (var j = 0; j < i; j++)
                    {
                        if (applications[j] is { Position: >= 1 } earlier)
                        {
                            seen.TryAdd(earlier.Position, j);
                        }
                    }
                }

                if (!seen.TryAdd(application.Position, i))
                {
                    error(Path(i, "position"), $"position {application.Position} appears twice (also applications[{seen[application.Position]}])");
                }
            }

            if (string.IsNullOrWhiteSpace(application.Name))
            {
                error(Path(i, "name"), "must not be empty");
            }

            if (application.Score is { } score)
            {
                if (!IsScore(score))
                {
                    error(Path(i, "score"), $"{Show(score)} is outside 100–200");
                }
                else if (CompetitiveScoreCalculator.Round(score) != score)
                {
                    error(Path(i, "score"), $"{Show(score)} has more than 3 decimals");
                }
            }

            if (application.Priority is < SnapshotFormat.MinPriority or > SnapshotFormat.MaxPriority)
            {
                error(Path(i, "priority"), $"{application.Priority} is outside 1–5");
            }

            if (string.IsNullOrWhiteSpace(application.Status))
            {
                error(Path(i, "status"), "must not be empty");
            }

            if (application.Quota is not (QuotaKind.None or QuotaKind.Quota1 or QuotaKind.Quota2))
            {
                error(Path(i, "quota"), $"{(int)application.Quota} is not a quota kind");
            }
            else if (application.Quota != QuotaKind.None && application.Priority is null)
            {
                error(Path(i, "quota"), $"{QuotaKindJsonConverter.ToJson(application.Quota)} on a contract application (priority null); only budget applications compete in a quota");
            }

            if (application.PersonKey is { } key && !SnapshotFormat.IsValidPersonKey(key))
            {
                error(Path(i, "person_key"), $"{LineDiagnostics.Quote(key)} is not a person key (1–64 characters of A–Z, a–z, 0–9, _ and -)");
            }
        }
    }

    private static bool IsScore(decimal value) => value is >= SnapshotFormat.MinScore and <= SnapshotFormat.MaxScore;

    private static void RequireText(string? text, string field, Action<string, string> error)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            error(field, "must not be empty");
        }
    }

    private static void OptionalText(string? text, string field, Action<string, string> error)
    {
        if (text is not null && string.IsNullOrWhiteSpace(text))
        {
            error(field, "must not be empty (leave it out or use null when there is none)");
        }
    }

    private static string Show(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
