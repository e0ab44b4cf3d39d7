import Foundation

/// The policy's `expiration`: ISO 8601 extended, UTC, `2015-12-30T12:00:00.000Z` (AWS's examples)
/// or `2015-12-29T01:00:00Z` (botocore, aws-sdk-js-v3). S3 refuses offsets and a space for `T`.
enum PolicyDate {
    /// `d` is a digit; anything else must match exactly.
    private static let pattern = Array("dddd-dd-ddTdd:dd:dd".utf8)

    static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.last == UInt8(ascii: "Z") else { return nil }
        for (byte, expected) in zip(bytes, pattern) {
            let matches = expected == UInt8(ascii: "d") ? isDigit(byte) : byte == expected
            guard matches else { return nil }
        }
        let basic = bytes[0..<19].filter { $0 != UInt8(ascii: "-") && $0 != UInt8(ascii: ":") } + [UInt8(ascii: "Z")]
        guard let whole = AuthDate.parseISO8601Basic(String(decoding: basic, as: UTF8.self)) else { return nil }
        let fraction = bytes[19..<(bytes.count - 1)]
        if fraction.isEmpty { return whole }
        let digits = fraction.dropFirst()
        guard fraction.first == UInt8(ascii: "."), (1...9).contains(digits.count), digits.allSatisfy(isDigit),
            let value = Double("0." + String(decoding: digits, as: UTF8.self))
        else { return nil }
        return whole.addingTimeInterval(value)
    }

    /// Formats as botocore does: `yyyy-MM-dd'T'HH:mm:ss'Z'`.
    static func format(_ date: Date) -> String {
        let basic = Array(AuthDate.formatISO8601Basic(date))
        let day = String(basic[0..<4]) + "-" + String(basic[4..<6]) + "-" + String(basic[6..<8])
        let time = String(basic[9..<11]) + ":" + String(basic[11..<13]) + ":" + String(basic[13..<15])
        return day + "T" + time + "Z"
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
