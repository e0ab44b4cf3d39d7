import MagpieCore

/// PutBucketEncryption's `ServerSideEncryptionConfiguration`: one rule with the default algorithm,
/// an optional KMS key and the bucket-key flag.
public struct BucketEncryption: Sendable, Equatable {
    public var method: ServerSideEncryption.Method
    public var kmsMasterKeyId: String?
    public var bucketKeyEnabled: Bool

    public init(method: ServerSideEncryption.Method, kmsMasterKeyId: String? = nil, bucketKeyEnabled: Bool = false) {
        self.method = method
        self.kmsMasterKeyId = kmsMasterKeyId
        self.bucketKeyEnabled = bucketKeyEnabled
    }

    public static func parse(_ bytes: [UInt8]) throws(MagpieError) -> BucketEncryption {
        let document = try XMLNode.parse(bytes)
        let rules = document.all("Rule")
        guard document.name == "ServerSideEncryptionConfiguration", rules.count == 1 else { throw MagpieError(.malformedXML) }
        let rule = rules[0]
        guard let defaults = rule.child("ApplyServerSideEncryptionByDefault"), let algorithm = defaults.value("SSEAlgorithm") else {
            throw MagpieError(.malformedXML)
        }
        var bucketKey = false
        if let text = rule.value("BucketKeyEnabled") {
            guard text == "true" || text == "false" else { throw MagpieError(.malformedXML) }
            bucketKey = text == "true"
        }
        let keyId = defaults.value("KMSMasterKeyID").flatMap { $0.isEmpty ? nil : $0 }
        switch algorithm {
        case "AES256":
            guard keyId == nil else {
                throw MagpieError(.invalidArgument, "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse",
                    details: [("ArgumentName", "ApplyServerSideEncryptionByDefault")])
            }
            return BucketEncryption(method: .s3, bucketKeyEnabled: bucketKey)
        case "aws:kms":
            return BucketEncryption(method: .kms, kmsMasterKeyId: keyId, bucketKeyEnabled: bucketKey)
        case "aws:kms:dsse":
            throw MagpieError(.notImplemented, "Dual-layer server-side encryption (aws:kms:dsse) is not implemented.")
        default:
            throw MagpieError(.malformedXML)
        }
    }

    /// GetBucketEncryption's body; `kmsKeyARN` is the key as reported (an ARN).
    public static func xml(method: ServerSideEncryption.Method, kmsKeyARN: String?, bucketKeyEnabled: Bool) -> XMLWriter {
        var xml = XMLWriter()
        xml.element("ServerSideEncryptionConfiguration", namespace: XMLWriter.s3Namespace) { body in
            body.element("Rule") { rule in
                rule.element("ApplyServerSideEncryptionByDefault") { defaults in
                    defaults.element("SSEAlgorithm", method.rawValue)
                    if let kmsKeyARN { defaults.element("KMSMasterKeyID", kmsKeyARN) }
                }
                rule.element("BucketKeyEnabled", bucketKeyEnabled ? "true" : "false")
            }
        }
        return xml
    }
}
