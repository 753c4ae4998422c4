using Abitly.Bot.Commands;

// Abitly Bot's executable: every command goes through one parser (Commands/BotCommandLine.cs); `run` is the default.
return await BotCommandLine.InvokeAsync(args, Console.Out, Console.Error);
