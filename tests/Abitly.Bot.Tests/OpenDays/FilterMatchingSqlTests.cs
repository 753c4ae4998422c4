using Abitly.Bot.Data;
using Abitly.Bot.Services;
using Abitly.Bot.Tests.Infrastructure;
using Abitly.Domain.Filters;
using Abitly.Domain.OpenDays;
using Microsoft.EntityFrameworkCore;

namespace Abitly.Bot.Tests.OpenDays;

/// <summary>The SQL candidate query of the update fan-out agrees with the pure predicate it implements.</summary>
public sealed class FilterMatchingSqlTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Sql_matching_equals_the_predicate_on_generated_data(int seed)
    {
        var cs = await TestServices.CreateDatabaseAsync();
        var settings = BotTestHost.DefaultSettings("http://127.0.0.1:1", cs);
        var zone = OpenDayZone.Resolve(settings.TimeZoneId);
        var random = new Random(seed);
        var now = DateTime.UtcNow;
        var today = OpenDayCalendar.LocalToday(now, zone);
        var (startOfToday, _) = OpenDayCalendar.LocalDayRangeUtc(today, 1, zone);
        var universityIds = Enumerable.Range(1, 6).ToArray();
        var specialityIds = Enumerable.Range(1, 8).ToArray();

        var users = new List<(long Id, bool Blocked, UserFilters Filters)>();
        var days = new List<(int Id, bool UpdatedToday, OpenDayKey Key)>();
        await using (var db = TestServices.OpenDb(cs))
        {
            // The demo days were updated when the template was made: move them out of today.
            await db.OpenDays.ExecuteUpdateAsync(s => s.SetProperty(o => o.UpdatedAt, startOfToday.UtcDateTime.AddHours(-1)));
            for (var i = 0; i < 300; i++)
            {
                var id = 100_000L + i;
                // Empty sets are common on purpose: "no filter" and "one dimension only" must both be covered.
                var unis = universityIds.Where(_ => random.NextDouble() < 0.2).ToHashSet();
                var specs = specialityIds.Where(_ => random.NextDouble() < 0.15).ToHashSet();
                var blocked = random.NextDouble() < 0.1;
                users.Add((id, blocked, new UserFilters(unis, specs)));
                db.TelegramUsers.Add(new TelegramUser { Id = id, BlockedAt = blocked ? now : null, CreatedAt = now, UpdatedAt = now, LastSeenAt = now });
                db.FilterUniversities.AddRange(unis.Select(u => new FilterUniversity { TelegramUserId = id, UniversityId = u }));
                db.FilterSpecialities.AddRange(specs.Select(s => new FilterSpeciality { TelegramUserId = id, SpecialityId = s }));
            }

            var added = new List<OpenDay>();
            for (var i = 0; i < 24; i++)
            {
                // 20 updated today (one at the very first instant of the day), 4 yesterday.
                var updatedAt = i < 20 ? (i == 0 ? startOfToday.UtcDateTime : now) : startOfToday.UtcDateTime.AddSeconds(-1);
                var day = new OpenDay
                {
                    Id = 1000 + i,   // the demo data set ids 1–5 without moving the sequence
                    UniversityId = universityIds[random.Next(universityIds.Length)],
                    SpecialityId = random.NextDouble() < 0.3 ? null : specialityIds[random.Next(specialityIds.Length)],
                    Title = "Згенерований день " + i,
                    StartsAt = now.AddDays(7),
                    CreatedAt = now,
                    UpdatedAt = updatedAt,
                };
                added.Add(day);
                db.OpenDays.Add(day);
            }

            await db.SaveChangesAsync();
            days.AddRange(added.Select((d, i) => (d.Id, i < 20, new OpenDayKey(d.UniversityId, d.SpecialityId))));
        }

        IReadOnlyList<OpenDayMatch> actual;
        await using (var db = TestServices.OpenDb(cs))
        {
            var (from, to) = new LocalCalendar(settings, TimeProvider.System).DayRangeUtc(today);
            actual = await new OpenDayMatchQuery(db).FindAsync(from, to, CancellationToken.None);
        }

        var expected = (
            from u in users
            where !u.Blocked
            from d in days
            where d.UpdatedToday && FilterMatching.UserMatchesOpenDay(u.Filters, d.Key)
            select new OpenDayMatch(u.Id, d.Id)).ToHashSet();
        Assert.Equal(expected.Count, actual.Count);   // no duplicates
        Assert.Equal(expected, actual.ToHashSet());
        Assert.NotEmpty(expected);
    }
}
