import BlobStore
import Crypto
import Encryption
import Foundation
import Logging
import MagpieCore
import MetadataStore
import S3Protocol

/// A read that must present an object's SSE-C key (HEAD, GetObjectAttributes): the key sent, if any.
public struct CustomerKeyCheck: Sendable {
    public let key: CustomerKey?
    public init(_ key: CustomerKey?) { self.key = key }
}

extension ObjectService {
    static let customerKeyMissing = MagpieError(
        .invalidRequest, "The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.")
    static let customerKeyNotApplicable = MagpieError(.invalidRequest, "The encryption parameters are not applicable to this object.")

    /// What a new object or upload is encrypted with: the request's own headers, else the bucket's
    /// default encryption; nil when neither asks for encryption. KMS keys are checked here (they
    /// must exist and be enabled), so a bad key fails before any byte is read.
    func writeEncryption(_ request: EncryptionRequest?, bucket: BucketRecord) async throws -> ServerSideEncryption? {
        guard let request else {
            guard var settings = bucket.encryption ?? configuration.defaultEncryption else { return nil }
            switch settings.method {
            case .kms:
                // An object records the key it is actually under.
                settings.kmsKeyName = settings.kmsKeyName ?? EncryptionKeys.defaultKMSKeyName
                _ = try await keys.kmsKey(settings.kmsKeyName!, createIfDefault: true)
            case .s3:
                settings.bucketKeyEnabled = false
                _ = try keys.masterKey()
            case .customer: return nil
            }
            return settings
        }
        switch request.method {
        case .s3:
            _ = try keys.masterKey()
            return ServerSideEncryption(method: .s3)
        case .kms:
            let name = request.kmsKeyId.map(KMSKeyName.name(fromKeyId:)) ?? EncryptionKeys.defaultKMSKeyName
            _ = try await keys.kmsKey(name, createIfDefault: true)
            let bucketKey = request.bucketKeyEnabled ?? (bucket.encryption?.method == .kms ? bucket.encryption!.bucketKeyEnabled : false)
            return ServerSideEncryption(method: .kms, kmsKeyName: name, bucketKeyEnabled: bucketKey)
        case .customer:
            guard let key = request.customerKey, key.isValidLength else {
                throw MagpieError(.invalidArgument, "The secret key was invalid for the specified algorithm.")
            }
            return ServerSideEncryption(method: .customer, customerKeyMD5: key.md5, customerKeyFingerprint: try keys.fingerprint(key.bytes))
        }
    }

    /// A fresh data key for one segment (an object, or one part), wrapped for storage.
    struct SegmentKey {
        let sealing: ChunkedSealing
        let dataKey: SymmetricKey
        let wrappedKey: String
        let noncePrefix: String

        func segment(plaintextSize: Int64) -> SealedSegment {
            SealedSegment(plaintextSize: plaintextSize, wrappedKey: wrappedKey, noncePrefix: noncePrefix, chunkSize: sealing.chunkSize)
        }

        /// SSE-C ETags are not the MD5 of the data (as in S3): an MD5 of the plaintext would let
        /// anyone without the key confirm a guess of the content. This one is keyed by the data key.
        func customerETag(md5: [UInt8]) -> String {
            Array(HMAC<SHA256>.authenticationCode(for: md5, using: dataKey).prefix(16)).hexString
        }
    }

    /// The ETag of new data (an object or a part): the MD5, except under SSE-C.
    static func etag(md5: [UInt8], settings: ServerSideEncryption?, key: SegmentKey?) -> String {
        if settings?.method == .customer, let key { return key.customerETag(md5: md5) }
        return md5.hexString
    }

    func newSegmentKey(_ settings: ServerSideEncryption, customerKey: CustomerKey?) async throws -> SegmentKey {
        let kek = try await keys.keyEncryptionKey(for: settings, customerKey: customerKey)
        let dataKey = KeyWrapping.newDataKey(), prefix = KeyWrapping.newNoncePrefix()
        let wrapped = try KeyWrapping.wrap(dataKey, with: kek, keyId: settings.wrappingKeyId)
        return SegmentKey(
            sealing: ChunkedSealing(key: dataKey, noncePrefix: prefix), dataKey: dataKey,
            wrappedKey: Data(wrapped).base64EncodedString(), noncePrefix: Data(prefix).base64EncodedString())
    }

    /// S3's rules for an SSE-C key on a read (GET, HEAD, copy source): required for an SSE-C
    /// object (400 without, 403 when it is not the object's key), refused for any other.
    func checkReadKey(_ record: ObjectRecord, _ given: CustomerKey?) throws {
        guard let settings = record.encryption?.settings, settings.method == .customer else {
            if given != nil { throw Self.customerKeyNotApplicable }
            return
        }
        guard let given else { throw Self.customerKeyMissing }
        try checkCustomerKey(given, against: settings, mismatch: MagpieError(.accessDenied))
    }

