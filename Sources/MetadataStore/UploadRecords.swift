import MagpieCore

/// A multipart upload in progress.
public struct UploadRecord: Sendable, Equatable {
    public var uploadId: String
    public var bucket: String
    public var key: String
    public var initiated: Int64  // ms since epoch
    public var ownerId: String
    /// Headers to store on the completed object (set at CreateMultipartUpload, as S3 does).
    public var headers: [String: String]
    public var checksumAlgorithm: String?
    /// `COMPOSITE` (checksum of the part checksums) or `FULL_OBJECT` (CRCs only).
    public var checksumType: String?
    public var storageClass: String
    public var tags = TagSet()
    /// The ACL (access layer JSON) the completed object gets.
    public var acl: String?
    /// How the upload's parts are encrypted (nil: not encrypted).
    public var encryption: ServerSideEncryption?

    public init(
        uploadId: String, bucket: String, key: String, initiated: Int64, ownerId: String, headers: [String: String],
        checksumAlgorithm: String?, checksumType: String?, storageClass: String
    ) {
        self.checksumType = checksumType
        self.uploadId = uploadId
        self.bucket = bucket
        self.key = key
        self.initiated = initiated
        self.ownerId = ownerId
        self.headers = headers
        self.checksumAlgorithm = checksumAlgorithm
        self.storageClass = storageClass
    }
}

/// One uploaded part; re-uploading a part number replaces it.
public struct PartRecord: Sendable, Equatable {
    public var uploadId: String
    public var partNumber: Int
    public var size: Int64
    public var etag: String
    public var blobId: String
    public var checksumValue: String?
    public var crc32c: UInt32
    public var lastModified: Int64
    /// The part's encrypted segment (its own wrapped data key) when the upload is encrypted.
    public var sealing: SealedSegment?
    /// The upload's encryption, as UploadPart reports it in its response headers (not stored with the part).
    public var uploadEncryption: ServerSideEncryption?

    public init(
        uploadId: String, partNumber: Int, size: Int64, etag: String, blobId: String, checksumValue: String?, crc32c: UInt32,
        lastModified: Int64
    ) {
        self.uploadId = uploadId
        self.partNumber = partNumber
        self.size = size
        self.etag = etag
        self.blobId = blobId
        self.checksumValue = checksumValue
        self.crc32c = crc32c
        self.lastModified = lastModified
    }
}
