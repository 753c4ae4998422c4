using Microsoft.EntityFrameworkCore;

namespace Abitly.Bot.Data;

/// <summary>Reads the web backend's users and their NMT results.</summary>
public sealed class WebUserQueries(AbitlyDbContext db)
{
    /// <summary>The web user with all their results, or null.</summary>
    public Task<WebUser?> GetWithGradesAsync(long webUserId, CancellationToken ct) =>
        db.Users.AsNoTracking().Include(u => u.Grades).FirstOrDefaultAsync(u => u.Id == webUserId, ct);

    /// <summary>The web user without results, or null.</summary>
    public Task<WebUser?> GetAsync(long webUserId, CancellationToken ct) =>
        db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == webUserId, ct);
}
