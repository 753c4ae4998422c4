using System.Collections.ObjectModel;

namespace Abitly.Domain.Allocation;

/// <summary>The persons <see cref="PersonMatching.Match"/> found: one person index per application and how sure each person is.</summary>
public sealed class PersonMatchResult
{
    internal PersonMatchResult(int[] person, PersonMatchConfidence[] confidence, int[] applicationsByConfidence, double formulaShare)
    {
        FormulaShare = formulaShare;
        Person = Array.AsReadOnly(person);
        Confidence = Array.AsReadOnly(confidence);
        ApplicationsByConfidence = Array.AsReadOnly(applicationsByConfidence);
        ApplicationCount = person.Length;
        MatchedApplications = applicationsByConfidence[(int)PersonMatchConfidence.Key]
            + applicationsByConfidence[(int)PersonMatchConfidence.Unique]
            + applicationsByConfidence[(int)PersonMatchConfidence.Linked];
    }

    /// <summary>Per application (same index as the input), its person (0-based, numbered in order of their first application).</summary>
    public ReadOnlyCollection<int> Person { get; }

    /// <summary>Per person, how their applications were put together.</summary>
    public ReadOnlyCollection<PersonMatchConfidence> Confidence { get; }

    /// <summary>Applications per confidence (indexed by <see cref="PersonMatchConfidence"/>).</summary>
    public ReadOnlyCollection<int> ApplicationsByConfidence { get; }

    /// <summary>Number of persons found.</summary>
    public int PersonCount => Confidence.Count;

    /// <summary>Number of applications matched.</summary>
    public int ApplicationCount { get; }

    /// <summary>Applications whose person is exact or needed no choice: <see cref="PersonMatchConfidence.Key"/>, <see cref="PersonMatchConfidence.Unique"/> or <see cref="PersonMatchConfidence.Linked"/>.</summary>
    public int MatchedApplications { get; }

    /// <summary>
    /// The share of applications whose person needed no choice and has nothing left over that could be theirs
    /// (<see cref="MatchedApplications"/> over all; 1 for none): the measure the bot compares with
    /// <see cref="PersonMatching.MinMatchedShare"/>.
    /// </summary>
    public double MatchedShare => ApplicationCount == 0 ? 1.0 : (double)MatchedApplications / ApplicationCount;

    /// <summary>
    /// Of the applications matched by the heuristic (without a person key), the share on offers whose formula is known
    /// (1 when there are none): only there can equal КБ link a person's applications and the scores be compared fairly.
    /// </summary>
    public double FormulaShare { get; }

    /// <summary>
    /// Whether the match is good enough to show a simulation built on it: <see cref="MatchedShare"/> at least
    /// <see cref="PersonMatching.MinMatchedShare"/> and <see cref="FormulaShare"/> at least <see cref="PersonMatching.MinFormulaShare"/>.
    /// </summary>
    public bool IsReliable => MatchedShare >= PersonMatching.MinMatchedShare && FormulaShare >= PersonMatching.MinFormulaShare;
}
