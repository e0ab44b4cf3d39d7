/// A validated S3 bucket name (AWS general-purpose bucket naming rules).
public struct BucketName: Hashable, Sendable, CustomStringConvertible, Comparable {
    public let rawValue: String

    /// Validates `raw` against AWS's rules: 3–63 characters of `a-z 0-9 . -`, starting and ending with a
    /// letter or digit, no adjacent dots, not an IPv4 address, none of the reserved prefixes and suffixes.
    public init(_ raw: String) throws(MagpieError) {
        guard Self.isValid(raw) else {
            throw MagpieError(.invalidBucketName, "The specified bucket is not valid.", details: [("BucketName", raw)])
        }
        self.rawValue = raw
    }

    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    static let reservedPrefixes = ["xn--", "sthree-", "amzn-s3-demo-"]
    static let reservedSuffixes = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"]

    public static func isValid(_ raw: String) -> Bool {
        let bytes = Array(raw.utf8)
        guard (3...63).contains(bytes.count) else { return false }
        func isLowerAlnum(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) }
        guard isLowerAlnum(bytes.first!), isLowerAlnum(bytes.last!) else { return false }
        var previous: UInt8 = 0
        for b in bytes {
            guard isLowerAlnum(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: "-") else { return false }
            if b == UInt8(ascii: "."), previous == UInt8(ascii: ".") { return false }
            previous = b
        }
        if reservedPrefixes.contains(where: raw.hasPrefix) || reservedSuffixes.contains(where: raw.hasSuffix) { return false }
        return !looksLikeIPv4(raw)
    }

    static func looksLikeIPv4(_ raw: String) -> Bool {
        let parts = raw.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCII) && part.allSatisfy(\.isNumber)
        }
    }
}
