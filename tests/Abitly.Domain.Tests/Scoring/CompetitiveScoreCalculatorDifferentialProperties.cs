using System.Collections.ObjectModel;
using System.Globalization;
using System.Text;
using Abitly.Domain.Scoring;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Abitly.Domain.Tests.Scoring;

/// <summary>
/// The allocation-free <see cref="CompetitiveScoreCalculator"/> against <see cref="ReferenceCompetitiveScoreCalculator"/>,
/// the implementation it replaced: the same outcome for any offer and grades — every figure with its decimal scale (so
/// "150" and "150.000" differ, as they would in a message), every list in order, and the same exception where one is thrown.
/// </summary>
public class CompetitiveScoreCalculatorDifferentialProperties
{
    private static readonly string[] FourthOptions = ["eng", "ger", "fra", "spa", "bio", "chem", "phys", "geo", "lit"];

    [Property(MaxTest = 10_000)]
    public Property The_calculator_gives_exactly_what_the_reference_gives() => Prop.ForAll(Arb.From(Cases()), @case =>
    {
        var expected = Describe(() => ReferenceCompetitiveScoreCalculator.Calculate(@case.Offer, @case.Grades));
        var actual = Describe(() => CompetitiveScoreCalculator.Calculate(@case.Offer, @case.Grades));
        Assert.Equal(expected, actual);
    });

    [Fact]
    public void The_generated_cases_cover_every_branch_of_the_formula()
    {
        // A property that only ever met one branch would prove little: 2,000 cases must reach each kind of outcome. Every
        // branch is reached by more than 2 % of the cases, so missing one by chance is less likely than 1 in 10^17.
        var outcomes = Gen.Sample(Cases(), 2_000)
            .Select(c => Describe(() => ReferenceCompetitiveScoreCalculator.Calculate(c.Offer, c.Grades)))
            .ToList();
        var branches = new (string Name, Func<string, bool> Reached)[]
        {
            ("a score with a 4th subject", o => o.StartsWith("score", StringComparison.Ordinal) && !o.Contains("fourth=-", StringComparison.Ordinal)),
            ("a score of a three-subject offer", o => o.StartsWith("score", StringComparison.Ordinal) && o.Contains("fourth=-", StringComparison.Ordinal)),
            ("a subject below its minimum", o => o.Contains("below=[", StringComparison.Ordinal) && !o.Contains("below=[]", StringComparison.Ordinal)),
            ("a missing required subject", o => o.Contains("missing=[", StringComparison.Ordinal) && !o.Contains("missing=[]", StringComparison.Ordinal)),
            ("a missing creative score", o => o.Contains("creative], missingFourth", StringComparison.Ordinal)),
            ("no 4th-subject option held", o => o.Contains("missingFourth=[", StringComparison.Ordinal) && !o.Contains("missingFourth=[]", StringComparison.Ordinal)),
            ("invalid preparatory points", o => o.Contains("prep]", StringComparison.Ordinal)),
            ("an invalid grade beside a score", o => o.StartsWith("score", StringComparison.Ordinal) && !o.Contains("invalid=[]", StringComparison.Ordinal)),
            ("a score below the budget threshold", o => o.Contains("meets=False", StringComparison.Ordinal)),
            ("a score capped at 200", o => o.Contains("p12=200,", StringComparison.Ordinal) || o.Contains("p12=200.", StringComparison.Ordinal)),
            ("ГК making a difference", o => o.Contains("differs=True", StringComparison.Ordinal)),
            ("a rejected offer", o => o.StartsWith("throws ArgumentException", StringComparison.Ordinal)),
            ("an overflow", o => o.StartsWith("throws OverflowException", StringComparison.Ordinal)),
            ("a zero denominator", o => o.StartsWith("throws DivideByZeroException", StringComparison.Ordinal)),
        };

        Assert.Empty(branches.Where(b => !outcomes.Any(b.Reached)).Select(b => b.Name));
    }

