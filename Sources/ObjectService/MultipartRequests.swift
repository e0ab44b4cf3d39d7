import MagpieCore
import MetadataStore
import S3Protocol

/// CreateMultipartUpload, parsed.
public struct CreateUploadRequest: Sendable {
    public var bucket: BucketName
    public var key: ObjectKey
    public var headers: [String: String]
    public var checksumAlgorithm: ChecksumAlgorithm?
    /// `COMPOSITE` or `FULL_OBJECT`; nil picks S3's default for the algorithm.
    public var checksumType: String?
    public var storageClass: String
    public var tags = TagSet()
    /// The completed object's ACL (`x-amz-acl`, `x-amz-grant-*`).
    public var acl: ACLInput?
    /// How the parts are encrypted (nil: the bucket's default encryption, if any).
    public var encryption: EncryptionRequest?

    public init(
        bucket: BucketName, key: ObjectKey, headers: [String: String], checksumAlgorithm: ChecksumAlgorithm?, checksumType: String?,
        storageClass: String
    ) {
        self.bucket = bucket
        self.key = key
        self.headers = headers
        self.checksumAlgorithm = checksumAlgorithm
        self.checksumType = checksumType
        self.storageClass = storageClass
    }
}

/// Which upload and part a request addresses.
public struct PartAddress: Sendable {
    public var bucket: BucketName
    public var key: ObjectKey
    public var uploadId: String
    public var partNumber: Int

    public init(bucket: BucketName, key: ObjectKey, uploadId: String, partNumber: Int) throws(MagpieError) {
        guard (1...10_000).contains(partNumber) else {
            throw MagpieError(
                .invalidArgument, "Part number must be an integer between 1 and 10000, inclusive",
                details: [("ArgumentName", "partNumber"), ("ArgumentValue", String(partNumber))]
            )
        }
        self.bucket = bucket
        self.key = key
        self.uploadId = uploadId
        self.partNumber = partNumber
    }
}

/// The integrity claims of an UploadPart request.
public struct PartIntegrity: Sendable {
    public var contentMD5: [UInt8]?
    public var payloadSHA256: String?
    public var checksumAlgorithm: ChecksumAlgorithm?
    public var checksumValue: String?
    public var checksumInTrailer = false
    public var expectedLength: Int64?
    /// The SSE-C key of an upload created with one (every part must send the same key).
    public var customerKey: CustomerKey?

    public init(contentMD5: [UInt8]? = nil, payloadSHA256: String? = nil, checksumAlgorithm: ChecksumAlgorithm? = nil, checksumValue: String? = nil, expectedLength: Int64? = nil) {
        self.contentMD5 = contentMD5
        self.payloadSHA256 = payloadSHA256
        self.checksumAlgorithm = checksumAlgorithm
        self.checksumValue = checksumValue
        self.expectedLength = expectedLength
    }
}

/// One `<Part>` of a CompleteMultipartUpload body.
public struct CompletedPart: Sendable {
    public var partNumber: Int
    public var etag: String
    public var checksumValue: String?

    public init(partNumber: Int, etag: String, checksumValue: String?) {
        self.partNumber = partNumber
        self.etag = etag
        self.checksumValue = checksumValue
    }
}