    /// The same key as the one the object (or upload) was encrypted with, compared by fingerprint.
    func checkCustomerKey(_ given: CustomerKey, against settings: ServerSideEncryption, mismatch: MagpieError) throws {
        guard given.isValidLength, let expected = settings.customerKeyFingerprint, ConstantTime.equals(try keys.fingerprint(given.bytes), expected)
        else { throw mismatch }
    }

    /// The plaintext view of a version's stored blob: the blob itself, or for an encrypted version
    /// a reader that unwraps each segment's data key and decrypts only the chunks a read touches.
    func plaintextReader(_ raw: any BlobReader, record: ObjectRecord, customerKey: CustomerKey?) async throws -> any BlobReader {
        guard let stored = record.encryption else { return raw }
        let kek = try await keys.keyEncryptionKey(for: stored.settings, customerKey: customerKey)
        do {
            let segments = try stored.segments.map { segment -> (sealing: ChunkedSealing, plaintextSize: Int64) in
                guard let wrapped = Data(base64Encoded: segment.wrappedKey), let prefix = Data(base64Encoded: segment.noncePrefix), prefix.count == 4 else {
                    throw SealingError.malformedWrappedKey
                }
                let dataKey = try KeyWrapping.unwrap(Array(wrapped), with: kek, keyId: stored.settings.wrappingKeyId)
                return (ChunkedSealing(key: dataKey, noncePrefix: Array(prefix), chunkSize: segment.chunkSize), segment.plaintextSize)
            }
            return try UnsealingBlobReader(wrapping: raw, segments: segments)
        } catch let error as SealingError {
            logger.error("an encrypted version's keys or size do not match its blob", metadata: [
                "bucket": "\(record.bucket)", "blob": "\(record.blobId)", "reason": "\(error)",
            ])
            throw MagpieError(.internalError, "The object's encryption metadata does not match its stored data.")
        }
    }

    /// Bytes a version's blob holds on disk (plaintext size plus one tag per chunk when encrypted).
    func storedSize(_ record: ObjectRecord) -> Int64 {
        guard let stored = record.encryption else { return record.size }
        return stored.segments.reduce(0) { total, segment in
            total + ChunkedSealing.sealedSize(plaintextSize: segment.plaintextSize, chunkSize: segment.chunkSize)
        }
    }

    /// S3's response headers describing a version's (or upload's) encryption.
    public static func encryptionHeaders(_ settings: ServerSideEncryption?, region: String) -> [(String, String)] {
        guard let settings else { return [] }
        switch settings.method {
        case .s3: return [(SSEHeaders.method, "AES256")]
        case .kms:
            var headers = [(SSEHeaders.method, "aws:kms"), (SSEHeaders.kmsKeyId, KMSKeyName.arn(settings.kmsKeyName ?? EncryptionKeys.defaultKMSKeyName, region: region))]
            if settings.bucketKeyEnabled { headers.append((SSEHeaders.bucketKeyEnabled, "true")) }
            return headers
        case .customer:
            return [("x-amz-" + SSEHeaders.customerAlgorithm, "AES256"), ("x-amz-" + SSEHeaders.customerKeyMD5, settings.customerKeyMD5 ?? "")]
        }
    }

    // MARK: Bucket default encryption

    public func putBucketEncryption(_ bucket: BucketName, _ configuration: BucketEncryption, for principal: Principal) async throws {
        _ = try await existingBucket(bucket, for: principal)
        // Stored as put: a KMS default without a key id stays without one (objects then use aws/s3).
        var settings = ServerSideEncryption(method: configuration.method, bucketKeyEnabled: configuration.bucketKeyEnabled)
        if configuration.method == .kms {
            let name = configuration.kmsMasterKeyId.map(KMSKeyName.name(fromKeyId:))
            _ = try await keys.kmsKey(name ?? EncryptionKeys.defaultKMSKeyName, createIfDefault: true)
            settings.kmsKeyName = name
        } else {
            _ = try keys.masterKey()
        }
        defer { bucketChanged(bucket.rawValue) }
        try await metadata.setBucketEncryption(bucket: bucket.rawValue, encryption: settings)
    }

    /// The bucket's default encryption, or the server's (`--default-encryption`), as AWS reports
    /// SSE-S3 for every bucket since 2023.
    public func bucketEncryption(_ bucket: BucketName, for principal: Principal) async throws -> ServerSideEncryption {
        guard let settings = try await existingBucket(bucket, for: principal).encryption ?? configuration.defaultEncryption else {
            throw MagpieError(.serverSideEncryptionConfigurationNotFound, details: [("BucketName", bucket.rawValue)])
        }
        return settings
    }

    public func deleteBucketEncryption(_ bucket: BucketName, for principal: Principal) async throws {
        _ = try await existingBucket(bucket, for: principal)
        defer { bucketChanged(bucket.rawValue) }
        try await metadata.setBucketEncryption(bucket: bucket.rawValue, encryption: nil)
    }
}