    [Fact]
    public void Equal_scores_of_two_4th_subjects_go_to_the_first_in_ordinal_order_whatever_the_dictionarys_order()
    {
        // English and German weigh the same and the applicant has 152 in both: the two scores are equal, and "eng" < "ger".
        // The weights differ only in scale (0.50 and 0.5), so the winner also decides the scale of К4max and of the score.
        var offer = new OfferWeights(2025, 0.45m, 0.40m, 0.40m, new Dictionary<string, decimal>(StringComparer.Ordinal)
        {
            [Subjects.German] = 0.5m,
            [Subjects.English] = 0.50m,
        });
        var grades = new ApplicantGrades(new Dictionary<string, decimal>(StringComparer.Ordinal)
        {
            [Subjects.German] = 152m,
            [Subjects.Ukrainian] = 186m,
            [Subjects.Mathematics] = 167m,
            [Subjects.History] = 168m,
            [Subjects.English] = 152m,
        });

        var score = CompetitiveScoreCalculator.Calculate(offer, grades).Score!;

        Assert.Equal(Subjects.English, score.FourthSubject);
        Assert.Equal(167.829m, score.Base); // 293.7 / 1.75, the worked example of DESIGN §7.2
        Assert.Equal(
            Describe(() => ReferenceCompetitiveScoreCalculator.Calculate(offer, grades)),
            Describe(() => CompetitiveScoreCalculator.Calculate(offer, grades)));
    }

