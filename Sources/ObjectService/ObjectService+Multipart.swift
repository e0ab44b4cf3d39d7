import BlobStore
import CMagpieChecksum
import MagpieCore
import MetadataStore
import NIOCore
import S3Protocol

extension ObjectService {
    public func createMultipartUpload(_ request: CreateUploadRequest, for principal: Principal) async throws -> UploadRecord {
        let bucketRecord = try await existingBucket(request.bucket, for: principal)
        let (ownerId, acl) = try await newObjectAccess(bucket: bucketRecord, acl: request.acl, for: principal)
        var type = request.checksumType?.uppercased()
        if let algorithm = request.checksumAlgorithm {
            type = type ?? "COMPOSITE"
            if type == "FULL_OBJECT", algorithm == .sha1 || algorithm == .sha256 {
                throw MagpieError(.invalidRequest, "The FULL_OBJECT checksum type cannot be used with the \(algorithm.rawValue) checksum algorithm.")
            }
            guard type == "COMPOSITE" || type == "FULL_OBJECT" else { throw MagpieError(.invalidRequest, "Invalid x-amz-checksum-type.") }
        } else if type != nil {
            throw MagpieError(.invalidRequest, "x-amz-checksum-type requires x-amz-checksum-algorithm.")
        }
        var upload = UploadRecord(
            uploadId: Credentials.uploadId(), bucket: request.bucket.rawValue, key: request.key.rawValue, initiated: Self.nowMillis(),
            ownerId: ownerId, headers: request.headers, checksumAlgorithm: request.checksumAlgorithm?.rawValue,
            checksumType: type, storageClass: request.storageClass
        )
        upload.tags = request.tags
        upload.acl = acl
        upload.encryption = try await writeEncryption(request.encryption, bucket: bucketRecord)
        try await metadata.createUpload(upload)
        return upload
    }

    /// The upload, if it exists for exactly this bucket and key and the caller may use the bucket.
    @discardableResult
    func authorizedUpload(_ bucket: BucketName, _ key: ObjectKey, _ uploadId: String, for principal: Principal) async throws
        -> (upload: UploadRecord, bucket: BucketRecord)
    {
        let record = try await existingBucket(bucket, for: principal)
        guard let upload = try await metadata.upload(uploadId), upload.bucket == bucket.rawValue, upload.key == key.rawValue else {
            throw MagpieError(.noSuchUpload, details: [("UploadId", uploadId)])
        }
        return (upload, record)
    }

    public func uploadPart<Body: AsyncSequence>(
        _ address: PartAddress, integrity: PartIntegrity, body: Body, trailers: @Sendable () -> [(name: String, value: String)],
        for principal: Principal
    ) async throws -> PartRecord where Body.Element == ByteBuffer {
        let upload = try await authorizedUpload(address.bucket, address.key, address.uploadId, for: principal).upload
        let algorithm = integrity.checksumAlgorithm ?? upload.checksumAlgorithm.flatMap(ChecksumAlgorithm.init(rawValue:))
        let segmentKey = try await partSegmentKey(upload, customerKey: integrity.customerKey)
        let ingested = try await ingest(
            body, checksum: algorithm, payloadSHA256: integrity.payloadSHA256 != nil, expectedLength: integrity.expectedLength,
            limit: configuration.maxPartSize, sealing: segmentKey?.sealing
        )
        var claims = PutObjectRequest(
            bucket: address.bucket, key: address.key, headers: [:], contentMD5: integrity.contentMD5, payloadSHA256: integrity.payloadSHA256,
            checksumAlgorithm: algorithm, checksumValue: integrity.checksumValue
        )
        claims.checksumInTrailer = integrity.checksumInTrailer
        do {
            try verify(ingested.digests, request: claims, trailers: trailers())
            try await ingested.writer.commit()
        } catch {
            await ingested.writer.abort()
            throw error
        }
        return try await storePart(address, ingested, algorithm: algorithm, upload: upload, segmentKey: segmentKey)
    }

    /// The data key of a new part of an encrypted upload; an SSE-C upload's parts must send its key.
    func partSegmentKey(_ upload: UploadRecord, customerKey: CustomerKey?) async throws -> SegmentKey? {
        guard let settings = upload.encryption else {
            if customerKey != nil { throw Self.customerKeyNotApplicable }
            return nil
        }
        if settings.method == .customer {
            guard let customerKey else {
                throw MagpieError(.invalidRequest,
                    "The multipart upload initiate requested encryption. Subsequent part requests must include the appropriate encryption parameters.")
            }
            try checkCustomerKey(customerKey, against: settings, mismatch: MagpieError(.invalidRequest,
                "The provided encryption parameters did not match the ones used originally."))
        } else if customerKey != nil {
            throw Self.customerKeyNotApplicable
        }
        return try await newSegmentKey(settings, customerKey: customerKey)
    }

