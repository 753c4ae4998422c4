namespace Abitly.BotApiEmulator; /// <summary>Marker.</summary> public static class AssemblyMarker { }
