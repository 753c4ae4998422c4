namespace Abitly.BotApiEmulator;

/// <summary>Settings of the web chat page the emulator serves at <c>/</c> (the sandbox UI).</summary>
public sealed class WebChatOptions
{
    /// <summary>Title shown in the page header and the browser tab.</summary>
    public string Title { get; set; } = "Abitly — пісочниця";

    /// <summary>Who the page can act as; the first is the default. Each has its own private chat (chat id = user id).</summary>
    public IReadOnlyList<WebChatPersona> Personas { get; set; } = [];

    /// <summary>Texts the page offers to paste into the input box (e.g. example offer links).</summary>
    public IReadOnlyList<WebChatExample> Examples { get; set; } = [];

    /// <summary>Buttons of the page that run host code (e.g. "mint a link token").</summary>
    public IReadOnlyList<WebChatAction> Actions { get; set; } = [];

    /// <summary>Throws when ids repeat or a persona cannot have a private chat, so a misconfigured sandbox fails at start.</summary>
    internal void Validate()
    {
        if (Personas.Any(p => p.UserId <= 0))
        {
            throw new ArgumentException("Web chat persona user ids must be positive (they are private chat ids).", nameof(Personas));
        }

        if (Personas.DistinctBy(p => p.UserId).Count() != Personas.Count)
        {
            throw new ArgumentException("Web chat persona user ids must be unique.", nameof(Personas));
        }

        if (Actions.DistinctBy(a => a.Id, StringComparer.Ordinal).Count() != Actions.Count)
        {
            throw new ArgumentException("Web chat action ids must be unique.", nameof(Actions));
        }
    }
}

/// <summary>A user the web chat page can act as.</summary>
/// <param name="UserId">Telegram user id, also the id of the persona's private chat.</param>
/// <param name="FirstName">First name the bot sees.</param>
/// <param name="Label">Name of the persona in the page's switch, e.g. "Абітурієнт".</param>
/// <param name="Username">Telegram username the bot sees, if any.</param>
public sealed record WebChatPersona(long UserId, string FirstName, string Label, string? Username = null);

/// <summary>A text the page offers to paste into the input box.</summary>
/// <param name="Label">What the page shows.</param>
/// <param name="Text">What goes into the input box.</param>
public sealed record WebChatExample(string Label, string Text);

/// <summary>A page button that runs host code for the current persona.</summary>
/// <param name="Id">Stable id used in the URL <c>/api/actions/{id}</c>.</param>
/// <param name="Label">Button text.</param>
/// <param name="RunAsync">The host code; its exception message is shown to the person.</param>
public sealed record WebChatAction(string Id, string Label, Func<WebChatActionContext, CancellationToken, Task<WebChatActionResult>> RunAsync);

/// <summary>Who pressed a web chat action.</summary>
/// <param name="UserId">User id of the page's current persona.</param>
public sealed record WebChatActionContext(long UserId);

/// <summary>What a web chat action reports back to the page.</summary>
/// <param name="Notice">Shown to the person (plain text).</param>
/// <param name="Link">Optional URL shown as a clickable link (a t.me deep link to the bot sends <c>/start</c> instead).</param>
public sealed record WebChatActionResult(string Notice, string? Link = null);
