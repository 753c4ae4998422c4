namespace Abitly.Campaign;

/// <summary>One problem found in a snapshot file, worded for the operator who has to fix the file.</summary>
/// <param name="File">The file name as given to the reader.</param>
/// <param name="Line">The 1-based line the problem is on.</param>
/// <param name="Field">The field path within the line, e.g. <c>applications[12].score</c>; empty when the problem is the whole line or file.</param>
/// <param name="Message">What is wrong, in plain English.</param>
public sealed record SnapshotError(string File, int Line, string Field, string Message)
{
    /// <summary>As an operator reads it: <c>file.jsonl:17: applications[3].priority: 7 is outside 1–5</c>.</summary>
    public override string ToString() =>
        Field.Length == 0 ? $"{File}:{Line}: {Message}" : $"{File}:{Line}: {Field}: {Message}";
}
