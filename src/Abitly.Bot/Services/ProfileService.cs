using Abitly.Bot.Data;

namespace Abitly.Bot.Services;

/// <summary>One NMT result as /profile shows it.</summary>
public sealed record ProfileGrade(string Subject, decimal Score, int Year);

/// <summary>/profile as data: the linked web profile's name and results, or null fields when none is linked.</summary>
public sealed record ProfileView(string? LinkedName, IReadOnlyList<ProfileGrade> Grades, string? ProfileLinkUrl)
{
    public bool Linked => LinkedName is not null;
}

/// <summary>The user's link to a web profile: what /profile shows, and unlinking.</summary>
public sealed class ProfileService(WebUserQueries webUsers, Configuration.AbitlySettings settings)
{
    public async Task<ProfileView> GetAsync(TelegramUser user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.WebUserId is { } webUserId && await webUsers.GetWithGradesAsync(webUserId, ct) is { } webUser)
        {
            return new ProfileView(webUser.DisplayName,
                [.. webUser.Grades.OrderBy(g => g.Subject, StringComparer.Ordinal).Select(g => new ProfileGrade(g.Subject, g.Score, g.Year))],
                null);
        }

        return new ProfileView(null, [], settings.LinkWebUrl);
    }

    /// <summary>Removes the link; the unit of work saves it.</summary>
    public static void Unlink(TelegramUser user) => TelegramUserStore.Unlink(user);
}
