using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Abitly.Domain.Ranking;
using static Abitly.Campaign.Tests.SnapshotText;

namespace Abitly.Campaign.Tests;

public class OfferContentHashTests
{
    private static SnapshotOffer Read(string json) => JsonSerializer.Deserialize(json, CampaignJsonContext.Default.SnapshotOffer)!;

    private static string HashOf(JsonNode offer) => OfferContentHash.Compute(Read(offer.ToJsonString()));

    [Fact]
    public void The_hash_is_64_lowercase_hex_digits() =>
        Assert.Matches("^[0-9a-f]{64}$", HashOf(Offer()));

    [Fact]
    public void Whitespace_key_order_and_unknown_properties_do_not_count()
    {
        var compact = Offer().ToJsonString();
        var reordered = new JsonObject(Offer().Reverse().Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
        reordered["comment"] = "added by a later exporter";
        var indented = reordered.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

        Assert.NotEqual(compact, indented);
        Assert.Equal(OfferContentHash.Compute(Read(compact)), OfferContentHash.Compute(Read(indented)));
    }

    [Fact]
    public void Trailing_zeros_of_numbers_do_not_count()
    {
        var a = Mutated(o =>
        {
            o["regional_coefficient"] = JsonNode.Parse("1");
            o["applications"]![0]!["score"] = JsonNode.Parse("195.1");
        });
        var b = Mutated(o =>
        {
            o["regional_coefficient"] = JsonNode.Parse("1.000");
            o["applications"]![0]!["score"] = JsonNode.Parse("195.100");
        });

        Assert.Equal(HashOf(a), HashOf(b));
    }

    [Fact]
    public void The_order_of_applications_and_weights_in_the_line_does_not_count()
    {
        var shuffled = Mutated(o =>
        {
            var applications = o["applications"]!.AsArray().Select(a => a!.DeepClone()).Reverse().ToArray();
            o["applications"] = new JsonArray(applications);
            var weights = o["weights"]!.AsArray().Select(w => w!.DeepClone()).Reverse().ToArray();
            o["weights"] = new JsonArray(weights);
        });

        Assert.Equal(HashOf(Offer()), HashOf(shuffled));
    }

    [Fact]
    public void An_absent_optional_field_is_the_same_as_null()
    {
        var absent = Mutated(o => o.Remove("faculty"));
        var explicitNull = Mutated(o => o["faculty"] = null);

        Assert.Equal(HashOf(absent), HashOf(explicitNull));
    }

    public static TheoryData<string> Changes => new()
    {
        "edbo_id", "university.edbo_id", "university.name", "university.region", "university.short_name", "speciality.code",
        "speciality.name", "program", "faculty", "form", "degree", "budget_places", "budget_places null", "quota1_places",
        "quota2_places", "license_volume", "regional_coefficient", "sectoral_coefficient", "preparatory_points_apply",
        "weights[3].coefficient", "weights[3].subject", "weights[1].min_score", "weights removed", "source_url",
        "min_budget_score_last_year", "applications[0].score", "applications[0].score null", "applications[0].position",
        "applications[1].name", "applications[1].priority", "applications[2].status", "applications[1].quota",
        "applications[0].person_key", "applications[3] removed",
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void Any_change_of_content_changes_the_hash(string change)
    {
        var changed = Mutated(o =>
        {
            switch (change)
            {
                case "edbo_id": o["edbo_id"] = 1402002; break;
                case "university.edbo_id": o["university"]!["edbo_id"] = 42; break;
                case "university.name": o["university"]!["name"] = "Інший університет"; break;
                case "university.region": o["university"]!["region"] = "Львівська область"; break;
                case "university.short_name": o["university"]!["short_name"] = "ІУ"; break;
                case "speciality.code": o["speciality"]!["code"] = "F2"; break;
                case "speciality.name": o["speciality"]!["name"] = "Комп’ютерні науки"; break;
                case "program": o["program"] = "Штучний інтелект"; break;
                case "faculty": o["faculty"] = null; break;
                case "form": o["form"] = "Заочна"; break;
                case "degree": o["degree"] = "Магістр"; break;
                case "budget_places": o["budget_places"] = 11; break;
                case "budget_places null": o["budget_places"] = null; o["quota1_places"] = 0; o["quota2_places"] = 0; break;
                case "quota1_places": o["quota1_places"] = 0; break;
                case "quota2_places": o["quota2_places"] = 0; break;
                case "license_volume": o["license_volume"] = 61; break;
                case "regional_coefficient": o["regional_coefficient"] = 1.04m; break;
                case "sectoral_coefficient": o["sectoral_coefficient"] = false; break;
                case "preparatory_points_apply": o["preparatory_points_apply"] = true; break;
                case "weights[3].coefficient": o["weights"]![3]!["coefficient"] = 0.31m; break;
                case "weights[3].subject": o["weights"]![3]!["subject"] = "ger"; break;
                case "weights[1].min_score": o["weights"]![1]!["min_score"] = 130; break;
                case "weights removed": o["weights"] = new JsonArray(); break;
                case "source_url": o.Remove("source_url"); break;
                case "min_budget_score_last_year": o["min_budget_score_last_year"] = 180.501m; break;
                case "applications[0].score": o["applications"]![0]!["score"] = 195.124m; break;
                case "applications[0].score null": o["applications"]![0]!["score"] = null; break;
                case "applications[0].position": o["applications"]![0]!["position"] = 5; break;
                case "applications[1].name": o["applications"]![1]!["name"] = "Коваленко М. О."; break;
                case "applications[1].priority": o["applications"]![1]!["priority"] = 3; break;
                case "applications[2].status": o["applications"]![2]!["status"] = "Скасовано вступником"; break;
                case "applications[1].quota": o["applications"]![1]!["quota"] = "quota2"; break;
                case "applications[0].person_key": o["applications"]![0]!["person_key"] = "pa9"; break;
                case "applications[3] removed": o["applications"]!.AsArray().RemoveAt(3); break;
                default: throw new ArgumentOutOfRangeException(nameof(change), change, "No such change.");
            }
        });

        Assert.NotEqual(HashOf(Offer()), HashOf(changed));
    }

    [Fact]
    public void The_hash_is_the_documented_encoding()
    {
        // docs/import-format.md, "Content hash", done by hand for a small offer: tags 0 null, 1 text (int32 length, UTF-8),
        // 2 integer (int64), 3 number (1-byte length, invariant digits without trailing zeros), 4 false, 5 true, 6 list (int32 count).
        // The programme name is longer than the hash's 64 KiB buffer, so it goes through in pieces.
        var program = string.Concat(Enumerable.Repeat("Програма ", 5_000));
        var offer = new SnapshotOffer(
            77,
            new SnapshotUniversity("Університет", "м. Київ", EdboId: null, ShortName: "У"),
            new SnapshotSpeciality("F3", "Комп'ютерні науки"),
            program,
            "Денна",
            "Бакалавр",
            BudgetPlaces: 5,
            Quota1Places: 1,
            Quota2Places: 0,
            RegionalCoefficient: 1.070m,
            SectoralCoefficient: true,
            Weights: [new SnapshotWeight(2, "math", 0.50m), new SnapshotWeight(1, "ukr", 0.3m, 130m)],
            Applications:
            [
                new SnapshotApplication(2, "Б", null, null, "Зареєстровано", QuotaKind.None),
                new SnapshotApplication(1, "А", 150.250m, 1, "Допущено", QuotaKind.Quota1, "k1"),
            ]);

        using var bytes = new MemoryStream();
        void Text(string? s)
        {
            if (s is null)
            {
                bytes.WriteByte(0);
                return;
            }

            var utf8 = Encoding.UTF8.GetBytes(s);
            bytes.WriteByte(1);
            var le = new byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(le, utf8.Length);
            bytes.Write(le);
            bytes.Write(utf8);
        }

        void Integer(long? n)
        {
            if (n is null)
            {
                bytes.WriteByte(0);
                return;
            }

            bytes.WriteByte(2);
            var le = new byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(le, n.Value);
            bytes.Write(le);
        }

        void Number(string? digits)
        {
            if (digits is null)
            {
                bytes.WriteByte(0);
                return;
            }

            bytes.WriteByte(3);
            bytes.WriteByte((byte)digits.Length);
            bytes.Write(Encoding.ASCII.GetBytes(digits));
        }

        void Boolean(bool b) => bytes.WriteByte(b ? (byte)5 : (byte)4);
        void List(int count)
        {
            bytes.WriteByte(6);
            var le = new byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(le, count);
            bytes.Write(le);
        }

        Text("abitly-offer-v1");
        Integer(77);
        Integer(null);
        Text("Університет");
        Text("м. Київ");
        Text("У");
        Text("F3");
        Text("Комп'ютерні науки");
        Text(program);
        Text("Денна");
        Text("Бакалавр");
        Integer(5);
        Integer(1);
        Integer(0);
        Number("1.07");
        Boolean(true);
        List(2);
        Integer(1); Text("ukr"); Number("0.3"); Number("130"); // slot order: slot 1 first
        Integer(2); Text("math"); Number("0.5"); Number(null);
        List(2);
        Integer(1); Text("А"); Number("150.25"); Integer(1); Text("Допущено"); Text("quota1"); Text("k1"); // position order
        Integer(2); Text("Б"); Number(null); Integer(null); Text("Зареєстровано"); Text("none"); Text(null);
        Text(null); // faculty
        Integer(null); // license_volume
        Boolean(false); // preparatory_points_apply
        Text(null); // source_url
        Number(null); // min_budget_score_last_year

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes.ToArray())), OfferContentHash.Compute(offer));
    }

    [Fact]
    public void A_text_longer_than_the_hash_buffer_is_hashed_whole()
    {
        var longName = new string('я', 70_000);
        var a = Read(Mutated(o => o["program"] = longName).ToJsonString());
        var b = Read(Mutated(o => o["program"] = longName[..^1] + "ю").ToJsonString());

        Assert.NotEqual(OfferContentHash.Compute(a), OfferContentHash.Compute(b));
        Assert.Equal(OfferContentHash.Compute(a), OfferContentHash.Compute(Read(Mutated(o => o["program"] = longName).ToJsonString())));
    }
}
