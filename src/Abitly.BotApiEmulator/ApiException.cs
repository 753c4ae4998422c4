namespace Abitly.BotApiEmulator;

/// <summary>An error answer of the Bot API: thrown inside a method handler, turned into <c>{"ok":false,...}</c>.</summary>
internal sealed class ApiException(int errorCode, string description, int? retryAfter = null) : Exception(description)
{
    public int ErrorCode { get; } = errorCode;

    public int? RetryAfter { get; } = retryAfter;

    public static ApiException BadRequest(string detail) => new(400, "Bad Request: " + detail);

    public static ApiException TooManyRequests(int retryAfter) =>
        new(429, $"Too Many Requests: retry after {retryAfter}", retryAfter);
}
