using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Abitly.Domain.Ranking;

namespace Abitly.Campaign;

/// <summary>
/// A stable fingerprint of an offer's content, so an importer can skip offers that did not change between snapshots.
/// It hashes the record, not the line: whitespace, key order, unknown properties, trailing zeros of numbers and the
/// order of the lists do not count.
/// </summary>
/// <remarks>
/// SHA-256 over a canonical binary encoding (docs/import-format.md, "Content hash"): the tag "abitly-offer-v1", then every
/// field of <see cref="SnapshotOffer"/> in declaration order, nested records likewise; weights ordered by slot then subject,
/// applications by position; decimals without trailing zeros; strings as UTF-8 exactly as read (no trimming); an absent
/// optional field is the same as null. Changing the encoding means changing the tag, which changes every hash once.
/// </remarks>
public static class OfferContentHash
{
    /// <summary>Names the encoding; part of every hash.</summary>
    public const string Version = "abitly-offer-v1";

    private const byte TagNull = 0;
    private const byte TagText = 1;
    private const byte TagInteger = 2;
    private const byte TagNumber = 3;
    private const byte TagFalse = 4;
    private const byte TagTrue = 5;
    private const byte TagList = 6;

    [ThreadStatic]
    private static Encoder? _encoder;

    /// <summary>The hash as 64 lowercase hex digits.</summary>
    public static string Compute(SnapshotOffer offer) => Convert.ToHexStringLower(ComputeBytes(offer));

    /// <summary>The hash as 32 bytes.</summary>
    public static byte[] ComputeBytes(SnapshotOffer offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        using var sink = new Sink();
        sink.Text(Version);
        sink.Integer(offer.EdboId);
        sink.Integer(offer.University.EdboId);
        sink.Text(offer.University.Name);
        sink.Text(offer.University.Region);
        sink.Text(offer.University.ShortName);
        sink.Text(offer.Speciality.Code);
        sink.Text(offer.Speciality.Name);
        sink.Text(offer.Program);
        sink.Text(offer.Form);
        sink.Text(offer.Degree);
        sink.Integer(offer.BudgetPlaces);
        sink.Integer(offer.Quota1Places);
        sink.Integer(offer.Quota2Places);
        sink.Number(offer.RegionalCoefficient);
        sink.Boolean(offer.SectoralCoefficient);

        sink.Count(offer.Weights.Count);
        foreach (var weight in Ordered(offer.Weights))
        {
            sink.Integer(weight.Slot);
            sink.Text(weight.Subject);
            sink.Number(weight.Coefficient);
            sink.Number(weight.MinScore);
        }

        sink.Count(offer.Applications.Count);
        foreach (var application in Ordered(offer.Applications))
        {
            sink.Integer(application.Position);
            sink.Text(application.Name);
            sink.Number(application.Score);
            sink.Integer(application.Priority);
            sink.Text(application.Status);
            sink.Text(QuotaText(application.Quota));
            sink.Text(application.PersonKey);
        }

        sink.Text(offer.Faculty);
        sink.Integer(offer.LicenseVolume);
        sink.Boolean(offer.PreparatoryPointsApply);
        sink.Text(offer.SourceUrl);
        sink.Number(offer.MinBudgetScoreLastYear);
        return sink.Finish();
    }

    private static string QuotaText(QuotaKind quota) => quota switch
    {
        QuotaKind.None => QuotaKindJsonConverter.None,
        QuotaKind.Quota1 => QuotaKindJsonConverter.Quota1,
        QuotaKind.Quota2 => QuotaKindJsonConverter.Quota2,
        _ => ((int)quota).ToString(CultureInfo.InvariantCulture),
    };

    private static IEnumerable<SnapshotWeight> Ordered(IReadOnlyList<SnapshotWeight> weights)
    {
        for (var i = 1; i < weights.Count; i++)
        {
            if (Compare(weights[i - 1], weights[i]) > 0)
            {
                return weights.Order(Comparer<SnapshotWeight>.Create(Compare));
            }
        }

        return weights;
    }

