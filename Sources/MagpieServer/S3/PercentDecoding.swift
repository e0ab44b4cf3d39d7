import MagpieCore

/// Percent-decoding for request paths and queries: strict (bad escapes and invalid UTF-8 are
/// `InvalidURI`), `+` kept literal in paths and read as a space in queries, as S3 does.
enum PercentDecoding {
    static func decode(_ text: Substring, plusAsSpace: Bool) throws(MagpieError) -> String {
        guard let decoded = PercentEncoding.decode(text, plusAsSpace: plusAsSpace) else { throw MagpieError(.invalidURI) }
        return decoded
    }

    /// S3's `encoding-type=url` form: everything but unreserved characters and `/` escaped.
    static func encodeForListing(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let digits = Array("0123456789ABCDEF")
                out += "%\(digits[Int(byte >> 4)])\(digits[Int(byte & 15)])"
            }
        }
        return out
    }
}
