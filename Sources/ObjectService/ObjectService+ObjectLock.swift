import MagpieCore
import MetadataStore

extension ObjectService {
    /// PutObjectLockConfiguration: allowed on buckets created with object lock, or with versioning enabled.
    public func setObjectLockConfiguration(_ bucket: BucketName, _ configuration: ObjectLock.Configuration, for principal: Principal) async throws {
        let record = try await existingBucket(bucket, for: principal)
        guard record.objectLock != nil || record.versioning == "Enabled" else {
            throw MagpieError(.invalidBucketState, "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration")
        }
        defer { bucketChanged(bucket.rawValue) }
        try await metadata.setObjectLock(bucket: bucket.rawValue, configuration: configuration)
    }

    public func objectLockConfiguration(_ bucket: BucketName, for principal: Principal) async throws -> ObjectLock.Configuration {
        guard let configuration = try await existingBucket(bucket, for: principal).objectLock else {
            throw MagpieError(.objectLockConfigurationNotFound, details: [("BucketName", bucket.rawValue)])
        }
        return configuration
    }

    /// PutObjectRetention (nil removes it, which needs GOVERNANCE bypass while it is in force).
    public func setRetention(
        _ bucket: BucketName, _ key: ObjectKey, versionId: String?, retention: ObjectLock.Retention?, bypassGovernance: Bool,
        for principal: Principal
    ) async throws -> ObjectRecord {
        guard try await existingBucket(bucket, for: principal).objectLock != nil else {
            throw MagpieError(.invalidRequest, "Bucket is missing Object Lock Configuration")
        }
        if let versionId { try Self.validateVersionId(versionId) }
        let now = Self.nowMillis()
        let update = ObjectLockUpdate(change: .retention(retention)) { current in
            try ObjectLock.checkReplace(current: current.retention, with: retention, now: now, bypassGovernance: bypassGovernance)
        }
        return try await metadata.setLock(bucket: bucket.rawValue, key: key.rawValue, versionId: versionId, update: update)
    }

    public func setLegalHold(_ bucket: BucketName, _ key: ObjectKey, versionId: String?, on: Bool, for principal: Principal) async throws
        -> ObjectRecord
    {
        guard try await existingBucket(bucket, for: principal).objectLock != nil else {
            throw MagpieError(.invalidRequest, "Bucket is missing Object Lock Configuration")
        }
        if let versionId { try Self.validateVersionId(versionId) }
        return try await metadata.setLock(bucket: bucket.rawValue, key: key.rawValue, versionId: versionId, update: ObjectLockUpdate(change: .legalHold(on)) { _ in })
    }

    /// CreateBucket with `x-amz-bucket-object-lock-enabled: true`: versioning on, no default retention.
    public func enableObjectLockAtCreation(_ bucket: BucketName) async throws {
        defer { bucketChanged(bucket.rawValue) }
        try await metadata.setObjectLock(bucket: bucket.rawValue, configuration: ObjectLock.Configuration())
    }
}
