import MagpieCore
import MetadataStore

extension ObjectService {
    public func createBucket(_ name: BucketName, region: String?, access: BucketAccessSettings = BucketAccessSettings(), for principal: Principal) async throws {
        let owned = try await metadata.listBuckets(ownerId: principal.canonicalId)
        if owned.count >= configuration.maxBucketsPerUser, !owned.contains(where: { $0.name == name.rawValue }) {
            throw MagpieError(.tooManyBuckets)
        }
        var record = BucketRecord(
            name: name.rawValue, ownerId: principal.canonicalId, region: region ?? configuration.region, createdAt: Self.nowMillis()
        )
        record.access = access
        bucketChanged(name.rawValue)
        try await metadata.createBucket(record)
        bucketChanged(name.rawValue)
    }

    /// The caller's buckets (all buckets for root).
    public func listBuckets(for principal: Principal) async throws -> [BucketRecord] {
        try await metadata.listBuckets(ownerId: principal.isRoot ? nil : principal.canonicalId)
    }

    public func deleteBucket(_ name: BucketName, for principal: Principal) async throws {
        _ = try await existingBucket(name, for: principal)
        try await metadata.deleteBucket(name.rawValue)
        bucketChanged(name.rawValue)
    }
}
