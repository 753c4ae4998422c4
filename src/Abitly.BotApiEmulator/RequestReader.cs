using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Abitly.BotApiEmulator;

/// <summary>Reads call parameters the ways Telegram accepts them: query string, JSON body, urlencoded or multipart form.</summary>
internal static class RequestReader
{
    public static async Task<RequestParams> ReadAsync(HttpRequest request)
    {
        var values = new JsonObject();
        var files = new Dictionary<string, UploadedFile>(StringComparer.Ordinal);
        foreach (var (key, value) in request.Query)
        {
            values[key] = value.ToString();
        }

        if (request.HasJsonContentType())
        {
            using var reader = new StreamReader(request.Body);
            var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
            if (!string.IsNullOrWhiteSpace(text))
            {
                JsonNode? node;
                try
                {
                    node = JsonNode.Parse(text);
                }
                catch (JsonException)
                {
                    throw ApiException.BadRequest("can't parse JSON request body");
                }

                if (node is not JsonObject body)
                {
                    throw ApiException.BadRequest("request body must be a JSON object");
                }

                foreach (var (key, value) in body.ToList())
                {
                    body.Remove(key);
                    values[key] = value;
                }
            }
        }
        else if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            foreach (var (key, value) in form)
            {
                values[key] = value.ToString();
            }

            foreach (var file in form.Files)
            {
                using var buffer = new MemoryStream();
                await file.CopyToAsync(buffer, request.HttpContext.RequestAborted);
                files[file.Name] = new UploadedFile(file.FileName, buffer.ToArray());
            }
        }

        return new RequestParams(values, files);
    }

    /// <summary>The parameters as JSON for <see cref="RecordedCall.RequestJson"/>; uploads appear as a short summary.</summary>
    public static string Describe(RequestParams parameters)
    {
        if (parameters.Files.Count == 0)
        {
            return parameters.Values.ToJsonString();
        }

        var copy = parameters.Values.DeepClone().AsObject();
        foreach (var (name, file) in parameters.Files)
        {
            copy["(upload) " + name] = $"{file.FileName}, {file.Content.Length} bytes";
        }

        return copy.ToJsonString();
    }
}