    /// Records a committed part blob as part `address.partNumber` (replacing an earlier upload of it).
    func storePart(_ address: PartAddress, _ ingested: Ingested, algorithm: ChecksumAlgorithm?, upload: UploadRecord, segmentKey: SegmentKey?)
        async throws -> PartRecord
    {
        var part = PartRecord(
            uploadId: address.uploadId, partNumber: address.partNumber, size: ingested.writer.bytesWritten,
            etag: Self.etag(md5: ingested.digests.md5, settings: upload.encryption, key: segmentKey), blobId: ingested.writer.id,
            checksumValue: algorithm.flatMap { ingested.digests.checksum($0)?.base64String }, crc32c: ingested.digests.crc32cValue,
            lastModified: Self.nowMillis()
        )
        part.sealing = segmentKey?.segment(plaintextSize: ingested.writer.bytesWritten)
        part.uploadEncryption = upload.encryption
        do {
            for released in try await metadata.putPart(part) { await blobs.delete(released) }
        } catch {
            await blobs.delete(part.blobId)
            throw error
        }
        return part
    }

    /// UploadPartCopy: a byte range (or all) of an existing object becomes a part.
    public func uploadPartCopy(
        _ address: PartAddress, source: (BucketName, ObjectKey, String?), range: ClosedRange<Int64>?, conditions: Conditions,
        sourceCustomerKey: CustomerKey? = nil, customerKey: CustomerKey? = nil, for principal: Principal
    ) async throws -> PartRecord {
        let upload = try await authorizedUpload(address.bucket, address.key, address.uploadId, for: principal).upload
        let segmentKey = try await partSegmentKey(upload, customerKey: customerKey)
        let object = try await openObject(source.0, source.1, versionId: source.2, customerKey: sourceCustomerKey, for: principal)
        do {
            let record = object.record
            guard conditions.evaluate(etag: ETag(record.etag), lastModified: record.lastModified / 1000, forWrite: true) == .proceed else {
                throw MagpieError(.preconditionFailed)
            }
            if let range, range.upperBound >= record.size {
                throw MagpieError(.invalidArgument, "Range specified is not valid for source object of size: \(record.size)",
                    details: [("ArgumentName", "x-amz-copy-source-range")])
            }
            let selected = range ?? (record.size > 0 ? 0...(record.size - 1) : nil)
            let chunks = RangeChunks(reader: object, range: selected, chunkSize: configuration.readChunkSize)
            let algorithm = upload.checksumAlgorithm.flatMap(ChecksumAlgorithm.init(rawValue:))
            let ingested = try await ingest(
                chunks, checksum: algorithm, payloadSHA256: false, expectedLength: nil, limit: configuration.maxPartSize, sealing: segmentKey?.sealing)
            do {
                try await ingested.writer.commit()
            } catch {
                await ingested.writer.abort()
                throw error
            }
            await object.close()
            return try await storePart(address, ingested, algorithm: algorithm, upload: upload, segmentKey: segmentKey)
        } catch {
            await object.close()
            throw error
        }
    }

    public func abortMultipartUpload(_ bucket: BucketName, _ key: ObjectKey, uploadId: String, for principal: Principal) async throws {
        try await authorizedUpload(bucket, key, uploadId, for: principal)
        for blob in try await metadata.abortUpload(uploadId) { await blobs.delete(blob) }
    }
}

/// Pull-based chunks of a byte range of an opened object.
struct RangeChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let reader: OpenedObject
    let range: ClosedRange<Int64>?
    let chunkSize: Int

    struct AsyncIterator: AsyncIteratorProtocol {
        let reader: OpenedObject
        var offset: Int64
        let end: Int64
        let chunkSize: Int

        mutating func next() async throws -> ByteBuffer? {
            guard offset < end else { return nil }
            let length = Int(Swift.min(Int64(chunkSize), end - offset))
            let chunk = try await reader.reader.read(offset: offset, length: length)
            offset += Int64(length)
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(reader: reader, offset: range?.lowerBound ?? 0, end: range.map { $0.upperBound + 1 } ?? 0, chunkSize: chunkSize)
    }
}
