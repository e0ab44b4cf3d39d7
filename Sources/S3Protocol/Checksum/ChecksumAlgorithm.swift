import MagpieCore

/// The additional checksums S3 supports (`x-amz-checksum-*`).
public enum ChecksumAlgorithm: String, Sendable, CaseIterable, Hashable, Codable {
    case crc32 = "CRC32"
    case crc32c = "CRC32C"
    case sha1 = "SHA1"
    case sha256 = "SHA256"

    /// The header that carries the value: `x-amz-checksum-crc32` …
    public var headerName: String { "x-amz-checksum-\(rawValue.lowercased())" }

    /// The XML/JSON element name (`ChecksumCRC32` …).
    public var elementName: String { "Checksum\(rawValue)" }

    /// Byte length of the raw digest (to validate the base64 a client sends).
    public var digestLength: Int {
        switch self {
        case .crc32, .crc32c: 4
        case .sha1: 20
        case .sha256: 32
        }
    }

    public init(header name: String) throws(MagpieError) {
        guard let value = Self(rawValue: name.uppercased()) else {
            throw MagpieError(.invalidRequest, "Value for x-amz-checksum-algorithm header is invalid.")
        }
        self = value
    }

    /// Parses a header name such as `x-amz-checksum-crc32c`.
    public static func fromHeaderName(_ name: String) -> ChecksumAlgorithm? {
        let lower = name.lowercased()
        return allCases.first { $0.headerName == lower }
    }
}
