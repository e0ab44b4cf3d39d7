import BlobStore
import CMagpieChecksum
import MagpieCore
import MetadataStore
import S3Protocol

extension ObjectService {
    /// CompleteMultipartUpload: validates the part list as S3 does, composes the listed parts into one
    /// blob in the kernel (no second pass through memory), derives the ETag (`md5(part md5s)-N`), the
    /// whole-object CRC32C and the upload's checksum from the part digests, and commits atomically.
    public func completeMultipartUpload(
        _ bucket: BucketName, _ key: ObjectKey, uploadId: String, parts requested: [CompletedPart], condition: WriteCondition,
        expectedChecksum: String? = nil, for principal: Principal
    ) async throws -> ObjectRecord {
        let (upload, bucketRecord) = try await authorizedUpload(bucket, key, uploadId, for: principal)
        if condition != .none {
            try condition.check(against: try await metadata.currentObject(bucket: bucket.rawValue, key: key.rawValue), key: key.rawValue)
        }
        let stored = Dictionary(uniqueKeysWithValues: try await metadata.parts(uploadId: uploadId).map { ($0.partNumber, $0) })
        let plan = try CompletionPlan(requested: requested, stored: stored, minPartSize: configuration.minPartSize)
        let chosen = plan.parts
        let algorithm = upload.checksumAlgorithm.flatMap(ChecksumAlgorithm.init(rawValue:))
        let checksum = try algorithm.map { try Self.combinedChecksum($0, type: upload.checksumType, parts: chosen) }
        if let expectedChecksum, let checksum, expectedChecksum != checksum, expectedChecksum != checksum.split(separator: "-").first.map(String.init) {
            throw MagpieError(.badDigest, "The \(algorithm!.rawValue) you specified did not match the calculated checksum.")
        }
        let crc = chosen.dropFirst().reduce(chosen[0].crc32c) { magpie_crc32c_combine($0, $1.crc32c, UInt64($1.size)) }
        let encryption = try upload.encryption.map { settings in
            StoredEncryption(settings: settings, segments: try chosen.map { part in
                guard let sealing = part.sealing else { throw MagpieError(.internalError, "Part \(part.partNumber) of an encrypted upload has no data key.") }
                return sealing
            })
        }
        let (blobId, tier) = try await composeParts(chosen, crc: crc, size: plan.size, storageClass: upload.storageClass, encryption: encryption)
        var record = ObjectRecord(
            bucket: bucket.rawValue, key: key.rawValue, versionId: Self.newVersionId(for: bucketRecord), size: plan.size, etag: plan.etag, lastModified: Self.nowMillis(), headers: upload.headers, blobId: blobId,
            checksumAlgorithm: algorithm?.rawValue, checksumValue: checksum, integrityCRC32C: crc, storageClass: upload.storageClass,
            ownerId: upload.ownerId, partSizes: chosen.map(\.size), tags: upload.tags
        )
        record.acl = upload.acl
        record.encryption = encryption
        if algorithm != nil { record.partChecksums = chosen.compactMap(\.checksumValue) }
        record.tier = tier
        record.retention = bucketRecord.objectLock?.defaultRetention(now: record.lastModified)
        let released: [String]
        do {
            released = try await metadata.completeUpload(uploadId, record: record, condition: condition)
        } catch let error as MagpieError where condition != .none && (error.code == .preconditionFailed || error.code == .noSuchKey) {
            await blobs.delete(blobId)
            throw MagpieError(.conditionalRequestConflict, cause: error)
        } catch {
            await blobs.delete(blobId)
            throw error
        }
        for blob in released { await blobs.delete(blob) }
        return record
    }

    /// Parts are staged in the default tier and composed there (in the kernel); when the upload's
    /// class lives in another tier, the composed blob is then copied there (checked against `crc`).
    func composeParts(_ parts: [PartRecord], crc: UInt32, size: Int64, storageClass: String, encryption: StoredEncryption?) async throws
        -> (String, String)
    {
        let composed = try await blobs.compose(parts.map(\.blobId))
        let target = tier(for: storageClass)
        guard target != tiers.defaultTier else { return (composed, target) }
        var staged = ObjectRecord(
            bucket: "", key: "", size: size, etag: "", lastModified: 0, headers: [:], blobId: composed, integrityCRC32C: crc, ownerId: ""
        )
        staged.encryption = encryption
        let copied: String
        do {
            copied = try await copyBlob(staged, toTier: target)
        } catch {
            await blobs.delete(composed)
            throw error
        }
        await blobs.delete(composed)
        return (copied, target)
    }

