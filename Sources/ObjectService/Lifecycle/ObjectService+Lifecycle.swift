import BlobStore
import Foundation
import Logging
import MagpieCore
import MetadataStore
import S3Protocol

extension ObjectService {
    /// The bucket's lifecycle configuration, decoded (cached while unchanged).
    public func lifecycleConfiguration(of bucket: BucketRecord) -> LifecycleConfiguration? {
        lifecycleCache.configuration(bucket: bucket.name, json: bucket.lifecycle)
    }

    /// GetBucketLifecycleConfiguration: `NoSuchLifecycleConfiguration` when there is none.
    public func lifecycle(_ bucket: BucketName, for principal: Principal) async throws -> LifecycleConfiguration {
        let record = try await existingBucket(bucket, for: principal)
        guard let configuration = lifecycleConfiguration(of: record) else {
            throw MagpieError(.noSuchLifecycleConfiguration, details: [("BucketName", bucket.rawValue)])
        }
        return configuration
    }

    /// Put (a validated configuration) or Delete (nil) BucketLifecycleConfiguration.
    public func setLifecycle(_ bucket: BucketName, _ configuration: LifecycleConfiguration?, for principal: Principal) async throws {
        _ = try await existingBucket(bucket, for: principal)
        let json = try configuration.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        defer { bucketChanged(bucket.rawValue) }
        try await metadata.setLifecycle(bucket: bucket.rawValue, configuration: json)
    }

    /// When a current version will expire under `configuration`, and by which rule.
    public func expiration(of record: ObjectRecord, under configuration: LifecycleConfiguration?) -> (due: Int64, ruleId: String)? {
        guard let configuration, record.isLatest else { return nil }
        return configuration.expiration(key: record.key, version: Self.lifecycleVersion(record, now: Self.nowMillis()), clock: clock)
    }

    /// A record as lifecycle rules see it.
    static func lifecycleVersion(_ record: ObjectRecord, now: Int64) -> LifecycleVersion {
        LifecycleVersion(
            versionId: record.versionId, isLatest: record.isLatest, isDeleteMarker: record.isDeleteMarker, size: record.size,
            lastModified: record.lastModified, tags: record.tags, storageClass: StorageClass(record.storageClass),
            locked: record.legalHold || (record.retention.map { $0.until > now } ?? false)
        )
    }
}
