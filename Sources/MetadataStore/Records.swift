import MagpieCore

/// An account: every access key belongs to one. `canonicalId` is what S3 shows as Owner/ID.
public struct UserRecord: Sendable, Equatable, Codable {
    public var canonicalId: String
    public var name: String
    public var email: String?
    public var isRoot: Bool
    public var createdAt: Int64  // ms since epoch

    public init(canonicalId: String, name: String, email: String?, isRoot: Bool, createdAt: Int64) {
        self.canonicalId = canonicalId
        self.name = name
        self.email = email
        self.isRoot = isRoot
        self.createdAt = createdAt
    }
}

public struct AccessKeyRecord: Sendable, Equatable, Codable {
    public var accessKey: String
    public var secretKey: String
    public var userId: String
    public var createdAt: Int64

    public init(accessKey: String, secretKey: String, userId: String, createdAt: Int64) {
        self.accessKey = accessKey
        self.secretKey = secretKey
        self.userId = userId
        self.createdAt = createdAt
    }
}

public struct BucketRecord: Sendable, Equatable {
    public var name: String
    public var ownerId: String
    public var region: String
    public var createdAt: Int64
    /// nil (never versioned), `Enabled` or `Suspended`; once set it never returns to nil.
    public var versioning: String?
    public var tags: TagSet?
    /// Set when object lock is enabled on the bucket (with its default retention, if any).
    public var objectLock: ObjectLock.Configuration?
    /// Access control settings, stored as documents the access layer owns (nil: not configured).
    public var access = BucketAccessSettings()
    /// The lifecycle configuration as stored (JSON of the S3 layer's model), nil when none.
    public var lifecycle: String?
    /// Default encryption for new objects (PutBucketEncryption), nil when none.
    public var encryption: ServerSideEncryption?

    public init(name: String, ownerId: String, region: String, createdAt: Int64, versioning: String? = nil, tags: TagSet? = nil) {
        self.tags = tags
        self.versioning = versioning
        self.name = name
        self.ownerId = ownerId
        self.region = region
        self.createdAt = createdAt
    }
}

/// One stored object version. `headers` holds the user metadata and the stored system headers
/// (Content-Type, Cache-Control, …) exactly as they are returned on GET/HEAD.
public struct ObjectRecord: Sendable, Equatable {
    public var bucket: String
    public var key: String
    public var versionId: String
    public var isLatest: Bool
    public var isDeleteMarker: Bool
    public var size: Int64
    public var etag: String
    public var lastModified: Int64  // ms since epoch
    public var headers: [String: String]
    public var blobId: String
    /// The checksum the client asked for (`x-amz-checksum-*`), algorithm name and base64 value.
    public var checksumAlgorithm: String?
    public var checksumValue: String?
    /// CRC32C of the whole blob, checked while GET streams it.
    public var integrityCRC32C: UInt32
    public var storageClass: String
    public var ownerId: String
    /// Part sizes of an object assembled by CompleteMultipartUpload (nil for a single PUT).
    public var partSizes: [Int64]?
    /// Per-part checksums (base64) of a multipart object uploaded with a checksum algorithm.
    public var partChecksums: [String]?
    public var tags: TagSet
    public var retention: ObjectLock.Retention?
    public var legalHold = false
    /// The version's ACL as a JSON document of the access layer (nil: private to its owner).
    public var acl: String?
    /// The storage tier (a directory, another disk) holding the blob; the class chooses it at write
    /// and transition time, and reads always go to the tier recorded here.
    public var tier = StorageTiers.defaultTier
    /// A restore of an archived version (RestoreObject): ongoing, or done with a temporary copy.
    public var restore: RestoreState?
    /// Set when the version is encrypted at rest: how, and the wrapped data key of each segment.
    public var encryption: StoredEncryption?

    public init(
        bucket: String, key: String, versionId: String = "null", isLatest: Bool = true, isDeleteMarker: Bool = false,
        size: Int64, etag: String, lastModified: Int64, headers: [String: String], blobId: String,
        checksumAlgorithm: String? = nil, checksumValue: String? = nil, integrityCRC32C: UInt32,
        storageClass: String = "STANDARD", ownerId: String, partSizes: [Int64]? = nil, tags: TagSet = TagSet()
    ) {
        self.tags = tags
        self.partSizes = partSizes
        self.bucket = bucket
        self.key = key
        self.versionId = versionId
        self.isLatest = isLatest
        self.isDeleteMarker = isDeleteMarker
        self.size = size
        self.etag = etag
        self.lastModified = lastModified
        self.headers = headers
        self.blobId = blobId
        self.checksumAlgorithm = checksumAlgorithm
        self.checksumValue = checksumValue
        self.integrityCRC32C = integrityCRC32C
        self.storageClass = storageClass
        self.ownerId = ownerId
    }
}

/// A bucket's access-control settings as stored: the policy text as given, the others as JSON documents
/// of the access layer. nil means not configured.
public struct BucketAccessSettings: Sendable, Equatable {
    public var policy: String?
    public var cors: String?
    public var publicAccessBlock: String?
    public var objectOwnership: String?
    public var acl: String?

    public init(policy: String? = nil, cors: String? = nil, publicAccessBlock: String? = nil, objectOwnership: String? = nil, acl: String? = nil) {
        self.policy = policy
        self.cors = cors
        self.publicAccessBlock = publicAccessBlock
        self.objectOwnership = objectOwnership
        self.acl = acl
    }

    /// One setting, for updates.
    public enum Field: String, Sendable, CaseIterable {
        case policy, cors
        case publicAccessBlock = "public_access_block"
        case objectOwnership = "object_ownership"
        case acl
    }
}

/// A named key of the local KMS keyring; its material is stored only wrapped by the master key.
public struct KMSKeyRecord: Sendable, Equatable {
    public var name: String
    /// Base64 of the key wrapped by the master key.
    public var material: String
    public var createdAt: Int64
    public var enabled: Bool

    public init(name: String, material: String, createdAt: Int64, enabled: Bool = true) {
        self.name = name
        self.material = material
        self.createdAt = createdAt
        self.enabled = enabled
    }
}
