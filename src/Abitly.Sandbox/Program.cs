using Abitly.Sandbox;

// The sandbox's executable: `dotnet run --project src/Abitly.Sandbox`, then open http://127.0.0.1:8088/.
return await SandboxCommandLine.InvokeAsync(args, Environment.GetEnvironmentVariable, Console.Out, Console.Error);
