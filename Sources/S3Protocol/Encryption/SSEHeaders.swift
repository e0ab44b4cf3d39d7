import Crypto
import Foundation
import MagpieCore

/// The encryption a write asks for (`x-amz-server-side-encryption*` headers or POST form fields).
public struct EncryptionRequest: Sendable, Equatable {
    public var method: ServerSideEncryption.Method
    /// `x-amz-server-side-encryption-aws-kms-key-id` as the client sent it (id, alias or ARN).
    public var kmsKeyId: String?
    public var bucketKeyEnabled: Bool?
    /// SSE-C: the customer's key (never stored).
    public var customerKey: CustomerKey?

    public init(method: ServerSideEncryption.Method, kmsKeyId: String? = nil, bucketKeyEnabled: Bool? = nil, customerKey: CustomerKey? = nil) {
        self.method = method
        self.kmsKeyId = kmsKeyId
        self.bucketKeyEnabled = bucketKeyEnabled
        self.customerKey = customerKey
    }
}

/// An SSE-C key as sent: its bytes (32 for AES-256; other lengths are refused where they are
/// used) and the base64 MD5 that S3 echoes back.
public struct CustomerKey: Sendable, Equatable {
    public let bytes: [UInt8]
    public let md5: String

    public init(bytes: [UInt8], md5: String) {
        self.bytes = bytes
        self.md5 = md5
    }

    public var isValidLength: Bool { bytes.count == 32 }
}

/// Parsing of S3's server-side encryption headers, with S3's errors.
public enum SSEHeaders {
    public static let method = "x-amz-server-side-encryption"
    public static let kmsKeyId = "x-amz-server-side-encryption-aws-kms-key-id"
    public static let bucketKeyEnabled = "x-amz-server-side-encryption-bucket-key-enabled"
    public static let customerAlgorithm = "server-side-encryption-customer-algorithm"
    public static let customerKey = "server-side-encryption-customer-key"
    public static let customerKeyMD5 = "server-side-encryption-customer-key-md5"

    /// What a write (PUT, POST, COPY destination, CreateMultipartUpload) asks for; nil: nothing.
    /// `value` looks a header (or form field) up by its lowercase name.
    public static func write(_ value: (String) -> String?) throws(MagpieError) -> EncryptionRequest? {
        let customer = try customerKey(value, prefix: "x-amz-", forWrite: true)
        let requested = value(method)
        let keyId = value(kmsKeyId)
        let bucketKey = try value(bucketKeyEnabled).map { text throws(MagpieError) -> Bool in
            switch text.lowercased() {
            case "true": return true
            case "false": return false
            default: throw MagpieError(.invalidArgument, "Invalid value for x-amz-server-side-encryption-bucket-key-enabled", details: [("ArgumentName", bucketKeyEnabled)])
            }
        }
        if let customer {
            guard requested == nil, keyId == nil else {
                throw MagpieError(.invalidArgument, "Server Side Encryption with Customer provided key is incompatible with the encryption method specified",
                    details: [("ArgumentName", method), ("ArgumentValue", requested ?? "")])
            }
            return EncryptionRequest(method: .customer, customerKey: customer)
        }
        guard let requested else {
            if keyId != nil {
                throw MagpieError(.invalidArgument, "Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms",
                    details: [("ArgumentName", kmsKeyId)])
            }
            return nil
        }
        switch requested {
        case "AES256":
            if keyId != nil {
                throw MagpieError(.invalidArgument, "Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms",
                    details: [("ArgumentName", kmsKeyId)])
            }
            return EncryptionRequest(method: .s3, bucketKeyEnabled: bucketKey)
        case "aws:kms":
            if let keyId, keyId.isEmpty || keyId.utf8.count > 2048 {
                throw MagpieError(.kmsNotFound, "Invalid keyId \(keyId)")
            }
            return EncryptionRequest(method: .kms, kmsKeyId: keyId, bucketKeyEnabled: bucketKey)
        case "aws:kms:dsse":
            throw MagpieError(.notImplemented, "Dual-layer server-side encryption (aws:kms:dsse) is not implemented.")
        default:
            throw MagpieError(.invalidArgument, "The encryption method specified is not supported",
                details: [("ArgumentName", method), ("ArgumentValue", requested)])
        }
    }

    /// The SSE-C key of a request (`prefix` `x-amz-`, or `x-amz-copy-source-` for a copy's source);
    /// nil when none of its three headers is present. Reads may leave out the key's MD5 (S3
    /// accepts that); writes must send it.
    public static func customerKey(_ value: (String) -> String?, prefix: String, forWrite: Bool) throws(MagpieError) -> CustomerKey? {
        let algorithm = value(prefix + customerAlgorithm), key = value(prefix + customerKey), md5 = value(prefix + customerKeyMD5)
        guard algorithm != nil || key != nil || md5 != nil else { return nil }
        guard let algorithm else {
            throw MagpieError(.invalidArgument, "Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm.",
                details: [("ArgumentName", prefix + customerAlgorithm)])
        }
        guard algorithm == "AES256" else {
            throw MagpieError(.invalidEncryptionAlgorithm, details: [("ArgumentName", prefix + customerAlgorithm), ("ArgumentValue", algorithm)])
        }
        guard let key, !key.isEmpty else {
            throw MagpieError(.invalidArgument, "Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key.",
                details: [("ArgumentName", prefix + customerKey)])
        }
        guard let bytes = Base64.decode(key), !bytes.isEmpty else {
            throw MagpieError(.invalidArgument, "The secret key was invalid for the specified algorithm.", details: [("ArgumentName", prefix + customerKey)])
        }
        let computed = Data(Insecure.MD5.hash(data: bytes)).base64EncodedString()
        if let md5 {
            guard md5 == computed else {
                throw MagpieError(.invalidArgument, "The calculated MD5 hash of the key did not match the hash that was provided.",
                    details: [("ArgumentName", prefix + customerKeyMD5)])
            }
        } else if forWrite {
            throw MagpieError(.invalidArgument, "Requests specifying Server Side Encryption with Customer provided keys must provide the client calculated MD5 of the secret key.",
                details: [("ArgumentName", prefix + customerKeyMD5)])
        }
        if forWrite, bytes.count != 32 {
            throw MagpieError(.invalidArgument, "The secret key was invalid for the specified algorithm.", details: [("ArgumentName", prefix + customerKey)])
        }
        return CustomerKey(bytes: bytes, md5: computed)
    }
}
