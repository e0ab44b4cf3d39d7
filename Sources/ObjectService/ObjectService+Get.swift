import BlobStore
import CoreMetrics
import Logging
import MagpieCore
import MetadataStore
import NIOCore
import S3Protocol

/// A current object with its blob already open, so that a concurrent overwrite cannot pull the bytes away.
public struct OpenedObject: Sendable {
    public let record: ObjectRecord
    let reader: any BlobReader
    /// The bucket's lifecycle configuration, for `x-amz-expiration` (looked up with the bucket).
    public var lifecycle: LifecycleConfiguration?

    public func close() async { await reader.close() }
}

/// A blob whose bytes no longer match the checksum stored when it was written.
public struct IntegrityFailure: Error, Sendable, CustomStringConvertible {
    public let bucket: String
    public let blobId: String
    public var description: String { "stored blob \(blobId) in bucket \(bucket) failed its CRC32C check" }
}

extension ObjectService {
    /// Looks up the object (the current version, or `versionId`) and opens its blob, looking again
    /// when it was replaced between the lookup and the open.
    /// `customerKey`: the SSE-C key sent with the request (required for, and only for, SSE-C objects).
    public func openObject(
        _ bucket: BucketName, _ key: ObjectKey, versionId: String? = nil, customerKey: CustomerKey? = nil, for principal: Principal
    ) async throws -> OpenedObject {
        let bucketRecord = try await existingBucket(bucket, for: principal)
        for _ in 0..<3 {
            let record = try await lookup(bucket, key, versionId: versionId)
            try checkReadKey(record, customerKey)
            do {
                return OpenedObject(
                    record: record, reader: try await openBlob(record, customerKey: customerKey), lifecycle: lifecycleConfiguration(of: bucketRecord))
            } catch is BlobNotFound {
                continue
            }
        }
        throw MagpieError(.noSuchKey, details: [("Key", key.rawValue)])
    }

    /// Streams `range` (nil: everything) of an opened object into `body`. A full read is checked against
    /// the stored CRC32C, holding back the last chunk until the check passed: a corrupt blob is never
    /// delivered complete — the response is cut short, logged and counted instead. An encrypted
    /// object needs no CRC pass (every chunk's tag authenticates it, so a tampered blob fails the read
    /// before its bytes are sent); its next chunk is read and decrypted while the current one is sent.
    public func stream(_ object: OpenedObject, range: ClosedRange<Int64>?, requestId: String, _ body: (ByteBuffer) async throws -> Void)
        async throws
    {
        if object.record.encryption != nil {
            try await object.reader.readAhead(range: range, chunkSize: configuration.readChunkSize, body)
            return
        }
        let verifying = range == nil || (range!.lowerBound == 0 && range!.upperBound == object.record.size - 1)
        guard verifying else {
            try await object.reader.readAhead(range: range, chunkSize: configuration.readChunkSize, body)
            return
        }
        var crc = Digester(.crc32c)
        var held: ByteBuffer?
        try await object.reader.readAhead(range: nil, chunkSize: configuration.readChunkSize) { chunk in
            crc.update(chunk)
            if let previous = held { try await body(previous) }
            held = chunk
        }
        let actual = crc.finalize().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard actual == object.record.integrityCRC32C else {
            checksumFailures.increment()
            logger.error(
                "stored object failed its integrity check; response aborted",
                metadata: ["request_id": "\(requestId)", "bucket": "\(object.record.bucket)", "blob": "\(object.record.blobId)"]
            )
            throw IntegrityFailure(bucket: object.record.bucket, blobId: object.record.blobId)
        }
        if let held { try await body(held) }
    }

    /// Metadata only. `readKey`: check an SSE-C key as GET does (HEAD, GetObjectAttributes);
    /// nil for calls about the object that take no key (tagging, ACLs, object lock).
    public func headObject(
        _ bucket: BucketName, _ key: ObjectKey, versionId: String? = nil, readKey: CustomerKeyCheck? = nil, for principal: Principal
    ) async throws -> ObjectRecord {
        try await describeObject(bucket, key, versionId: versionId, readKey: readKey, for: principal).record
    }

    /// Metadata and the bucket's lifecycle configuration (HEAD with `x-amz-expiration`); with
    /// `readKey`, an SSE-C object answers only to its key, as for GET.
    public func describeObject(
        _ bucket: BucketName, _ key: ObjectKey, versionId: String? = nil, readKey: CustomerKeyCheck? = nil, for principal: Principal
    ) async throws -> (record: ObjectRecord, lifecycle: LifecycleConfiguration?) {
        let bucketRecord = try await existingBucket(bucket, for: principal)
        let record = try await lookup(bucket, key, versionId: versionId)
        if let readKey, !record.isDeleteMarker { try checkReadKey(record, readKey.key) }
        return (record, lifecycleConfiguration(of: bucketRecord))
    }

    func lookup(_ bucket: BucketName, _ key: ObjectKey, versionId: String?) async throws -> ObjectRecord {
        if let versionId { return try await version(bucket, key, versionId) }
        return try await currentVersion(bucket, key)
    }
}