    [Fact]
    public void The_scale_of_a_score_follows_the_first_of_equal_maximum_4th_weights()
    {
        // Biology 0.50 and physics 0.5 are both К4max; LINQ's Max, which the formula used, keeps the first: 0.50.
        // Numerator 0.2·190.5 + 0.2·190.5 + 0.4·190.5 + 0·0 = 152.40, + 0.3·160 = 48.0 → 200.40.
        // Denominator 0.8 + (0.50 + 0.3)/2 = 0.8 + 0.40 = 1.20; 200.40 / 1.20 = 167 exactly, with no decimals (with 0.5 as
        // К4max it would be 200.40 / 1.2 = 167.0, which prints differently). × РК 1.00 = 167.00.
        var offer = new OfferWeights(2025, 0.2m, 0.2m, 0.4m, new Dictionary<string, decimal>(StringComparer.Ordinal)
        {
            [Subjects.Biology] = 0.50m,
            [Subjects.English] = 0.3m,
            [Subjects.Physics] = 0.5m,
        });
        var grades = new ApplicantGrades(new Dictionary<string, decimal>(StringComparer.Ordinal)
        {
            [Subjects.Ukrainian] = 190.5m,
            [Subjects.Mathematics] = 190.5m,
            [Subjects.History] = 190.5m,
            [Subjects.English] = 160m,
        });

        var score = CompetitiveScoreCalculator.Calculate(offer, grades).Score!;

        Assert.Equal("167", score.Base.ToString(CultureInfo.InvariantCulture));
        Assert.Equal("167.00", score.WithoutPriorityBonus.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(
            Describe(() => ReferenceCompetitiveScoreCalculator.Calculate(offer, grades)),
            Describe(() => CompetitiveScoreCalculator.Calculate(offer, grades)));
    }

    /// <summary>One call's result as text: decimals in invariant culture keep their scale, lists keep their order.</summary>
    private static string Describe(Func<ScoreOutcome> calculate)
    {
        ScoreOutcome outcome;
        try
        {
            outcome = calculate();
        }
        catch (Exception e) when (e is ArgumentException or ArithmeticException)
        {
            return $"throws {e.GetType().Name}: {e.Message}";
        }

        static string List(IReadOnlyList<string> items) => "[" + string.Join(",", items) + "]";
        var text = new StringBuilder();
        if (outcome.Score is { } score)
        {
            text.Append(CultureInfo.InvariantCulture, $"score base={score.Base}, p12={score.WithPriorityBonus}, other={score.WithoutPriorityBonus}, ")
                .Append(CultureInfo.InvariantCulture, $"fourth={score.FourthSubject ?? "-"}, threshold={score.BudgetThreshold}, meets={score.MeetsBudgetThreshold}, ")
                .Append(CultureInfo.InvariantCulture, $"differs={score.PriorityBonusDiffers}, below={List(score.SubjectsBelowMinimum)}; ");
        }
        else
        {
            text.Append("no score; ");
        }

        return text.Append(CultureInfo.InvariantCulture, $"has={outcome.HasScore}, missing={List(outcome.MissingSubjects)}, missingFourth={List(outcome.MissingFourthSubjectOptions)}, invalid={List(outcome.InvalidGrades)}")
            .ToString();
    }

    private static Gen<ScoreCase> Cases() =>
        from offer in Offers()
        from grades in Grades()
        select new ScoreCase(offer, grades);

    private static Gen<OfferWeights> Offers() =>
        from year in Gen.Elements(2022, 2023, 2024, 2025, 2026)
        from extreme in Gen.Frequency((6, Gen.Constant(Extreme.None)), (1, Gen.Constant(Extreme.Negative)), (1, Gen.Constant(Extreme.Huge)))
        from onlyFourth in Gen.Frequency((5, Gen.Constant(false)), (1, Gen.Constant(true))) // К1–К3 = 0: a 0 denominator up to 2024
        from ukr in onlyFourth ? Gen.Constant(0m) : Weight(extreme)
        from math in onlyFourth ? Gen.Constant(0m) : Weight(extreme)
        from hist in onlyFourth ? Gen.Constant(0m) : Weight(extreme)
        from fourth in onlyFourth
            ? Entries(FourthOptions, Gen.Elements(0m, 0.5m), present: 1, absent: 1)
            : Gen.Frequency((1, Gen.Constant(Array.Empty<KeyValuePair<string, decimal>>())), (5, Entries(FourthOptions, Weight(extreme), present: 4, absent: 1)))
        from fourthKind in DictionaryKind()
        from creative in onlyFourth ? Gen.Constant<decimal?>(null) : Gen.Frequency((3, Gen.Constant<decimal?>(null)), (1, Weight(extreme).Select(w => (decimal?)w)))
        from regional in Gen.Frequency(
            (8, Gen.Elements(1.00m, 1.04m, 1.07m, 1m, 1.0m)),
            (3, Gen.Choose(900, 2000).Select(r => r / 1000m)),
            (1, Gen.Choose(1, 2000).Select(r => r / 1000m)),
            (extreme == Extreme.Negative ? 3 : 0, Gen.Elements(0m, -1.07m)))
        from sectoral in Gen.Elements<bool?>(null, null, true, false)
        from speciality in Gen.Elements<string?>(null, "", " ", "C3", "D8", "d8", "C1", "F3", " f3 ", "121", "E6", "A3", "B11", "I2")
        from minimums in Gen.Frequency(
            (3, Gen.Constant<Dictionary<string, decimal>?>(null)),
            (1, Entries([.. FourthOptions, "ukr", "math", "hist", "creative"], Gen.Choose(100, 200).Select(m => (decimal)m), present: 1, absent: 2)
                .Select(e => (Dictionary<string, decimal>?)new Dictionary<string, decimal>(e, StringComparer.Ordinal))))
        select new OfferWeights(
            year,
            ukr,
            math,
            hist,
            Dictionary(fourth, fourthKind),
            creative,
            regional,
            sectoral,
            speciality,
            minimums);

    private static Gen<ApplicantGrades> Grades() =>
        from required in Entries(["ukr", "math", "hist"], Grade(), present: 20, absent: 1)
        from fourth in Entries(FourthOptions, Grade(), present: 1, absent: 4)
        from extra in Entries(["ENG", "creative", "prep", "xyz"], Grade(), present: 1, absent: 3)
        from twins in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true))) // every 4th subject the same grade: ties
        from order in Gen.Shuffle(required.Concat(twins ? fourth.Select(f => KeyValuePair.Create(f.Key, fourth[0].Value)) : fourth).Concat(extra))
        from kind in DictionaryKind()
        from creative in Gen.Frequency((5, Gen.Constant<decimal?>(null)), (3, Grade().Select(g => (decimal?)g)))
        from preparatory in Gen.Frequency(
            (6, Gen.Constant(0m)),
            (2, Gen.Choose(0, 10).Select(p => (decimal)p)),
            (1, Gen.Elements(0.5m, 10.0m, 10.5m, -1m, 12m, 0.00m)))
        select new ApplicantGrades(Dictionary(order, kind), creative, preparatory);

    /// <summary>Weights as offers publish them (with different scales: 0.5 and 0.50) and zero; in some offers, negative or overflowing ones.</summary>
    private static Gen<decimal> Weight(Extreme extreme) => Gen.Frequency(
        (10, Gen.Elements(0.1m, 0.2m, 0.20m, 0.25m, 0.3m, 0.30m, 0.35m, 0.4m, 0.40m, 0.45m, 0.5m, 0.50m, 1m, 1.00m)),
        (4, Gen.Choose(0, 1000).Select(w => w / 1000m)),
        (1, Gen.Elements(0m, 0.00m)),
        (extreme == Extreme.Negative ? 2 : 0, Gen.Constant(-0.1m)),
        (extreme == Extreme.Huge ? 4 : 0, Gen.Elements(7.9e27m, decimal.MaxValue / 3m)));

    /// <summary>Offers whose weights the calculator must reject or cannot compute with.</summary>
    private enum Extreme
    {
        None,
        Negative,
        Huge,
    }

    /// <summary>Grades on the scale (integers, fractions, the bounds) and off it.</summary>
    private static Gen<decimal> Grade() => Gen.Frequency(
        (16, Gen.Choose(100, 200).Select(g => (decimal)g)),
        (2, Gen.Choose(1000, 2000).Select(g => g / 10m)),
        (1, Gen.Elements(100m, 200m, 200.0m, 100.000m)),
        (1, Gen.Elements(99m, 201m, 0m, -5m, 99.999m, 200.001m, 1000m)));

    /// <summary>Each key present with odds present : absent, in a shuffled order.</summary>
    private static Gen<KeyValuePair<string, decimal>[]> Entries(string[] keys, Gen<decimal> values, int present, int absent) =>
        from isPresent in Gen.ArrayOf(Gen.Frequency((present, Gen.Constant(true)), (absent, Gen.Constant(false))), keys.Length)
        from chosen in Gen.ArrayOf(values, keys.Length)
        from order in Gen.Shuffle(Enumerable.Range(0, keys.Length))
        select order.Where(i => isPresent[i]).Select(i => KeyValuePair.Create(keys[i], chosen[i])).ToArray();

    /// <summary>0 ordinal (as the app builds them), 1 case-insensitive, 2 a read-only wrapper, 3 a sorted dictionary.</summary>
    private static Gen<int> DictionaryKind() => Gen.Frequency((6, Gen.Constant(0)), (1, Gen.Constant(1)), (1, Gen.Constant(2)), (1, Gen.Constant(3)));

    private static IReadOnlyDictionary<string, decimal> Dictionary(IEnumerable<KeyValuePair<string, decimal>> entries, int kind)
    {
        var comparer = kind == 1 ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        var dictionary = new Dictionary<string, decimal>(comparer);
        foreach (var (key, value) in entries)
        {
            dictionary.TryAdd(key, value); // "ENG" and "eng" are one key when case is ignored
        }

        return kind switch
        {
            2 => new ReadOnlyDictionary<string, decimal>(dictionary),
            3 => new SortedDictionary<string, decimal>(dictionary, StringComparer.Ordinal),
            _ => dictionary,
        };
    }

    /// <summary>A generated case that prints its contents when the property fails.</summary>
    public sealed record ScoreCase(OfferWeights Offer, ApplicantGrades Grades)
    {
        public override string ToString()
        {
            static string Show(IReadOnlyDictionary<string, decimal>? d) => d is null ? "null"
                : $"{d.GetType().Name}{{{string.Join(", ", d.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}={p.Value}")))}}}";
            return string.Create(
                CultureInfo.InvariantCulture,
                $"offer year={Offer.Year} k1={Offer.UkrainianWeight} k2={Offer.MathematicsWeight} k3={Offer.HistoryWeight} k4={Show(Offer.FourthSubjectWeights)} kt={Offer.CreativeWeight} rk={Offer.RegionalCoefficient} sectoral={Offer.SectoralCoefficientApplies} code='{Offer.SpecialityCode}' min={Show(Offer.MinScores)}; grades={Show(Grades.Scores)} creative={Grades.CreativeScore} prep={Grades.PreparatoryPoints}");
        }
    }
}
