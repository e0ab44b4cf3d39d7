import MagpieCore

/// Percent-encoding for the canonical form of image URLs and the CLI (decoding and URL-safe Base64
/// are MagpieCore's `PercentEncoding` and `Base64URL`). No Foundation, so the behaviour is the same
/// on every platform.
public enum URLCoding {
    /// UTF-8 bytes percent-encoded, all but RFC 3986's unreserved characters and `keep` (so non-ASCII
    /// letters are always escaped, which Foundation's `alphanumerics` set would let through).
    public static func percentEncode(_ text: some StringProtocol, keeping keep: Set<UInt8> = []) -> String {
        var output = ""
        for byte in text.utf8 {
            if isUnreserved(byte) || keep.contains(byte) {
                output.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                output += "%" + String(hexDigits[Int(byte >> 4)]) + String(hexDigits[Int(byte & 15)])
            }
        }
        return output
    }

    private static let hexDigits = Array("0123456789ABCDEF")

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }
}
