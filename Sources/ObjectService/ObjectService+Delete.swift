import BlobStore
import MagpieCore
import MetadataStore

extension ObjectService {
    func removeObject(_ bucket: BucketName, _ key: ObjectKey) async throws {
        if let removed = try await metadata.deleteObject(bucket: bucket.rawValue, key: key.rawValue) {
            await blobs.delete(removed.blobId)
            if let copy = removed.restore?.blobId { await blobs.delete(copy) }
        }
    }

    public struct DeleteOutcome: Sendable {
        public var key: String
        public var versionId: String?
        public var error: MagpieError?
        public var result = DeleteResult()

        public init(key: String, versionId: String?, error: MagpieError? = nil, result: DeleteResult = DeleteResult()) {
            self.key = key
            self.versionId = versionId
            self.error = error
            self.result = result
        }
    }

    /// DeleteObjects: each key independently; per-key failures are reported, not thrown.
    public func deleteObjects(
        _ bucket: BucketName, keys: [(key: String, versionId: String?)], bypassGovernance: Bool = false, for principal: Principal
    ) async throws
        -> [DeleteOutcome]
    {
        _ = try await existingBucket(bucket, for: principal)
        var outcomes: [DeleteOutcome] = []
        for entry in keys {
            do {
                let key = try ObjectKey(entry.key)
                let result = try await deleteObject(bucket, key, versionId: entry.versionId, bypassGovernance: bypassGovernance, for: principal)
                outcomes.append(DeleteOutcome(key: entry.key, versionId: entry.versionId, result: result))
            } catch let error as MagpieError {
                outcomes.append(DeleteOutcome(key: entry.key, versionId: entry.versionId, error: error))
            }
        }
        return outcomes
    }
}
