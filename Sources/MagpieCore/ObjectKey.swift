/// A validated S3 object key: any valid UTF-8 string of 1…1,024 bytes.
///
/// Keys are never file paths: blobs are stored under generated names, so `../`, `//` and a trailing `/`
/// are ordinary characters here.
public struct ObjectKey: Hashable, Sendable, CustomStringConvertible, Comparable {
    public static let maxLength = 1024
    public let rawValue: String

    public init(_ raw: String) throws(MagpieError) {
        guard !raw.isEmpty else { throw MagpieError(.invalidArgument, "The key must not be empty.") }
        guard raw.utf8.count <= Self.maxLength else {
            throw MagpieError(.keyTooLong, "Your key is too long", details: [("Size", String(raw.utf8.count)), ("MaxSizeAllowed", "1024")])
        }
        self.rawValue = raw
    }

    public var description: String { rawValue }
    /// UTF-8 binary order, the order in which S3 lists keys.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue.utf8.lexicographicallyPrecedes(rhs.rawValue.utf8) }
}
