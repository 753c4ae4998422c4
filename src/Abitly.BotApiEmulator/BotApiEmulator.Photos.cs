using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Abitly.BotApiEmulator;

// Stored photos: each uploaded (or URL) photo gets file ids, and sendPhoto with one of them sends it again without an upload.
public sealed partial class BotApiEmulator
{
    private const string WrongFileIdentifier = "wrong file identifier/HTTP URL specified";

    // Like Telegram's files, stored photos outlive Reset. Under _gate; keyed by the file id of every size.
    private readonly Dictionary<string, StoredPhoto> _photos = new(StringComparer.Ordinal);
    private int _nextPhoto;

    // Differs per emulator, so a file id cached by a bot across a sandbox restart is unknown (400), never another photo.
    private readonly string _fileIdPrefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    private StoredPhoto? FindPhoto(string fileId)
    {
        lock (_gate)
        {
            return _photos.GetValueOrDefault(fileId);
        }
    }

    /// <summary>Stores a new photo with fresh file ids for its two sizes. Call under <see cref="_gate"/>.</summary>
    private StoredPhoto StorePhotoLocked(byte[]? bytes, string? sourceUrl)
    {
        var number = ++_nextPhoto;
        PhotoSizeInfo Size(char letter, int width, int height, int? fileSize) => new(
            string.Create(CultureInfo.InvariantCulture, $"AgACemu{_fileIdPrefix}_{number}_{letter}"),
            string.Create(CultureInfo.InvariantCulture, $"AQADemu{_fileIdPrefix}{number}{letter}"),
            width,
            height,
            fileSize);

        // Telegram lists sizes smallest first; bots take the last one for the full picture.
        var photo = new StoredPhoto(bytes, sourceUrl, Size('s', 90, 67, null), Size('x', 800, 600, bytes?.Length ?? 0));
        _photos[photo.Thumbnail.FileId] = photo;
        _photos[photo.Full.FileId] = photo;
        return photo;
    }

    private static JsonArray PhotoSizesJson(StoredPhoto? photo)
    {
        var sizes = new JsonArray();
        foreach (var size in photo is null ? [] : new[] { photo.Thumbnail, photo.Full })
        {
            var json = new JsonObject
            {
                ["file_id"] = size.FileId,
                ["file_unique_id"] = size.FileUniqueId,
                ["width"] = size.Width,
                ["height"] = size.Height,
            };
            if (size.FileSize is int fileSize)
            {
                json["file_size"] = fileSize;
            }

            sizes.Add(json);
        }

        return sizes;
    }

    /// <summary>A photo the emulator holds: its bytes (uploaded) or source URL, and its sizes' file ids.</summary>
    private sealed record StoredPhoto(byte[]? Bytes, string? SourceUrl, PhotoSizeInfo Thumbnail, PhotoSizeInfo Full);

    /// <summary>One size of a stored photo as <c>PhotoSize</c> reports it.</summary>
    private sealed record PhotoSizeInfo(string FileId, string FileUniqueId, int Width, int Height, int? FileSize);
}
