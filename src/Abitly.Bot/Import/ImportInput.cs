using System.Net;
using System.Net.Http.Headers;
using Abitly.Bot.Configuration;

namespace Abitly.Bot.Import;

/// <summary>
/// The local files of an import source: a file, the snapshot files of a folder (by name), or an http(s) URL spooled to a
/// temporary file first, so that the validation pass and the apply pass read the same bytes. Disposing deletes the spool.
/// </summary>
public sealed class ImportInput : IAsyncDisposable
{
    private readonly string? _spool;

    private ImportInput(IReadOnlyList<string> files, string? spool, bool notModified, string? eTag, string? lastModified)
    {
        Files = files;
        _spool = spool;
        NotModified = notModified;
        ETag = eTag;
        LastModified = lastModified;
    }

    public IReadOnlyList<string> Files { get; }

    /// <summary>The HTTP source answered 304 to the conditional request: nothing new to read.</summary>
    public bool NotModified { get; }

    public string? ETag { get; }

    public string? LastModified { get; }

    public static bool IsHttp(string source) =>
        Uri.TryCreate(source, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    public ValueTask DisposeAsync()
    {
        if (_spool is not null)
        {
            File.Delete(_spool);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Resolves a path or a folder; throws <see cref="ImportInputException"/> naming what is wrong.</summary>
    public static ImportInput FromPath(string source)
    {
        if (File.Exists(source))
        {
            return new ImportInput([Path.GetFullPath(source)], null, false, null, null);
        }

        if (Directory.Exists(source))
        {
            var files = Directory.EnumerateFiles(source)
                .Where(f => f.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jsonl.gz", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .ToList();
            return files.Count > 0
                ? new ImportInput(files, null, false, null, null)
                : throw new ImportInputException($"{source}: the folder has no .jsonl or .jsonl.gz snapshot files");
        }

        throw new ImportInputException($"{source}: no such file or folder");
    }

    /// <summary>Downloads an http(s) source with a conditional request, a time limit and the optional bearer secret.</summary>
    public static async Task<ImportInput> FromHttpAsync(HttpClient http, string url, AbitlySettings settings, (string? ETag, string? LastModified) validators, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(settings);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(settings.ImportTimeoutSeconds));
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (settings.ImportBearerToken is { } secret)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        }

        if (validators.ETag is { } eTag && EntityTagHeaderValue.TryParse(eTag, out var parsedTag))
        {
            request.Headers.IfNoneMatch.Add(parsedTag);
        }

        if (validators.LastModified is { } lastModified && DateTimeOffset.TryParse(lastModified, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var since))
        {
            request.Headers.IfModifiedSince = since;
        }

        var spool = Path.Combine(Path.GetTempPath(), $"abitly-import-{Guid.NewGuid():N}.jsonl");
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (response.StatusCode == HttpStatusCode.NotModified)
            {
                return new ImportInput([], null, true, validators.ETag, validators.LastModified);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new ImportInputException($"{url}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            await using (var file = File.Create(spool))
            {
                await response.Content.CopyToAsync(file, timeout.Token);
            }

            return new ImportInput([spool], spool, false, response.Headers.ETag?.ToString(), response.Content.Headers.LastModified?.ToString("R"));
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            File.Delete(spool);
            throw new ImportInputException($"{url}: no complete answer within {settings.ImportTimeoutSeconds} s (IMPORT_TIMEOUT_SECONDS)");
        }
        catch (HttpRequestException ex)
        {
            File.Delete(spool);
            throw new ImportInputException($"{url}: {ex.Message}");
        }
        catch
        {
            File.Delete(spool);
            throw;
        }
    }
}

/// <summary>The import source cannot be read; the message says what an operator needs to know.</summary>
public sealed class ImportInputException : Exception
{
    public ImportInputException()
    {
    }

    public ImportInputException(string message)
        : base(message)
    {
    }

    public ImportInputException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
