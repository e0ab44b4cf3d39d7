/// An entity tag as S3 stores it: the bare value (hex MD5, or `md5-N` for multipart) without quotes.
public struct ETag: Hashable, Sendable, CustomStringConvertible {
    public let value: String
    public init(_ value: String) { self.value = value }
    /// The HTTP form: the value in double quotes.
    public var quoted: String { "\"\(value)\"" }
    public var description: String { quoted }

    /// Parses a header or XML ETag, quoted or not, strong or weak (`W/"…"`), as S3 compares them.
    public static func parse(_ text: some StringProtocol) -> ETag {
        var value = Substring(text).trimmingSpaces
        if value.hasPrefix("W/") { value = value.dropFirst(2) }
        if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = value.dropFirst().dropLast() }
        return ETag(String(value))
    }

    /// Matches an `If-Match`/`If-None-Match` list: `*` or comma-separated tags.
    public func matches(list header: String) -> Bool {
        header.split(separator: ",").contains { item in
            let trimmed = item.trimmingSpaces
            return trimmed == "*" || ETag.parse(trimmed) == self
        }
    }
}
