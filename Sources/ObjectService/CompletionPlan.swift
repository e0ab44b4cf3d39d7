import MagpieCore
import MetadataStore
import S3Protocol

/// The rules of CompleteMultipartUpload, without I/O: which stored parts the client's list selects,
/// in what order, and the ETag of the result. S3's rules: part numbers strictly ascending
/// (`InvalidPartOrder`), each listed part stored with that ETag and checksum (`InvalidPart`), every part
/// but the last at least the minimum size (`EntityTooSmall`).
struct CompletionPlan: Equatable {
    let parts: [PartRecord]

    init(requested: [CompletedPart], stored: [Int: PartRecord], minPartSize: Int64) throws {
        guard !requested.isEmpty else { throw MagpieError(.malformedXML, "You must specify at least one part.") }
        var chosen: [PartRecord] = []
        for (index, part) in requested.enumerated() {
            if index > 0, part.partNumber <= requested[index - 1].partNumber { throw MagpieError(.invalidPartOrder) }
            guard let record = stored[part.partNumber], ETag.parse(part.etag) == ETag(record.etag) else {
                throw MagpieError(.invalidPart, details: [("PartNumber", String(part.partNumber))])
            }
            if let claimed = part.checksumValue, let actual = record.checksumValue, claimed != actual {
                throw MagpieError(.invalidPart, details: [("PartNumber", String(part.partNumber))])
            }
            chosen.append(record)
        }
        for part in chosen.dropLast() where part.size < minPartSize {
            throw MagpieError(
                .entityTooSmall, details: [("ProposedSize", String(part.size)), ("MinSizeAllowed", String(minPartSize)),
                    ("PartNumber", String(part.partNumber)), ("ETag", ETag(part.etag).quoted)]
            )
        }
        parts = chosen
    }

    var size: Int64 { parts.reduce(0) { $0 + $1.size } }

    /// `hex(md5(md5(part 1) ‖ … ‖ md5(part N)))-N`, as S3 computes multipart ETags.
    var etag: String {
        var md5 = Digester.md5()
        for part in parts { md5.update(Hex.decode(part.etag) ?? []) }
        return "\(md5.finalize().hexString)-\(parts.count)"
    }
}
