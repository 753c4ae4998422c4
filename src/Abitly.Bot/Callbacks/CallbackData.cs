using System.Globalization;
using System.Text;

namespace Abitly.Bot.Callbacks;

/// <summary>
/// A button's payload as a typed record with a fixed prefix (as aiogram's <c>CallbackData</c>): packed by
/// <see cref="CallbackData"/> as <c>prefix:field:field</c>, never longer than Telegram's 64 bytes.
/// </summary>
public interface ICallbackData<TSelf>
    where TSelf : class, ICallbackData<TSelf>
{
    /// <summary>The fixed start of the packed form; may itself contain ':' (e.g. "fl:r").</summary>
    static abstract string Prefix { get; }

    /// <summary>The fields after the prefix, in order; none may be empty or contain ':'.</summary>
    IEnumerable<string> Fields();

    /// <summary>Reads the fields back; null when they do not make this record (a stale or forged button).</summary>
    static abstract TSelf? Read(CallbackFields fields);
}

/// <summary>The one codec of callback data: pack, unpack, and the 64-byte limit.</summary>
public static class CallbackData
{
    /// <summary>Telegram's limit on callback_data, in bytes.</summary>
    public const int MaxBytes = 64;

    public const char Separator = ':';

    /// <summary>Packs a record; throws when a field is empty or holds ':' or the result exceeds <see cref="MaxBytes"/>.</summary>
    public static string Pack<T>(T data)
        where T : class, ICallbackData<T>
    {
        ArgumentNullException.ThrowIfNull(data);
        var packed = new StringBuilder(T.Prefix);
        foreach (var field in data.Fields())
        {
            if (string.IsNullOrEmpty(field) || field.Contains(Separator, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Callback field '{field}' of {typeof(T).Name} is empty or contains '{Separator}'.", nameof(data));
            }

            packed.Append(Separator).Append(field);
        }

        var text = packed.ToString();
        var bytes = Encoding.UTF8.GetByteCount(text);
        return bytes <= MaxBytes
            ? text
            : throw new ArgumentException($"Callback data of {typeof(T).Name} is {bytes} bytes; Telegram allows {MaxBytes}.", nameof(data));
    }

    /// <summary>The record packed in <paramref name="data"/>, or null when it is another kind or malformed.</summary>
    public static T? Unpack<T>(string? data)
        where T : class, ICallbackData<T>
    {
        if (data is null || !HasPrefix(data, T.Prefix))
        {
            return null;
        }

        var rest = data.Length == T.Prefix.Length ? [] : data[(T.Prefix.Length + 1)..].Split(Separator);
        var fields = new CallbackFields(rest);
        var value = T.Read(fields);
        return value is not null && fields.AtEnd ? value : null;
    }

    /// <summary>Whether <paramref name="data"/> is <paramref name="prefix"/> itself or starts with it and a separator.</summary>
    public static bool HasPrefix(string data, string prefix)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(prefix);
        return data.StartsWith(prefix, StringComparison.Ordinal)
            && (data.Length == prefix.Length || data[prefix.Length] == Separator);
    }

    /// <summary>An int field, invariant and without sign.</summary>
    public static string Field(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A long field, invariant and without sign.</summary>
    public static string Field(long value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The fields of packed callback data, read in order; every read fails on a missing or malformed field.</summary>
public sealed class CallbackFields(string[] fields)
{
    private int _next;

    /// <summary>True when every field has been read (extra fields make the data malformed).</summary>
    public bool AtEnd => _next == fields.Length;

    public bool TryInt(out int value)
    {
        value = 0;
        return _next < fields.Length && int.TryParse(fields[_next], NumberStyles.None, CultureInfo.InvariantCulture, out value) && Advance();
    }

    public bool TryLong(out long value)
    {
        value = 0;
        return _next < fields.Length && long.TryParse(fields[_next], NumberStyles.None, CultureInfo.InvariantCulture, out value) && Advance();
    }

    /// <summary>A short token of letters, digits, '_' and '-' (ids, nonces, codes).</summary>
    public bool TryToken(out string value)
    {
        value = "";
        if (_next >= fields.Length || fields[_next].Length == 0 || !fields[_next].All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            return false;
        }

        value = fields[_next];
        return Advance();
    }

    /// <summary>One of the given literal values.</summary>
    public bool TryLiteral(out string value, params string[] allowed)
    {
        value = "";
        if (_next >= fields.Length || !allowed.Contains(fields[_next], StringComparer.Ordinal))
        {
            return false;
        }

        value = fields[_next];
        return Advance();
    }

    private bool Advance()
    {
        _next++;
        return true;
    }
}
