import BlobStore
import MagpieCore
import MetadataStore

extension ObjectService {
    /// Deletes the current object; deleting a missing key succeeds, as in S3.
    public func deleteObject(_ bucket: BucketName, _ key: ObjectKey, for principal: Principal) async throws {
        _ = try await authorizedBucket(bucket, for: principal)
        try await removeObject(bucket, key)
    }

    func removeObject(_ bucket: BucketName, _ key: ObjectKey) async throws {
        if let removed = try await metadata.deleteObject(bucket: bucket.rawValue, key: key.rawValue) {
            await blobs.delete(removed.blobId)
        }
    }

    public struct DeleteOutcome: Sendable {
        public var key: String
        public var versionId: String?
        public var error: MagpieError?
    }

    /// DeleteObjects: each key independently; per-key failures are reported, not thrown.
    public func deleteObjects(_ bucket: BucketName, keys: [(key: String, versionId: String?)], for principal: Principal) async throws
        -> [DeleteOutcome]
    {
        _ = try await authorizedBucket(bucket, for: principal)
        var outcomes: [DeleteOutcome] = []
        for entry in keys {
            do {
                let key = try ObjectKey(entry.key)
                if let version = entry.versionId, version != "null" {
                    // Versioning arrives with a later issue; an explicit non-null version cannot exist yet.
                    throw MagpieError(.noSuchVersion, details: [("Key", entry.key), ("VersionId", version)])
                }
                try await removeObject(bucket, key)
                outcomes.append(DeleteOutcome(key: entry.key, versionId: entry.versionId))
            } catch let error as MagpieError {
                outcomes.append(DeleteOutcome(key: entry.key, versionId: entry.versionId, error: error))
            }
        }
        return outcomes
    }
}
