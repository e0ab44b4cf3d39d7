import MagpieCore
import MetadataStore
import S3Protocol

/// Everything PutObject needs besides the body, already parsed and validated by the HTTP layer.
public struct PutObjectRequest: Sendable {
    public var bucket: BucketName
    public var key: ObjectKey
    /// Stored headers (Content-Type, Cache-Control, …, `x-amz-meta-*`), names lowercased.
    public var headers: [String: String]
    /// Decoded `Content-MD5`.
    public var contentMD5: [UInt8]?
    /// Lowercase hex SHA-256 the payload must have (signed payloads).
    public var payloadSHA256: String?
    /// The additional checksum to compute and store.
    public var checksumAlgorithm: ChecksumAlgorithm?
    /// Its expected base64 value when sent as a header (a trailer value arrives after the body).
    public var checksumValue: String?
    /// The client declared (`x-amz-trailer`) that the checksum follows the body.
    public var checksumInTrailer = false
    /// The decoded length the client announced, if any.
    public var expectedLength: Int64?
    public var condition: WriteCondition
    public var storageClass: String
    public var tags = TagSet()
    /// Object lock headers of the request (`x-amz-object-lock-*`); nil retention takes the bucket default.
    public var retention: ObjectLock.Retention?
    public var legalHold = false
    /// For copies: the CRC32C the source blob must still have (a corrupt source is never copied).
    public var expectedCRC32C: UInt32?
    /// The ACL asked for (`x-amz-acl`, `x-amz-grant-*`); it also decides ownership in BucketOwnerPreferred buckets.
    public var acl: ACLInput?
    /// `x-amz-server-side-encryption*` of the request (nil: the bucket's default encryption, if any).
    public var encryption: EncryptionRequest?

    public init(
        bucket: BucketName, key: ObjectKey, headers: [String: String], contentMD5: [UInt8]? = nil, payloadSHA256: String? = nil,
        checksumAlgorithm: ChecksumAlgorithm? = nil, checksumValue: String? = nil, expectedLength: Int64? = nil,
        condition: WriteCondition = .none, storageClass: String = "STANDARD"
    ) {
        self.bucket = bucket
        self.key = key
        self.headers = headers
        self.contentMD5 = contentMD5
        self.payloadSHA256 = payloadSHA256
        self.checksumAlgorithm = checksumAlgorithm
        self.checksumValue = checksumValue
        self.expectedLength = expectedLength
        self.condition = condition
        self.storageClass = storageClass
    }
}
