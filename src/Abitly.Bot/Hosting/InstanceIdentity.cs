using System.Security.Cryptography;

namespace Abitly.Bot.Hosting;

/// <summary>This process among the bot's instances: the owner name on outbox leases and broadcast monitors.</summary>
public sealed class InstanceIdentity
{
    public string Name { get; } = $"{Truncate(Environment.MachineName, 30)}:{Environment.ProcessId}:{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}
