import MagpieCore

/// Limits and defaults of the object layer, with conservative values (AWS's where AWS has one).
public struct ObjectServiceConfiguration: Sendable {
    /// Largest single PUT/COPY body (AWS: 5 GiB).
    public var maxObjectSize: Int64 = 5 << 30
    /// Smallest part except the last in a multipart upload (AWS: 5 MiB).
    public var minPartSize: Int64 = 5 << 20
    /// Largest single part (AWS: 5 GiB).
    public var maxPartSize: Int64 = 5 << 30
    /// User metadata (`x-amz-meta-*` names plus values) limit (AWS: 2 KB).
    public var maxUserMetadataBytes: Int = 2048
    /// Region reported by GetBucketLocation and used as the default bucket region.
    public var region: String = "us-east-1"
    /// Read size for streaming GET bodies.
    public var readChunkSize: Int = 256 * 1024
    /// Buckets a user may own.
    public var maxBucketsPerUser: Int = 1000
    /// Block Public Access on this server: new buckets get all four settings (AWS's default since 2023),
    /// `enforce` applies them to every bucket whatever its own settings, `off` creates buckets without them.
    public var publicAccessBlock: PublicAccessBlockMode = .newBuckets
    /// Which storage tier each storage class writes to (tier names; see `TierLayout`).
    public var classTiers: [StorageClass: String] = TierLayout.defaultClassTiers
    /// Length of a lifecycle day in seconds: 86,400, or less to watch rules act quickly (debug).
    public var lifecycleDaySeconds: Int64 = 86_400
    /// How long a RestoreObject takes before its copy is readable (0: at once; at most a year).
    public var restoreSeconds: Int64 = 0
    public static let maxRestoreSeconds: Int64 = 365 * 86_400
    /// The 32-byte master key that wraps SSE-S3 data keys and the KMS keyring (from the key file
    /// or the environment); nil: encryption at rest is not available on this server.
    public var masterKey: [UInt8]?
    /// Encryption for new objects in buckets without their own default (`--default-encryption
    /// AES256` encrypts everything, as AWS does since 2023); nil: unencrypted unless asked.
    public var defaultEncryption: ServerSideEncryption?

    public init() {}

    public func validate() throws {
        precondition(maxObjectSize > 0 && readChunkSize >= 4096, "invalid object service configuration")
        precondition(masterKey == nil || masterKey!.count == 32, "the master key must be 32 bytes")
        precondition((1...86_400).contains(lifecycleDaySeconds) && (0...Self.maxRestoreSeconds).contains(restoreSeconds), "invalid lifecycle timing")
    }
}

/// How Block Public Access applies server-wide (`magpie serve --public-access-block`).
public enum PublicAccessBlockMode: String, Sendable, CaseIterable {
    case newBuckets = "new-buckets"
    case enforce
    case off
}
