import MagpieCore

/// Percent-encoding as SigV4 defines it (RFC 3986 unreserved set, uppercase hex, UTF-8 bytes).
///
/// S3 canonicalises what the client sent rather than trusting it: every value is decoded once and
/// re-encoded, so `test$file` and `test%24file` sent by different clients sign the same way.
enum AuthURIEncoding {
    /// `A-Z a-z 0-9 - . _ ~`: the only bytes SigV4 leaves unencoded (besides `/` in paths).
    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// Encodes every byte except the unreserved set (and `/` when `keepSlash`).
    static func encode<Bytes: Sequence<UInt8>>(_ bytes: Bytes, keepSlash: Bool = false) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 3)
        for byte in bytes {
            if isUnreserved(byte) || (keepSlash && byte == UInt8(ascii: "/")) {
                out.append(byte)
            } else {
                appendEscape(byte, to: &out)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func encode(_ string: String, keepSlash: Bool = false) -> String {
        encode(string.utf8, keepSlash: keepSlash)
    }

    /// Decodes `%XX` escapes; a `%` not followed by two hex digits is kept literally.
    /// `+` is kept as `+` (RFC 3986), never turned into a space.
    static func decodeBytes(_ string: Substring) -> [UInt8] {
        let bytes = Array(string.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = Hex.value(bytes[index + 1]), let low = Hex.value(bytes[index + 2])
            {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return out
    }

    static func decode(_ string: Substring) -> String {
        String(decoding: decodeBytes(string), as: UTF8.self)
    }

    /// Canonical form of a path as sent: each escape or raw byte becomes its SigV4 encoding.
    ///
    /// Equivalent to "decode once, encode everything but unreserved and `/`", except that an
    /// escaped slash (`%2F`) stays escaped: it names a different key than a real `/`, and a client
    /// that sent `%2F` signed `%2F`.
    static func canonicalPath(_ rawPath: String) -> String {
        let bytes = Array(rawPath.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 8)
        var index = 0
        while index < bytes.count {
            var byte = bytes[index]
            var wasEscaped = false
            if byte == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = Hex.value(bytes[index + 1]), let low = Hex.value(bytes[index + 2])
            {
                byte = high << 4 | low
                wasEscaped = true
                index += 3
            } else {
                index += 1
            }
            if isUnreserved(byte) || (byte == UInt8(ascii: "/") && !wasEscaped) {
                out.append(byte)
            } else {
                appendEscape(byte, to: &out)
            }
        }
        if out.isEmpty { return "/" }
        return String(decoding: out, as: UTF8.self)
    }

    private static func appendEscape(_ byte: UInt8, to out: inout [UInt8]) {
        let digits = Array("0123456789ABCDEF".utf8)
        out.append(UInt8(ascii: "%"))
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0x0F)])
    }
}
