/// How an object (or a multipart upload) is encrypted at rest, as S3 describes it to clients:
/// SSE-S3 (`AES256`, the server's master key), SSE-KMS (`aws:kms`, a named key of the local
/// keyring) or SSE-C (the customer's own key, sent with every request and never stored).
public struct ServerSideEncryption: Sendable, Equatable, Codable {
    public enum Method: String, Sendable, Codable {
        case s3 = "AES256"
        case kms = "aws:kms"
        case customer = "SSE-C"
    }

    public var method: Method
    /// SSE-KMS: the keyring key's name.
    public var kmsKeyName: String?
    /// SSE-KMS: `x-amz-server-side-encryption-bucket-key-enabled` as asked for (echoed back).
    public var bucketKeyEnabled: Bool
    /// SSE-C: base64 MD5 of the customer key (what S3 echoes in `-customer-key-MD5`).
    public var customerKeyMD5: String?
    /// SSE-C: base64 HMAC of the customer key under a server secret, to recognise it later.
    public var customerKeyFingerprint: String?

    public init(method: Method, kmsKeyName: String? = nil, bucketKeyEnabled: Bool = false, customerKeyMD5: String? = nil, customerKeyFingerprint: String? = nil) {
        self.method = method
        self.kmsKeyName = kmsKeyName
        self.bucketKeyEnabled = bucketKeyEnabled
        self.customerKeyMD5 = customerKeyMD5
        self.customerKeyFingerprint = customerKeyFingerprint
    }

    /// The name of the key-encryption key a data key is wrapped with; it is authenticated with the
    /// wrapped key, so a wrapped key cannot be presented as another key's.
    public var wrappingKeyId: String {
        switch method {
        case .s3: "master"
        case .kms: "kms:" + (kmsKeyName ?? "")
        case .customer: "customer"
        }
    }
}

/// One independently encrypted run of an object's stored bytes: a whole single-PUT object, or one
/// part of a multipart object (parts are composed as they were stored). Each has its own random
/// data key, kept only wrapped.
public struct SealedSegment: Sendable, Equatable, Codable {
    public var plaintextSize: Int64
    /// The data key wrapped by the key-encryption key (base64).
    public var wrappedKey: String
    /// The 4-byte nonce prefix of its chunks (base64).
    public var noncePrefix: String
    public var chunkSize: Int

    public init(plaintextSize: Int64, wrappedKey: String, noncePrefix: String, chunkSize: Int) {
        self.plaintextSize = plaintextSize
        self.wrappedKey = wrappedKey
        self.noncePrefix = noncePrefix
        self.chunkSize = chunkSize
    }
}

/// What an encrypted object version stores: how it is encrypted, and its segments in order.
public struct StoredEncryption: Sendable, Equatable, Codable {
    public var settings: ServerSideEncryption
    public var segments: [SealedSegment]

    public init(settings: ServerSideEncryption, segments: [SealedSegment]) {
        self.settings = settings
        self.segments = segments
    }
}
