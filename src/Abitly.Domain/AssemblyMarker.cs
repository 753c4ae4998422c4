namespace Abitly.Domain; /// <summary>Marker.</summary> public static class AssemblyMarker { }
