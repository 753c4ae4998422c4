using System.Globalization;
using Npgsql;

namespace Abitly.Bot.Configuration;

/// <summary>Turns URL-style connection settings into what Npgsql and StackExchange.Redis take.</summary>
public static class ConnectionStrings
{
    public static bool TryPostgres(string raw, out string? connectionString, out string why)
    {
        connectionString = null;
        why = "";
        try
        {
            if (raw.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || raw.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            {
                var uri = new Uri(raw);
                if (string.IsNullOrEmpty(uri.Host))
                {
                    why = "the URL has no host";
                    return false;
                }

                var builder = new NpgsqlConnectionStringBuilder
                {
                    Host = uri.Host,
                    Port = uri.Port > 0 ? uri.Port : 5432,
                    Database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/')) is { Length: > 0 } db ? db : "postgres",
                };
                var userInfo = uri.UserInfo.Split(':', 2);
                if (userInfo[0].Length > 0)
                {
                    builder.Username = Uri.UnescapeDataString(userInfo[0]);
                }

                if (userInfo.Length > 1)
                {
                    builder.Password = Uri.UnescapeDataString(userInfo[1]);
                }

                connectionString = builder.ConnectionString;
                return true;
            }

            var parsed = new NpgsqlConnectionStringBuilder(raw);
            if (string.IsNullOrEmpty(parsed.Host))
            {
                why = "no Host in the connection string";
                return false;
            }

            connectionString = parsed.ConnectionString;
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or UriFormatException or FormatException or KeyNotFoundException)
        {
            why = "neither a postgres:// URL nor an Npgsql connection string";
            return false;
        }
    }

    public static bool TryRedis(string raw, out string? configuration, out string why)
    {
        configuration = null;
        why = "";
        try
        {
            if (raw.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) || raw.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase))
            {
                var uri = new Uri(raw);
                if (string.IsNullOrEmpty(uri.Host))
                {
                    why = "the URL has no host";
                    return false;
                }

                var options = new StackExchange.Redis.ConfigurationOptions { Ssl = uri.Scheme == "rediss", AbortOnConnectFail = false };
                options.EndPoints.Add(uri.Host, uri.Port > 0 ? uri.Port : 6379);
                var db = uri.AbsolutePath.Trim('/');
                if (db.Length > 0)
                {
                    if (!int.TryParse(db, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index) || index < 0)
                    {
                        why = $"database '{db}' is not a number";
                        return false;
                    }

                    options.DefaultDatabase = index;
                }

                var userInfo = uri.UserInfo.Split(':', 2);
                if (userInfo.Length == 2)
                {
                    options.User = userInfo[0].Length > 0 ? Uri.UnescapeDataString(userInfo[0]) : null;
                    options.Password = Uri.UnescapeDataString(userInfo[1]);
                }

                configuration = options.ToString(includePassword: true);
                return true;
            }

            var parsed = StackExchange.Redis.ConfigurationOptions.Parse(raw);
            if (parsed.EndPoints.Count == 0)
            {
                why = "no endpoint";
                return false;
            }

            parsed.AbortOnConnectFail = false;
            configuration = parsed.ToString(includePassword: true);
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or UriFormatException or FormatException)
        {
            why = "neither a redis:// URL nor a StackExchange.Redis configuration string";
            return false;
        }
    }
}