    private static int Compare(SnapshotWeight a, SnapshotWeight b) =>
        a.Slot != b.Slot ? a.Slot.CompareTo(b.Slot) : string.CompareOrdinal(a.Subject, b.Subject);

    private static IEnumerable<SnapshotApplication> Ordered(IReadOnlyList<SnapshotApplication> applications)
    {
        for (var i = 1; i < applications.Count; i++)
        {
            if (applications[i - 1].Position > applications[i].Position)
            {
                return applications.OrderBy(a => a.Position);
            }
        }

        return applications;
    }

    /// <summary>Collects the encoding in a 64 KiB buffer and feeds SHA-256 a chunk at a time.</summary>
    private sealed class Sink : IDisposable
    {
        private const int Capacity = 1 << 16;
        private const int Reserve = 64;

        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly byte[] _buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(Capacity);
        private int _used;

        public void Text(string? value)
        {
            if (value is null)
            {
                Tag(TagNull);
                return;
            }

            if (Encoding.UTF8.GetMaxByteCount(value.Length) <= Capacity - Reserve)
            {
                // Encode straight into the buffer, then put the length in front.
                Ensure(5 + Encoding.UTF8.GetMaxByteCount(value.Length));
                _buffer[_used] = TagText;
                var written = Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_used + 5));
                BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_used + 1), written);
                _used += 5 + written;
                return;
            }

            // A string longer than the buffer goes through in pieces.
            Ensure(5);
            _buffer[_used++] = TagText;
            BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_used), Encoding.UTF8.GetByteCount(value));
            _used += 4;
            var encoder = _encoder ??= new UTF8Encoding(false, false).GetEncoder();
            encoder.Reset();
            var chars = value.AsSpan();
            while (!chars.IsEmpty)
            {
                Ensure(Capacity / 2);
                encoder.Convert(chars, _buffer.AsSpan(_used, Capacity / 2), flush: true, out var charsUsed, out var bytesUsed, out _);
                chars = chars[charsUsed..];
                _used += bytesUsed;
            }
        }

        public void Integer(long? value)
        {
            if (value is not { } number)
            {
                Tag(TagNull);
                return;
            }

            Ensure(9);
            _buffer[_used++] = TagInteger;
            BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_used), number);
            _used += 8;
        }

        public void Number(decimal? value)
        {
            if (value is not { } number)
            {
                Tag(TagNull);
                return;
            }

            Ensure(Reserve);
            _buffer[_used] = TagNumber;
            var digits = _buffer.AsSpan(_used + 2, Reserve - 2);
            number.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture);
            // Trailing zeros of the fraction (and a bare point) do not count: 195.100 and 195.1 are one value.
            if (digits[..written].Contains((byte)'.'))
            {
                while (digits[written - 1] == (byte)'0')
                {
                    written--;
                }

                if (digits[written - 1] == (byte)'.')
                {
                    written--;
                }
            }

            _buffer[_used + 1] = (byte)written;
            _used += 2 + written;
        }

        public void Boolean(bool value) => Tag(value ? TagTrue : TagFalse);

        public void Count(int count)
        {
            Ensure(5);
            _buffer[_used++] = TagList;
            BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_used), count);
            _used += 4;
        }

        public byte[] Finish()
        {
            Flush();
            return _hash.GetHashAndReset();
        }

        public void Dispose()
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(_buffer);
            _hash.Dispose();
        }

        private void Tag(byte tag)
        {
            Ensure(1);
            _buffer[_used++] = tag;
        }

        private void Ensure(int bytes)
        {
            if (_used + bytes > _buffer.Length)
            {
                Flush();
            }
        }

        private void Flush()
        {
            _hash.AppendData(_buffer, 0, _used);
            _used = 0;
        }
    }
}
