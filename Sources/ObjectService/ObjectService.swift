import AccessControl
import BlobStore
import Logging
import MagpieCore
import Metrics
import MetadataStore
import S3Protocol

/// S3 semantics — buckets, objects, ownership, integrity — over a metadata store and a blob store.
/// The HTTP layer calls this; it never touches the stores directly.
public struct ObjectService: Sendable {
    public let metadata: any MetadataStore
    /// Every tier's blobs; as a plain `BlobStore` it is the default tier (deletes reach every tier).
    public let blobs: any BlobStore
    /// The same stores by tier name: writes go to the tier of the object's storage class, reads to
    /// the tier recorded with the version.
    public let tiers: TieredBlobStore
    public let configuration: ObjectServiceConfiguration
    let logger: Logger
    let checksumFailures = Counter(label: "magpie_checksum_failures_total")
    /// Parsed access settings per bucket, so that authorization costs microseconds (invalidated on change).
    let accessCache = ExpiringCache<BucketAccess>()
    /// Bucket records (every request reads one); dropped by `bucketChanged` on every change here.
    let bucketCache = ExpiringCache<BucketRecord>()
    /// Access keys' secrets and principals: authentication costs two queries otherwise (dropped when
    /// a key or user is deleted here; 5 s at most for changes made by another process).
    let credentialCache = ExpiringCache<(secretKey: String, principal: Principal)>()
    let lifecycleCache = LifecycleCache()
    /// Master key and KMS keyring (encryption at rest).
    public let keys: EncryptionKeys

    /// `blobs` may be a `TieredBlobStore`; any other store is the single (default) tier.
    public init(metadata: any MetadataStore, blobs: any BlobStore, configuration: ObjectServiceConfiguration, logger: Logger) {
        self.metadata = metadata
        let tiered = blobs as? TieredBlobStore ?? TieredBlobStore(tiers: [StorageTiers.defaultTier: blobs], defaultTier: StorageTiers.defaultTier)
        self.blobs = tiered
        self.tiers = tiered
        self.configuration = configuration
        self.logger = logger
        self.keys = EncryptionKeys(masterKey: configuration.masterKey, metadata: metadata)
    }

    /// Lifecycle time: real days, or the debug day length.
    public var clock: LifecycleClock { LifecycleClock(daySeconds: configuration.lifecycleDaySeconds) }

    /// Milliseconds since the epoch, the resolution metadata keeps.
    static func nowMillis() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }

    /// The bucket, or `NoSuchBucket`. Whether the principal may act on it was decided before the service was
    /// called, by `authorize` (bucket policy, ACLs, ownership); `principal` is kept for the record it writes.
    public func existingBucket(_ name: BucketName, for principal: Principal) async throws -> BucketRecord {
        guard let bucket = try await bucketRecord(name.rawValue) else {
            throw MagpieError(.noSuchBucket, details: [("BucketName", name.rawValue)])
        }
        return bucket
    }

    /// A bucket's record, from the cache while fresh (nil: no such bucket; absence is not cached).
    public func bucketRecord(_ name: String) async throws -> BucketRecord? {
        if let cached = bucketCache.get(name) { return cached }
        let ticket = bucketCache.ticket()
        guard let record = try await metadata.bucket(name) else { return nil }
        bucketCache.put(name, record, ticket: ticket)
        return record
    }

    /// Every change to a bucket's record goes through here after (or around) the write: the cached
    /// record and access settings are dropped.
    func bucketChanged(_ name: String) {
        bucketCache.invalidate(name)
        accessCache.invalidate(name)
    }

    /// Removes temp files and blobs no metadata row references (crash leftovers). Run before serving.
    public func collectGarbage() async throws -> GarbageReport {
        let metadata = metadata
        return try await blobs.collectGarbage { ids in try await metadata.referencedBlobIds(ids) }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
