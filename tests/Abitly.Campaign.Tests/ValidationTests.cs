using System.Text.Json.Nodes;
using static Abitly.Campaign.Tests.SnapshotText;

namespace Abitly.Campaign.Tests;

// Each rule of the format, broken once on line 2 of an otherwise valid file; the expected operator text is written out
// in full, so a wrong line, field path or wording fails the test.
public class ValidationTests
{
    [Fact]
    public async Task The_baseline_offer_is_valid_and_reads_into_the_records()
    {
        var result = await ReadAsync(Header, Line(Offer()));

        Assert.Empty(result.Errors);
        var entry = Assert.Single(result.Entries);
        Assert.True(entry.IsValid);
        Assert.Equal(2, entry.Line);
        Assert.Equal(1402001, entry.EdboId);
        var offer = entry.Offer!;
        Assert.Equal(10, offer.BudgetPlaces);
        Assert.Equal(4, offer.Applications.Count);
        Assert.Equal(Abitly.Domain.Ranking.QuotaKind.Quota1, offer.Applications[1].Quota);
        Assert.Null(offer.Applications[2].Priority);
        Assert.Null(offer.Applications[3].Score);
        Assert.Null(offer.Applications[3].PersonKey);
        Assert.Equal(195.123m, offer.Applications[0].Score);
    }

    [Fact]
    public async Task Malformed_json_names_the_line_and_the_byte()
    {
        var result = await ReadAsync(Header, """{"edbo_id":1402001,"program":"x",}""");

        var error = Assert.Single(result.Errors);
        Assert.Equal(2, error.Line);
        Assert.Equal("", error.Field);
        Assert.StartsWith("malformed JSON at byte 34", error.Message, StringComparison.Ordinal);
        Assert.Null(Assert.Single(result.Entries).Offer);
    }

    [Fact]
    public async Task A_wrong_type_names_the_field_and_both_types() =>
        Assert.Equal(
            ["test.jsonl:2: applications[1].priority: wrong type: expected a whole number, found the string \"2\""],
            await ErrorsOfOfferAsync(Mutated(o => o["applications"]![1]!["priority"] = "2")));

    [Fact]
    public async Task A_fraction_where_a_whole_number_belongs_is_reported() =>
        Assert.Equal(
            ["test.jsonl:2: budget_places: 10.5 is not a whole number in range"],
            await ErrorsOfOfferAsync(Mutated(o => o["budget_places"] = 10.5m)));

    [Fact]
    public async Task Every_wrong_field_of_a_rejected_line_is_reported_together()
    {
        var errors = await ErrorsOfOfferAsync(Mutated(o =>
        {
            o.Remove("program");
            o["sectoral_coefficient"] = "yes";
            o["university"]!["name"] = null;
            o["weights"]![2] = 3;
        }));

        Assert.Equal(
            [
                "test.jsonl:2: university.name: must not be null; expected a string",
                "test.jsonl:2: program: is missing (required)",
                "test.jsonl:2: sectoral_coefficient: wrong type: expected true or false, found the string \"yes\"",
                "test.jsonl:2: weights[2]: expected an object, found the number 3",
            ],
            errors);
    }

    [Fact]
    public async Task A_missing_required_field_of_an_application_is_reported_with_its_index() =>
        Assert.Equal(
            ["test.jsonl:2: applications[2].status: is missing (required)"],
            await ErrorsOfOfferAsync(Mutated(o => o["applications"]![2]!.AsObject().Remove("status"))));

    [Fact]
    public async Task A_missing_nullable_field_is_still_required() =>
        Assert.Equal(
            ["test.jsonl:2: budget_places: is missing (required)"],
            await ErrorsOfOfferAsync(Mutated(o => o.Remove("budget_places"))));

    [Theory]
    [InlineData("99.999", "99.999 is outside 100–200")]
    [InlineData("200.001", "200.001 is outside 100–200")]
    [InlineData("150.1234", "150.1234 has more than 3 decimals")]
    public async Task Scores_must_be_on_the_scale_with_three_decimals(string score, string message) =>
        Assert.Equal(
            [$"test.jsonl:2: applications[0].score: {message}"],
            await ErrorsOfOfferAsync(Mutated(o => o["applications"]![0]!["score"] = JsonNode.Parse(score))));

