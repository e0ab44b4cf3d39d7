import BlobStore
import CoreMetrics
import Encryption
import MagpieCore
import MetadataStore
import NIOCore
import S3Protocol

extension ObjectService {
    /// Streams `body` into a new blob while computing its digests, verifies every integrity claim the
    /// client made, then commits the blob and its metadata row. Nothing is visible unless all of that
    /// succeeded; a failed or abandoned upload leaves nothing behind.
    /// `trailers` is read after the body ended (aws-chunked trailing checksums).
    public func putObject<Body: AsyncSequence>(
        _ request: PutObjectRequest, body: Body, trailers: @Sendable () -> [(name: String, value: String)], for principal: Principal
    ) async throws -> ObjectRecord where Body.Element == ByteBuffer {
        let bucketRecord = try await existingBucket(request.bucket, for: principal)
        let (ownerId, acl) = try await newObjectAccess(bucket: bucketRecord, acl: request.acl, for: principal)
        if (request.retention != nil || request.legalHold), bucketRecord.objectLock == nil {
            throw MagpieError(.invalidRequest, "Bucket is missing Object Lock Configuration")
        }
        if request.condition != .none {
            // Fail fast before reading the body; the check is repeated atomically at commit.
            let existing = try await metadata.currentObject(bucket: request.bucket.rawValue, key: request.key.rawValue)
            try request.condition.check(against: existing, key: request.key.rawValue)
        }
        let tier = tier(for: request.storageClass)
        let encryption = try await writeEncryption(request.encryption, bucket: bucketRecord)
        var segmentKey: SegmentKey?
        if let encryption { segmentKey = try await newSegmentKey(encryption, customerKey: request.encryption?.customerKey) }
        let ingested = try await ingest(
            body, checksum: request.checksumAlgorithm, payloadSHA256: request.payloadSHA256 != nil, expectedLength: request.expectedLength,
            limit: configuration.maxObjectSize, tier: tier, sealing: segmentKey?.sealing
        )
        let digests = ingested.digests
        let writer = ingested.writer
        do {
            try verify(digests, request: request, trailers: trailers())
            try await writer.commit()
        } catch {
            await writer.abort()
            throw error
        }
        var record = ObjectRecord(
            bucket: request.bucket.rawValue, key: request.key.rawValue, versionId: Self.newVersionId(for: bucketRecord), size: writer.bytesWritten, etag: digests.md5.hexString,
            lastModified: Self.nowMillis(), headers: request.headers, blobId: writer.id,
            checksumAlgorithm: request.checksumAlgorithm?.rawValue,
            checksumValue: request.checksumAlgorithm.flatMap { digests.checksum($0)?.base64String },
            integrityCRC32C: digests.crc32cValue, storageClass: request.storageClass, ownerId: ownerId, tags: request.tags
        )
        record.acl = acl
        record.retention = request.retention ?? bucketRecord.objectLock?.defaultRetention(now: record.lastModified)
        record.legalHold = request.legalHold
        record.tier = tier
        if let encryption, let segmentKey {
            record.encryption = StoredEncryption(settings: encryption, segments: [segmentKey.segment(plaintextSize: writer.bytesWritten)])
            record.etag = Self.etag(md5: digests.md5, settings: encryption, key: segmentKey)
        }
        return try await commit(record, condition: request.condition)
    }

    /// A body streamed into an uncommitted blob, with its digests.
    struct Ingested {
        let writer: any BlobWriter
        let digests: DigestSet.Result
    }

    /// Streams `body` into a new blob while computing its digests; enforces `limit` and the announced
    /// length. The blob is not committed: the caller verifies the client's claims first. It is
    /// written in `tier` (nil: the default tier, where multipart parts are staged), encrypted with
    /// `sealing` when given (digests and sizes are always of the plaintext).
    func ingest<Body: AsyncSequence>(
        _ body: Body, checksum: ChecksumAlgorithm?, payloadSHA256: Bool, expectedLength: Int64?, limit: Int64, tier: String? = nil,
        sealing: ChunkedSealing? = nil
    ) async throws -> Ingested where Body.Element == ByteBuffer {
        if let expectedLength, expectedLength > limit {
            throw MagpieError(.entityTooLarge, details: [("ProposedSize", String(expectedLength)), ("MaxSizeAllowed", String(limit))])
        }
        let stored = try await tiers.create(inTier: tier ?? tiers.defaultTier)
        let writer: any BlobWriter = sealing.map { SealingBlobWriter(wrapping: stored, sealing: $0) } ?? stored
        do {
            var set = DigestSet(requested: checksum, payloadSHA256: payloadSHA256)
            var total: Int64 = 0
            for try await chunk in body {
                total += Int64(chunk.readableBytes)
                if total > limit { throw MagpieError(.entityTooLarge) }
                set.update(chunk)
                try await writer.write(chunk)
            }
            if let expectedLength, expectedLength != total { throw MagpieError(.incompleteBody) }
            return Ingested(writer: writer, digests: set.finalize(requestedAlgorithm: checksum))
        } catch {
            await writer.abort()
            throw error
        }
    }

    /// Commits a durable blob's metadata row; on failure the blob is removed again. A condition that
    /// held before the body was read but fails at commit lost a race with another write: S3 calls that
    /// `ConditionalRequestConflict` (409), not `PreconditionFailed`.
    func commit(_ record: ObjectRecord, condition: WriteCondition) async throws -> ObjectRecord {
        let released: [String]
        do {
            released = try await metadata.putObject(record, condition: condition)
        } catch let error as MagpieError where condition != .none && (error.code == .preconditionFailed || error.code == .noSuchKey) {
            await blobs.delete(record.blobId)
            throw MagpieError(.conditionalRequestConflict, cause: error)
        } catch {
            await blobs.delete(record.blobId)
            throw error
        }
        for id in released { await blobs.delete(id) }
        return record
    }

    func verify(_ digests: DigestSet.Result, request: PutObjectRequest, trailers: [(name: String, value: String)]) throws {
        if let md5 = request.contentMD5, md5 != digests.md5 {
            throw MagpieError(.badDigest, "The Content-MD5 you specified did not match what we received.")
        }
        if let expected = request.expectedCRC32C, expected != digests.crc32cValue {
            checksumFailures.increment()
            throw MagpieError(.internalError, "The source object failed its integrity check.")
        }
        if let expected = request.payloadSHA256, digests.sha256?.hexString != expected {
            throw MagpieError(.xAmzContentSHA256Mismatch, details: [("ClientComputedContentSHA256", expected)])
        }
        guard let algorithm = request.checksumAlgorithm else { return }
        let claimed = request.checksumValue ?? trailers.first { $0.name.lowercased() == algorithm.headerName }?.value
        guard let claimed else {
            if request.checksumInTrailer { throw MagpieError(.invalidRequest, "The \(algorithm.headerName) trailer was declared but not sent.") }
            return
        }
        guard let decoded = Base64.decode(claimed), decoded.count == algorithm.digestLength else {
            throw MagpieError(.invalidRequest, "Value for \(algorithm.headerName) header is invalid.")
        }
        if decoded != digests.checksum(algorithm) {
            throw MagpieError(.badDigest, "The \(algorithm.rawValue) you specified did not match the calculated checksum.")
        }
    }
}
