/// `s3://bucket/key` (a source) or `s3://bucket/prefix/` (a destination), parsed without I/O.
public struct S3Location: Sendable, Equatable, Codable, CustomStringConvertible {
    public var bucket: String
    public var key: String

    public init(bucket: String, key: String) {
        self.bucket = bucket
        self.key = key
    }

    /// Parses `s3://bucket/key…`; `requireKey` refuses a bare bucket.
    public static func parse(_ text: String, requireKey: Bool) throws(JobError) -> S3Location {
        guard text.hasPrefix("s3://") else { throw .invalidSpec("\"\(Self.clip(text))\" is not an s3://bucket/key address.") }
        let rest = text.dropFirst(5)
        let bucket = String(rest.prefix { $0 != "/" })
        let key = String(rest.dropFirst(bucket.count + 1))
        guard (3...63).contains(bucket.count), bucket.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "." || $0 == "-") })
        else { throw .invalidSpec("\"\(Self.clip(text))\" does not name a valid bucket.") }
        if requireKey && key.isEmpty { throw .invalidSpec("\"\(Self.clip(text))\" names a bucket but no key.") }
        guard key.utf8.count <= 1024 else { throw .invalidSpec("The key in \"\(Self.clip(text))\" is longer than 1024 bytes.") }
        return S3Location(bucket: bucket, key: key)
    }

    public var description: String { "s3://\(bucket)/\(key)" }

    /// The destination as a prefix: ends with `/` unless empty.
    public var asPrefix: String { key.isEmpty || key.hasSuffix("/") ? key : key + "/" }

    static func clip(_ text: String) -> String { text.count > 80 ? String(text.prefix(80)) + "…" : text }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self = try Self.parse(text, requireKey: false)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