    /// COMPOSITE: the checksum of the concatenated part checksums, suffixed `-N`. FULL_OBJECT (CRCs):
    /// the CRC of the whole object, combined from the part CRCs.
    static func combinedChecksum(_ algorithm: ChecksumAlgorithm, type: String?, parts: [PartRecord]) throws -> String {
        let decoded = try parts.map { part -> [UInt8] in
            guard let value = part.checksumValue, let bytes = Base64.decode(value) else {
                throw MagpieError(.invalidRequest, "Part \(part.partNumber) was uploaded without a \(algorithm.rawValue) checksum.")
            }
            return bytes
        }
        if type == "FULL_OBJECT" {
            let values = decoded.map { $0.reduce(UInt32(0)) { $0 << 8 | UInt32($1) } }
            var crc = values[0]
            for (value, part) in zip(values, parts).dropFirst() {
                crc = algorithm == .crc32 ? magpie_crc32_combine(crc, value, UInt64(part.size)) : magpie_crc32c_combine(crc, value, UInt64(part.size))
            }
            return [UInt8(crc >> 24), UInt8((crc >> 16) & 0xff), UInt8((crc >> 8) & 0xff), UInt8(crc & 0xff)].base64String
        }
        var digest = Digester(algorithm)
        for bytes in decoded { digest.update(bytes) }
        return "\(digest.finalize().base64String)-\(parts.count)"
    }

    // MARK: Listing

    public struct PartsPage: Sendable {
        public var upload: UploadRecord
        public var parts: [PartRecord]
        public var isTruncated: Bool
    }

    public func listParts(_ bucket: BucketName, _ key: ObjectKey, uploadId: String, marker: Int, maxParts: Int, for principal: Principal)
        async throws -> PartsPage
    {
        let upload = try await authorizedUpload(bucket, key, uploadId, for: principal).upload
        let after = try await metadata.parts(uploadId: uploadId).filter { $0.partNumber > marker }
        return PartsPage(upload: upload, parts: Array(after.prefix(maxParts)), isTruncated: after.count > maxParts)
    }

    public struct UploadsPage: Sendable {
        public var uploads: [UploadRecord] = []
        public var commonPrefixes: [String] = []
        public var isTruncated = false
    }

    /// ListMultipartUploads with prefix, delimiter and the key/upload-id markers.
    public func listMultipartUploads(
        _ bucket: BucketName, prefix: String, delimiter: String?, keyMarker: String?, uploadIdMarker: String?, maxUploads: Int,
        for principal: Principal
    ) async throws -> UploadsPage {
        _ = try await existingBucket(bucket, for: principal)
        var page = UploadsPage()
        var keyCursor = keyMarker, idCursor = keyMarker == nil ? nil : uploadIdMarker
        let delimiter = delimiter.flatMap { $0.isEmpty ? nil : $0 }
        while true {
            let batch = try await metadata.listUploads(
                bucket: bucket.rawValue, prefix: prefix, keyMarker: keyCursor, uploadIdMarker: idCursor, limit: 1000
            )
            for upload in batch {
                if let delimiter, let common = Self.rollUp(upload.key, prefixLength: prefix.utf8.count, delimiter: delimiter) {
                    if page.commonPrefixes.last == common { continue }
                    if page.uploads.count + page.commonPrefixes.count == maxUploads { page.isTruncated = true; return page }
                    page.commonPrefixes.append(common)
                    continue
                }
                if page.uploads.count + page.commonPrefixes.count == maxUploads { page.isTruncated = true; return page }
                page.uploads.append(upload)
            }
            guard batch.count == 1000, let last = batch.last else { return page }
            keyCursor = last.key
            idCursor = last.uploadId
        }
    }
}
