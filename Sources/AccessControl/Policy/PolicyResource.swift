import Foundation

/// A `Resource` of a bucket policy: an S3 ARN pattern inside the policy's own bucket
/// (`arn:aws:s3:::photos`, `arn:aws:s3:::photos/*`, `arn:aws:s3:::photos/public/*.jpg`).
public struct PolicyResource: Sendable, Hashable {
    public static let arnPrefix = "arn:aws:s3:::"
    public let pattern: String
    /// Contains `${…}` policy variables (expanded per request).
    let hasVariables: Bool

    /// nil when `text` is not an S3 ARN of `bucket` ("Policy has invalid resource").
    init?(_ text: String, bucket: String) {
        guard text.hasPrefix(Self.arnPrefix) else { return nil }
        let path = text.dropFirst(Self.arnPrefix.count)
        let bucketPart = path.prefix { $0 != "/" }
        guard !bucketPart.isEmpty, Wildcard.matches(String(bucketPart), bucket) else { return nil }
        pattern = text
        hasVariables = text.contains("${")
    }

    func matches(_ arn: String) -> Bool { Wildcard.matches(pattern, arn) }

    /// Can name the bucket itself.
    func appliesToBucket(_ bucket: String) -> Bool { matches(Self.arnPrefix + bucket) }
    /// Can name objects (a key part, or a trailing wildcard that reaches into keys).
    var appliesToObjects: Bool { pattern.dropFirst(Self.arnPrefix.count).contains("/") || pattern.hasSuffix("*") }
}
