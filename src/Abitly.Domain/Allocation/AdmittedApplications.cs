using Abitly.Domain.Ranking;

namespace Abitly.Domain.Allocation;

/// <summary>Every offer's admitted applications, in admission order, with what the offer's choice needs to rank them.</summary>
internal sealed class AdmittedApplications(int count)
{
    public int[] Application { get; } = new int[count];

    public int[] Score { get; } = new int[count];

    public byte[] Priority { get; } = new byte[count];

    public int[] TieRank { get; } = new int[count];

    public QuotaKind[] Quota { get; } = new QuotaKind[count];

    public void Set(int index, int application, in AllocationApplication source, int tieRank)
    {
        Application[index] = application;
        Score[index] = source.Score;
        Priority[index] = (byte)source.Priority;
        TieRank[index] = tieRank;
        Quota[index] = source.Quota;
    }
}
