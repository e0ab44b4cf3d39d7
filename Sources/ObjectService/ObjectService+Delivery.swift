import BlobStore
import MagpieCore
import MetadataStore
import NIOCore

extension ObjectService {
    /// The record of an object read on behalf of a verified signed delivery URL (image
    /// transformations): the signature is the grant, so there is no owner check. A missing bucket
    /// answers exactly like a missing key, so a URL reveals nothing about which buckets exist.
    public func deliverySource(_ bucket: String, _ key: String, versionId: String?) async throws -> ObjectRecord {
        // No separate bucket lookup: without the bucket there is no object either.
        guard let name = try? BucketName(bucket), let objectKey = try? ObjectKey(key) else {
            throw MagpieError(.noSuchKey, details: [("Key", key)])
        }
        do {
            let record = try await lookup(name, objectKey, versionId: versionId)
            guard !record.isDeleteMarker else { throw MagpieError(.noSuchKey, details: [("Key", key)]) }
            return record
        } catch let error as MagpieError where error.code == .noSuchVersion || error.code == .invalidArgument || error.code == .noSuchKey {
            throw MagpieError(.noSuchKey, details: [("Key", key)])
        }
    }

    /// The whole object in memory (for decoders that need it all), checked against its stored
    /// CRC32C. Callers bound the size first.
    public func readWhole(_ record: ObjectRecord, requestId: String) async throws -> [UInt8] {
        try checkReadKey(record, nil)
        let opened = OpenedObject(record: record, reader: try await openBlob(record))
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(record.size))
        do {
            try await stream(opened, range: nil, requestId: requestId) { chunk in
                chunk.withUnsafeReadableBytes { bytes.append(contentsOf: $0) }
            }
        } catch {
            await opened.close()
            throw error
        }
        await opened.close()
        return bytes
    }
}
