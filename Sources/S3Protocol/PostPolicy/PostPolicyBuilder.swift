import Foundation

/// Builds the fields of a SigV4 browser upload (a "presigned POST") for Magpie's CLI and clients,
/// byte for byte as botocore's `generate_presigned_post` would for the same inputs.
///
/// The form lets its user choose the file name under `keyPrefix` (`key` is `keyPrefix${filename}`,
/// bound by `["starts-with", "$key", keyPrefix]`), optionally fixes the `Content-Type`, and caps
/// the size with `["content-length-range", 0, maxSize]`.
public struct PostPolicyBuilder: Sendable {
    public var bucket: String
    public var keyPrefix: String
    public var expiration: Date
    public var maxSize: Int64?
    public var contentType: String?

    public init(bucket: String, keyPrefix: String, expiration: Date, maxSize: Int64?, contentType: String?) {
        self.bucket = bucket
        self.keyPrefix = keyPrefix
        self.expiration = expiration
        self.maxSize = maxSize
        self.contentType = contentType
    }

    /// The form fields, in the order to send them, before the `file` part: `Content-Type` (if set),
    /// `key`, `x-amz-algorithm`, `x-amz-credential`, `x-amz-date`, `policy`, `x-amz-signature`.
    public func fields(accessKey: String, secretKey: String, region: String, date: Date) -> [(String, String)] {
        let timestamp = AuthDate.formatISO8601Basic(date)
        let credential = "\(accessKey)/\(timestamp.prefix(8))/\(region)/s3/aws4_request"
        var conditions: [PolicyJSON] = []
        if let contentType { conditions.append(.object([("Content-Type", .string(contentType))])) }
        if let maxSize { conditions.append(.array([.string("content-length-range"), .number("0"), .number(String(maxSize))])) }
        conditions += [
            .object([("bucket", .string(bucket))]),
            .array([.string("starts-with"), .string("$key"), .string(keyPrefix)]),
            .object([("x-amz-algorithm", .string("AWS4-HMAC-SHA256"))]),
            .object([("x-amz-credential", .string(credential))]),
            .object([("x-amz-date", .string(timestamp))]),
        ]
        let document = PolicyJSON.object([("expiration", .string(PolicyDate.format(expiration))), ("conditions", .array(conditions))])
        let policy = Base64.encode(Array(document.rendered(asciiOnly: true).utf8))
        let key = AuthCrypto.signingKey(secretKey: secretKey, date: String(timestamp.prefix(8)), region: region, service: "s3")
        let signature = AuthCrypto.hex(AuthCrypto.hmacSHA256(key: key, policy))

        var fields: [(String, String)] = contentType.map { [("Content-Type", $0)] } ?? []
        fields += [
            ("key", keyPrefix + "${filename}"),
            ("x-amz-algorithm", "AWS4-HMAC-SHA256"),
            ("x-amz-credential", credential),
            ("x-amz-date", timestamp),
            ("policy", policy),
            ("x-amz-signature", signature),
        ]
        return fields
    }
}
