using Abitly.Domain.Ranking;

namespace Abitly.Domain.Tests.Ranking;

public class ScoreBucketsTests
{
    [Fact]
    public void Scores_fall_into_ten_point_buckets_from_the_top()
    {
        decimal?[] scores = [200m, 190m, 189.999m, 180m, 175.5m, 160m, 150m, 149.999m, 140m, 139.999m, 100m, null];

        var buckets = ScoreBuckets.Build(scores);

        Assert.Equal(
            [
                new ScoreBucket(190m, 200m, 2),
                new ScoreBucket(180m, 190m, 2),
                new ScoreBucket(170m, 180m, 1),
                new ScoreBucket(160m, 170m, 1),
                new ScoreBucket(150m, 160m, 1),
                new ScoreBucket(140m, 150m, 2),
                new ScoreBucket(null, 140m, 2),
            ],
            buckets);
    }

    [Fact]
    public void No_scores_give_every_bucket_empty()
    {
        var buckets = ScoreBuckets.Build([]);

        Assert.Equal(7, buckets.Count);
        Assert.All(buckets, b => Assert.Equal(0, b.Count));
    }
}
