import MagpieCore
import MetadataStore

extension ObjectService {
    public static let maxObjectTags = 10
    public static let maxBucketTags = 50

    /// Put/DeleteObjectTagging (an empty set deletes); returns the version that was tagged.
    public func setObjectTags(_ bucket: BucketName, _ key: ObjectKey, versionId: String?, tags: TagSet, for principal: Principal) async throws
        -> ObjectRecord
    {
        _ = try await existingBucket(bucket, for: principal)
        if let versionId { try Self.validateVersionId(versionId) }
        return try await metadata.setTags(bucket: bucket.rawValue, key: key.rawValue, versionId: versionId, tags: try tags.validated(limit: Self.maxObjectTags))
    }

    public func objectTags(_ bucket: BucketName, _ key: ObjectKey, versionId: String?, for principal: Principal) async throws -> ObjectRecord {
        try await headObject(bucket, key, versionId: versionId, for: principal)
    }

    public func setBucketTags(_ bucket: BucketName, tags: TagSet?, for principal: Principal) async throws {
        _ = try await existingBucket(bucket, for: principal)
        defer { bucketChanged(bucket.rawValue) }
        try await metadata.setBucketTags(bucket: bucket.rawValue, tags: try tags?.validated(limit: Self.maxBucketTags))
    }

    public func bucketTags(_ bucket: BucketName, for principal: Principal) async throws -> TagSet {
        guard let tags = try await existingBucket(bucket, for: principal).tags else {
            throw MagpieError(.noSuchTagSet, details: [("BucketName", bucket.rawValue)])
        }
        return tags
    }
}
