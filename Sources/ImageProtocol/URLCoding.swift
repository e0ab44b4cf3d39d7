import MagpieCore

/// The byte-level codecs both URL grammars need: percent-decoding, URL-safe Base64 without
/// padding (RFC 4648 §5), and percent-encoding for the canonical form. No Foundation, so the
/// behaviour is the same on every platform.
public enum URLCoding {
    /// Decodes `%XX` escapes once. `plusAsSpace` is for query strings (form encoding); a path keeps
    /// `+` as is, as Go's `url.PathUnescape` does. nil for a malformed escape or bytes that are not
    /// UTF-8.
    static func percentDecode(_ text: some StringProtocol, plusAsSpace: Bool = false) -> String? {
        let input = Array(text.utf8)
        guard input.contains(UInt8(ascii: "%")) || (plusAsSpace && input.contains(UInt8(ascii: "+"))) else {
            return String(text)
        }
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < input.count, let high = Hex.value(input[index + 1]), let low = Hex.value(input[index + 2]) else {
                    return nil
                }
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(plusAsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index += 1
            }
        }
        return String(validating: output, as: UTF8.self)
    }

    /// Percent-encodes every byte outside RFC 3986's unreserved set (and outside `keep`).
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