    [Fact]
    public async Task Trailing_zeros_do_not_count_as_decimals() =>
        Assert.Empty(await ErrorsOfOfferAsync(Mutated(o => o["applications"]![0]!["score"] = JsonNode.Parse("195.1230000"))));

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(7)]
    public async Task Priorities_must_be_1_to_5(int priority) =>
        Assert.Equal(
            [$"test.jsonl:2: applications[3].priority: {priority} is outside 1–5"],
            await ErrorsOfOfferAsync(Mutated(o => o["applications"]![3]!["priority"] = priority)));

    [Fact]
    public async Task An_unknown_quota_kind_is_reported() =>
        Assert.Equal(
            ["test.jsonl:2: applications[0].quota: unknown quota kind \"quota3\"; expected \"none\", \"quota1\" or \"quota2\""],
            await ErrorsOfOfferAsync(Mutated(o => o["applications"]![0]!["quota"] = "quota3")));

    [Fact]
    public async Task Quota_kinds_are_case_sensitive() =>
        Assert.Equal(
            ["test.jsonl:2: applications[0].quota: unknown quota kind \"None\"; expected \"none\", \"quota1\" or \"quota2\""],
            await ErrorsOfOfferAsync(Mutated(o => o["applications"]![0]!["quota"] = "None")));

    [Fact]
    public async Task A_quota_on_a_contract_application_is_reported() =>
        Assert.Equal(
            ["test.jsonl:2: applications[2].quota: quota2 on a contract application (priority null); only budget applications compete in a quota"],
            await ErrorsOfOfferAsync(Mutated(o => o["applications"]![2]!["quota"] = "quota2")));

    [Fact]
    public async Task A_repeated_position_names_both_applications() =>
        Assert.Equal(
            ["test.jsonl:2: applications[3].position: position 2 appears twice (also applications[1])"],
            await ErrorsOfOfferAsync(Mutated(o => o["applications"]![3]!["position"] = 2)));

    [Fact]
    public async Task Positions_out_of_order_but_unique_are_accepted() =>
        Assert.Empty(await ErrorsOfOfferAsync(Mutated(o =>
        {
            o["applications"]![0]!["position"] = 4;
            o["applications"]![3]!["position"] = 1;
        })));

    [Fact]
    public async Task A_position_below_1_is_reported() =>
        Assert.Equal(
            ["test.jsonl:2: applications[0].position: 0 is not a position (must be 1 or more)"],
            await ErrorsOfOfferAsync(Mutated(o => o["applications"]![0]!["position"] = 0)));

    [Theory]
    [InlineData("budget_places", "test.jsonl:2: budget_places: -1 is negative")]
    [InlineData("quota1_places", "test.jsonl:2: quota1_places: -1 is negative")]
    [InlineData("quota2_places", "test.jsonl:2: quota2_places: -1 is negative")]
    [InlineData("license_volume", "test.jsonl:2: license_volume: -1 is negative")]
    public async Task Places_must_not_be_negative(string field, string expected) =>
        Assert.Equal([expected], await ErrorsOfOfferAsync(Mutated(o => o[field] = -1)));

    [Fact]
    public async Task Quota_places_must_fit_in_the_budget_places() =>
        Assert.Equal(
            ["test.jsonl:2: quota1_places + quota2_places: 11 quota places exceed the 10 budget places"],
            await ErrorsOfOfferAsync(Mutated(o => o["quota1_places"] = 10)));

    [Fact]
    public async Task A_contract_only_offer_has_no_quota_places() =>
        Assert.Equal(
            ["test.jsonl:2: quota1_places + quota2_places: a contract-only offer (budget_places null) cannot have quota places, found 2"],
            await ErrorsOfOfferAsync(Mutated(o => o["budget_places"] = null)));

    [Fact]
    public async Task A_contract_only_offer_without_quota_places_is_valid() =>
        Assert.Empty(await ErrorsOfOfferAsync(Mutated(o =>
        {
            o["budget_places"] = null;
            o["quota1_places"] = 0;
            o["quota2_places"] = 0;
            o["applications"]![1]!["quota"] = "none";
            o["applications"]![3]!["quota"] = "none";
        })));

    [Theory]
    [InlineData("0", "0 is outside (0, 2]")]
    [InlineData("-1.07", "-1.07 is outside (0, 2]")]
    [InlineData("2.01", "2.01 is outside (0, 2]")]
    public async Task The_regional_coefficient_must_be_in_0_to_2(string value, string message) =>
        Assert.Equal(
            [$"test.jsonl:2: regional_coefficient: {message}"],
            await ErrorsOfOfferAsync(Mutated(o => o["regional_coefficient"] = JsonNode.Parse(value))));

    [Fact]
    public async Task Empty_weights_mean_not_published_yet_and_are_valid() =>
        Assert.Empty(await ErrorsOfOfferAsync(Mutated(o => o["weights"] = new JsonArray())));

    [Fact]
    public async Task A_formula_without_slot_1_is_reported() =>
        Assert.Equal(
            ["test.jsonl:2: weights: slot 1 (ukr) is missing; a published formula needs slots 1, 2 and 3"],
            await ErrorsOfOfferAsync(Mutated(o => o["weights"]!.AsArray().RemoveAt(0))));

    [Fact]
    public async Task Slots_1_to_3_carry_their_own_subject() =>
        Assert.Equal(
            ["test.jsonl:2: weights[1].subject: slot 2 must be \"math\", found \"phys\""],
            await ErrorsOfOfferAsync(Mutated(o => o["weights"]![1]!["subject"] = "phys")));

    [Fact]
    public async Task A_repeated_required_slot_is_reported() =>
        Assert.Equal(
            ["test.jsonl:2: weights[5].slot: slot 3 (hist) appears more than once"],
            await ErrorsOfOfferAsync(Mutated(o => o["weights"]!.AsArray().Add(Weight(3, "hist", 0.25m)))));

    [Fact]
    public async Task Slot_4_takes_only_4th_subject_options() =>
        Assert.Equal(
            ["test.jsonl:2: weights[3].subject: \"math\" is not a 4th-subject option (expected one of bio, chem, eng, fra, geo, ger, lit, phys, spa)"],
            await ErrorsOfOfferAsync(Mutated(o => o["weights"]![3]!["subject"] = "math")));

    [Fact]
    public async Task A_4th_subject_listed_twice_is_reported() =>
        Assert.Equal(
            ["test.jsonl:2: weights[5].subject: \"eng\" appears more than once in slot 4"],
            await ErrorsOfOfferAsync(Mutated(o => o["weights"]!.AsArray().Add(Weight(4, "eng", 0.35m)))));

    [Fact]
    public async Task Slot_5_is_the_creative_competition_only() =>
        Assert.Equal(
            ["test.jsonl:2: weights[5].subject: slot 5 must be \"creative\", found \"lit\""],
            await ErrorsOfOfferAsync(Mutated(o => o["weights"]!.AsArray().Add(Weight(5, "lit", 0.5m)))));

    [Fact]
    public async Task A_creative_competition_in_slot_5_is_valid() =>
        Assert.Empty(await ErrorsOfOfferAsync(Mutated(o => o["weights"]!.AsArray().Add(Weight(5, "creative", 0.5m)))));

    [Fact]
    public async Task An_unknown_slot_is_reported() =>
        Assert.Equal(
            ["test.jsonl:2: weights[5].slot: 9 is not a slot (1 ukr, 2 math, 3 hist, 4 a 4th subject, 5 creative)"],
            await ErrorsOfOfferAsync(Mutated(o => o["weights"]!.AsArray().Add(Weight(9, "geo", 0.2m)))));

    [Theory]
    [InlineData("0", "0 is outside (0, 1]")]
    [InlineData("1.5", "1.5 is outside (0, 1]")]
    public async Task Coefficients_must_be_in_0_to_1(string value, string message) =>
        Assert.Equal(
            [$"test.jsonl:2: weights[4].coefficient: {message}"],
            await ErrorsOfOfferAsync(Mutated(o => o["weights"]![4]!["coefficient"] = JsonNode.Parse(value))));

    [Fact]
    public async Task A_subject_minimum_must_be_on_the_scale() =>
        Assert.Equal(
            ["test.jsonl:2: weights[1].min_score: 90 is outside 100–200"],
            await ErrorsOfOfferAsync(Mutated(o => o["weights"]![1]!["min_score"] = 90)));

    [Fact]
    public async Task A_null_application_is_reported_not_thrown() =>
        Assert.Equal(
            ["test.jsonl:2: applications[1]: expected an object, found null"],
            await ErrorsOfOfferAsync(Mutated(o => o["applications"]![1] = null)));

    [Theory]
    [InlineData("p 1")]
    [InlineData("ключ")]
    [InlineData("")]
    public async Task A_person_key_is_1_to_64_safe_characters(string key) =>
        Assert.Equal(
            [$"test.jsonl:2: applications[0].person_key: \"{key}\" is not a person key (1–64 characters of A–Z, a–z, 0–9, _ and -)"],
            await ErrorsOfOfferAsync(Mutated(o => o["applications"]![0]!["person_key"] = key)));

    [Fact]
    public async Task A_64_character_person_key_is_accepted() =>
        Assert.Empty(await ErrorsOfOfferAsync(Mutated(o => o["applications"]![0]!["person_key"] = new string('k', 63) + "_")));

    [Fact]
    public async Task Texts_must_not_be_blank() =>
        Assert.Equal(
            ["test.jsonl:2: speciality.code: must not be empty", "test.jsonl:2: applications[0].status: must not be empty"],
            await ErrorsOfOfferAsync(Mutated(o =>
            {
                o["speciality"]!["code"] = " ";
                o["applications"]![0]!["status"] = "";
            })));

    [Fact]
    public async Task A_source_url_must_be_http() =>
        Assert.Equal(
            ["test.jsonl:2: source_url: \"ftp://example/offer\" is not an absolute http(s) URL"],
            await ErrorsOfOfferAsync(Mutated(o => o["source_url"] = "ftp://example/offer")));

    [Fact]
    public async Task Unknown_properties_are_ignored_everywhere()
    {
        var errors = await ErrorsOfOfferAsync(Mutated(o =>
        {
            o["added_in_version_2"] = new JsonObject { ["anything"] = new JsonArray(1, 2) };
            o["university"]!["site"] = "https://example.org";
            o["applications"]![0]!["rating"] = 5;
        }));

        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_repeated_offer_id_names_the_first_line()
    {
        var result = await ReadAsync(Header, Line(Offer(7)), Line(Offer(8)), Line(Offer(7)));

        var error = Assert.Single(result.Errors);
        Assert.Equal("test.jsonl:4: edbo_id: offer 7 already appeared on line 2; each offer may appear only once", error.ToString());
        Assert.Equal([true, true, false], result.Entries.Select(e => e.IsValid));
    }

    [Fact]
    public async Task A_repeated_offer_id_is_caught_even_when_the_first_line_is_invalid()
    {
        var result = await ReadAsync(Header, Line(Mutated(o => o["budget_places"] = -5, edboId: 7)), Line(Offer(7)));

        Assert.Equal(
            ["test.jsonl:2: budget_places: -5 is negative", "test.jsonl:3: edbo_id: offer 7 already appeared on line 2; each offer may appear only once"],
            result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public async Task An_offer_id_below_1_is_reported() =>
        Assert.Equal(
            ["test.jsonl:2: edbo_id: 0 is not a valid offer id (must be 1 or more)"],
            await ErrorsOfOfferAsync(Mutated(o => o["edbo_id"] = 0)));

    [Fact]
    public async Task A_line_that_is_not_an_object_is_reported() =>
        Assert.Equal(
            ["test.jsonl:2: expected an offer object, found an array"],
            (await ReadAsync(Header, "[1,2]")).Errors.Select(e => e.ToString()));

    [Fact]
    public async Task A_null_line_is_reported() =>
        Assert.Equal(
            ["test.jsonl:2: expected an offer object, found null"],
            (await ReadAsync(Header, "null")).Errors.Select(e => e.ToString()));

    [Fact]
    public async Task Errors_on_later_lines_carry_their_own_line_numbers()
    {
        var result = await ReadAsync(Header, Line(Offer(1)), "", Line(Mutated(o => o["applications"]![0]!["score"] = 250, edboId: 2)));

        Assert.Equal(["test.jsonl:4: applications[0].score: 250 is outside 100–200"], result.Errors.Select(e => e.ToString()));
        Assert.Equal([2, 4], result.Entries.Select(e => e.Line));
    }

    [Fact]
    public void The_validator_can_be_used_on_records_built_in_code()
    {
        var offer = new SnapshotOffer(
            5,
            new SnapshotUniversity("Університет", "м. Київ"),
            new SnapshotSpeciality("F3", "Комп'ютерні науки"),
            "Програма",
            "Денна",
            "Бакалавр",
            BudgetPlaces: 3,
            Quota1Places: 2,
            Quota2Places: 2,
            RegionalCoefficient: 1m,
            SectoralCoefficient: true,
            Weights: [],
            Applications: [new SnapshotApplication(1, "Шевченко А. Б.", 150m, 6, "Допущено", Abitly.Domain.Ranking.QuotaKind.None)]);

        Assert.Equal(
            ["import.jsonl:9: quota1_places + quota2_places: 4 quota places exceed the 3 budget places", "import.jsonl:9: applications[0].priority: 6 is outside 1–5"],
            SnapshotValidator.Validate(offer, "import.jsonl", 9).Select(e => e.ToString()));
    }
}
