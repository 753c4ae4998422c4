using Abitly.Domain.Ranking;
using Abitly.Domain.Scoring;
using FsCheck;
using FsCheck.Fluent;

namespace Abitly.Campaign.Tests;

/// <summary>FsCheck generators of valid snapshot records, with awkward text (quotes, backslashes, apostrophes, control characters).</summary>
internal static class OfferGenerators
{
    private const string Alphabet = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюяАБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯabcXYZ0123456789 '’ʼ-.«»\"\\/\t\n😀";
    private const string KeyAlphabet = "ABCxyz0189_-";

    public static Gen<string> Text(int maxLength = 40) =>
        from length in Gen.Choose(1, maxLength)
        from chars in Gen.ArrayOf(Gen.Elements(Alphabet.EnumerateRunes().Select(r => r.ToString()).ToArray()), length)
        let text = string.Concat(chars)
        select string.IsNullOrWhiteSpace(text) ? "x" + text : text;

    public static Gen<string?> OptionalText() => Gen.Frequency((1, Gen.Constant<string?>(null)), (3, Text().Select(t => (string?)t)));

    /// <summary>A score on the 100–200 scale with up to 3 decimals, or null now and then.</summary>
    public static Gen<decimal?> Score() =>
        Gen.Frequency(
            (1, Gen.Constant<decimal?>(null)),
            (12, Gen.Choose(0, 100_000).Select(k => (decimal?)(100m + (k / 1000m)))));

    public static Gen<SnapshotApplication> Application(int position) =>
        from name in Text()
        from score in Score()
        from priority in Gen.Frequency((1, Gen.Constant<int?>(null)), (4, Gen.Choose(1, 5).Select(p => (int?)p)))
        from status in Gen.Elements("Допущено", "Зареєстровано", "Скасовано вступником", "Відмова", "Рекомендовано (бюджет)")
        from quota in Gen.Elements(QuotaKind.None, QuotaKind.None, QuotaKind.Quota1, QuotaKind.Quota2)
        from keyLength in Gen.Choose(0, 64)
        from key in Gen.ArrayOf(Gen.Elements(KeyAlphabet.ToCharArray()), keyLength)
        select new SnapshotApplication(position, name, score, priority, status, priority is null ? QuotaKind.None : quota, keyLength == 0 ? null : new string(key));

    public static Gen<IReadOnlyList<SnapshotWeight>> Weights()
    {
        var coefficient = Gen.Choose(1, 100).Select(k => k / 100m);
        var minimum = Gen.Frequency((4, Gen.Constant<decimal?>(null)), (1, Gen.Choose(100, 200).Select(m => (decimal?)m)));
        var published =
            from k1 in coefficient
            from k2 in coefficient
            from k3 in coefficient
            from min in minimum
            from fourth in Gen.SubListOf(Subjects.FourthOptions.Order(StringComparer.Ordinal).ToArray())
            from fourthWeights in Gen.ArrayOf(coefficient, fourth.Count)
            from creative in Gen.Frequency((3, Gen.Constant<decimal?>(null)), (1, coefficient.Select(c => (decimal?)c)))
            select (IReadOnlyList<SnapshotWeight>)
            [
                new SnapshotWeight(1, Subjects.Ukrainian, k1, min),
                new SnapshotWeight(2, Subjects.Mathematics, k2),
                new SnapshotWeight(3, Subjects.History, k3),
                .. fourth.Select((subject, i) => new SnapshotWeight(4, subject, fourthWeights[i])),
                .. creative is { } kt ? [new SnapshotWeight(5, Subjects.Creative, kt)] : Array.Empty<SnapshotWeight>(),
            ];
        return Gen.Frequency((1, Gen.Constant<IReadOnlyList<SnapshotWeight>>([])), (5, published));
    }

    public static Gen<SnapshotOffer> Offer(long edboId) =>
        from university in
            from name in Text()
            from region in Text(20)
            from id in Gen.Frequency((1, Gen.Constant<long?>(null)), (3, Gen.Choose(1, 100_000).Select(i => (long?)i)))
            from shortName in OptionalText()
            select new SnapshotUniversity(name, region, id, shortName)
        from code in Gen.Elements("F3", "C3", "D8", "121", "I2")
        from specialityName in Text()
        from program in Text()
        from form in Gen.Elements("Денна", "Заочна")
        from budget in Gen.Frequency((1, Gen.Constant<int?>(null)), (4, Gen.Choose(0, 500).Select(b => (int?)b)))
        from quota1Share in Gen.Choose(0, 10)
        from quota2Share in Gen.Choose(0, 5)
        from regional in Gen.Elements(1.00m, 1.04m, 1.07m, 0.5m, 2m)
        from sectoral in Gen.Elements(true, false)
        from weights in Weights()
        from count in Gen.Choose(0, 30)
        from applications in Gen.CollectToArray(Enumerable.Range(1, count).Select(Application))
        from faculty in OptionalText()
        from license in Gen.Frequency((1, Gen.Constant<int?>(null)), (1, Gen.Choose(0, 2_000).Select(l => (int?)l)))
        from preparatory in Gen.Elements(true, false)
        from url in Gen.Elements<string?>(null, $"https://vstup.edbo.gov.ua/offer/{edboId}/")
        from lastYear in Score()
        select new SnapshotOffer(
            edboId,
            university,
            new SnapshotSpeciality(code, specialityName),
            program,
            form,
            "Бакалавр",
            budget,
            (budget ?? 0) * quota1Share / 100,
            (budget ?? 0) * quota2Share / 100,
            regional,
            sectoral,
            weights,
            applications,
            faculty,
            license,
            preparatory,
            url,
            lastYear);

    /// <summary>1–4 valid offers with distinct ids.</summary>
    public static Arbitrary<SnapshotOffer[]> Offers() =>
        (from count in Gen.Choose(1, 4)
         from offers in Gen.CollectToArray(Enumerable.Range(0, count).Select(i => Offer(1_400_000 + i)))
         select offers).ToArbitrary();
}
