# The bot's image: published once (Release), run as an unprivileged user. The same image serves `migrate`, `import`
# and several `run` instances behind one webhook URL (see deploy/compose.yaml). The publish is ReadyToRun (precompiled for
# the build machine's runtime identifier, see src/Abitly.Bot/Abitly.Bot.csproj), so the process starts without JIT work.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Abitly.Bot -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
USER app
ENV PORT=8080
EXPOSE 8080
ENTRYPOINT ["./Abitly.Bot"]
