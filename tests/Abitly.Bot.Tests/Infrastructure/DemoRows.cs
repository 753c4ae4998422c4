using Abitly.Bot.Data;
using Abitly.Campaign;
using Microsoft.EntityFrameworkCore;

namespace Abitly.Bot.Tests.Infrastructure;

/// <summary>
/// The ids the importer gave the demo campaign's universities and specialities (they are the database's, not the demo's):
/// looked up by EDBO id and by code, as the importer matches them.
/// </summary>
internal static class DemoRows
{
    public static Task<int> UniversityIdAsync(AbitlyDbContext db, SnapshotUniversity university) =>
        db.Universities.Where(u => u.EdboId == university.EdboId).Select(u => u.Id).SingleAsync();

    public static Task<int> SpecialityIdAsync(AbitlyDbContext db, SnapshotSpeciality speciality) =>
        db.Specialities.Where(s => s.Code == speciality.Code).Select(s => s.Id).SingleAsync();
}
