using Abitly.Bench;

// Usage: dotnet run -c Release --project bench/Abitly.Bench -- <benchmark> [options]
var name = args.Length > 0 ? args[0] : "";
switch (name)
{
    case "sender":
        return await SenderBenchmark.RunAsync(args[1..]);
    case "filters":
        return await FilterMatchingBenchmark.RunAsync(args[1..]);
    default:
        Console.Error.WriteLine("usage: Abitly.Bench <benchmark> [options]");
        Console.Error.WriteLine("  sender [messages=3000] [cap=30]   MessageSender fan-out through the Bot API emulator");
        return 2;
}
