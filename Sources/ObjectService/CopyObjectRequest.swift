import MagpieCore
import MetadataStore
import S3Protocol

/// CopyObject, parsed: source, destination, which metadata to keep, and the source preconditions.
public struct CopyObjectRequest: Sendable {
    public var sourceBucket: BucketName
    public var sourceKey: ObjectKey
    public var sourceVersionId: String?
    /// `x-amz-tagging-directive: REPLACE`: these tags; nil keeps the source's (`COPY`).
    public var replacementTags: TagSet?
    /// `x-amz-object-lock-*` on the copy (nil: the destination bucket's default retention).
    public var retention: ObjectLock.Retention?
    public var legalHold = false
    public var bucket: BucketName
    public var key: ObjectKey
    /// `REPLACE` directive: these headers replace the source's; nil keeps the source's (`COPY`).
    public var replacementHeaders: [String: String]?
    public var sourceConditions: Conditions
    public var checksumAlgorithm: ChecksumAlgorithm?
    public var storageClass: String?
    public var condition: WriteCondition
    /// The destination's ACL (`x-amz-acl`, `x-amz-grant-*`); the source's ACL is never copied, as in S3.
    public var acl: ACLInput?
    /// The destination's encryption (nil: the destination bucket's default, as in S3).
    public var encryption: EncryptionRequest?
    /// The source's SSE-C key (`x-amz-copy-source-server-side-encryption-customer-*`).
    public var sourceCustomerKey: CustomerKey?

    public init(
        sourceBucket: BucketName, sourceKey: ObjectKey, bucket: BucketName, key: ObjectKey, replacementHeaders: [String: String]?,
        sourceConditions: Conditions, checksumAlgorithm: ChecksumAlgorithm? = nil, storageClass: String? = nil,
        condition: WriteCondition = .none
    ) {
        self.sourceBucket = sourceBucket
        self.sourceKey = sourceKey
        self.bucket = bucket
        self.key = key
        self.replacementHeaders = replacementHeaders
        self.sourceConditions = sourceConditions
        self.checksumAlgorithm = checksumAlgorithm
        self.storageClass = storageClass
        self.condition = condition
    }
}
