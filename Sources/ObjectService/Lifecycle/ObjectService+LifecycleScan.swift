import BlobStore
import Logging
import MagpieCore
import MetadataStore
import S3Protocol

/// What one lifecycle pass (or batch) did.
public struct LifecycleTally: Sendable, Equatable {
    public var expired = 0
    public var transitioned = 0
    public var removed = 0
    public var aborted = 0
    public var failed = 0

    public init() {}
    public var total: Int { expired + transitioned + removed + aborted }
}

extension ObjectService {
    /// One bounded batch of the lifecycle scanner: every version of up to `keyLimit` keys after
    /// `after`, with the actions due by `now` performed. Returns the last key examined, nil when the
    /// bucket has no more keys. An action that fails is logged and counted; the batch goes on.
    public func lifecycleObjectBatch(
        _ bucket: BucketRecord, configuration: LifecycleConfiguration, after: String?, keyLimit: Int, now: Int64, tally: inout LifecycleTally
    ) async throws -> String? {
        let records = try await metadata.versionsOfKeys(bucket: bucket.name, after: after, keyLimit: keyLimit)
        var start = records.startIndex
        while start < records.endIndex {
            let key = records[start].key
            var end = start
            while end < records.endIndex, records[end].key == key { end += 1 }
            let versions = Array(records[start..<end])
            let actions = configuration.actions(
                key: key, versions: versions.map { Self.lifecycleVersion($0, now: now) }, versioning: bucket.versioning, now: now, clock: clock
            )
            for action in actions {
                do {
                    try await perform(action, versions: versions, bucket: bucket, now: now, tally: &tally)
                } catch {
                    tally.failed += 1
                    logger.error("lifecycle action failed", metadata: ["bucket": "\(bucket.name)", "action": "\(action)", "error": "\(error)"])
                }
            }
            start = end
        }
        return records.last?.key
    }

    func perform(_ action: LifecycleAction, versions: [ObjectRecord], bucket: BucketRecord, now: Int64, tally: inout LifecycleTally) async throws {
        switch action {
        case .expireCurrent(let versionId, let ruleId):
            guard let record = versions.first(where: { $0.versionId == versionId }) else { return }
            var marker: ObjectRecord?
            if bucket.versioning != nil {
                // Versioned buckets keep the data: a delete marker becomes current (the null one when suspended).
                marker = ObjectRecord(
                    bucket: bucket.name, key: record.key, versionId: Self.newVersionId(for: bucket), isDeleteMarker: true, size: 0, etag: "",
                    lastModified: Self.nowMillis(), headers: [:], blobId: "", integrityCRC32C: 0, ownerId: bucket.ownerId
                )
            }
            guard let released = try await metadata.expireCurrent(record, marker: marker) else { return }
            for blob in released where !blob.isEmpty { await blobs.delete(blob) }
            tally.expired += 1
            logger.debug("lifecycle expired an object", metadata: ["bucket": "\(bucket.name)", "rule": "\(ruleId)"])
        case .transition(let versionId, let target, let ruleId):
            guard let record = versions.first(where: { $0.versionId == versionId }) else { return }
            if try await transition(record, to: target) {
                tally.transitioned += 1
                logger.debug("lifecycle transitioned an object", metadata: ["bucket": "\(bucket.name)", "rule": "\(ruleId)", "class": "\(target)"])
            }
        case .removeVersion(let versionId, let ruleId):
            guard let record = versions.first(where: { $0.versionId == versionId }) else { return }
            // Re-checked at the moment of removal: a lock set meanwhile wins.
            if record.legalHold || (record.retention.map { $0.until > Self.nowMillis() } ?? false) { return }
            guard let released = try await metadata.removeVersion(record) else { return }
            for blob in released where !blob.isEmpty { await blobs.delete(blob) }
            tally.removed += 1
            logger.debug("lifecycle removed a version", metadata: ["bucket": "\(bucket.name)", "rule": "\(ruleId)"])
        }
    }

    /// One bounded batch of incomplete multipart uploads after `after` (key, upload id): those an
    /// AbortIncompleteMultipartUpload rule has made due are aborted. Returns the last upload examined.
    public func lifecycleUploadBatch(
        _ bucket: BucketRecord, configuration: LifecycleConfiguration, after: (key: String, uploadId: String)?, limit: Int, now: Int64,
        tally: inout LifecycleTally
    ) async throws -> (key: String, uploadId: String)? {
        let uploads = try await metadata.listUploads(
            bucket: bucket.name, prefix: "", keyMarker: after?.key, uploadIdMarker: after?.uploadId, limit: limit)
        for upload in uploads {
            guard configuration.abortRule(key: upload.key, initiated: upload.initiated, now: now, clock: clock) != nil else { continue }
            do {
                for blob in try await metadata.abortUpload(upload.uploadId) { await blobs.delete(blob) }
                tally.aborted += 1
            } catch let error as MagpieError where error.code == .noSuchUpload {
                continue  // completed or aborted meanwhile
            }
        }
        return uploads.last.map { ($0.key, $0.uploadId) }
    }
}
