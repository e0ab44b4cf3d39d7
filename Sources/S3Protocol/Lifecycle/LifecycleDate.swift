import Foundation
import MagpieCore

/// Lifecycle `Date` values: ISO 8601 (`2030-10-10T00:00:00.000Z`, `…Z`, `+00:00`, or no zone, which
/// S3 reads as UTC). S3 requires midnight UTC.
enum LifecycleDate {
    enum Failure: Error, Equatable {
        case malformed
        case notMidnight
    }

    /// Epoch seconds of a midnight UTC.
    static func parseMidnight(_ text: String) -> Result<Int64, Failure> {
        let bytes = Array(text.trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        func number(_ range: Range<Int>) -> Int64? {
            guard range.upperBound <= bytes.count, range.allSatisfy({ isDigit(bytes[$0]) }) else { return nil }
            return range.reduce(Int64(0)) { $0 * 10 + Int64(bytes[$1] - 48) }
        }
        guard bytes.count >= 19, let year = number(0..<4), bytes[4] == UInt8(ascii: "-"), let month = number(5..<7),
            bytes[7] == UInt8(ascii: "-"), let day = number(8..<10), bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
            let hour = number(11..<13), bytes[13] == UInt8(ascii: ":"), let minute = number(14..<16), bytes[16] == UInt8(ascii: ":"),
            let second = number(17..<19), (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60
        else { return .failure(.malformed) }
        var index = 19
        var fractionIsZero = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < bytes.count, isDigit(bytes[index]) {
                if bytes[index] != UInt8(ascii: "0") { fractionIsZero = false }
                index += 1
            }
            if index == start { return .failure(.malformed) }
        }
        var offsetSeconds: Int64 = 0
        let zone = bytes[index...]
        if zone.isEmpty || zone.elementsEqual("Z".utf8) || zone.elementsEqual("z".utf8) {
            offsetSeconds = 0
        } else if zone.count == 6, zone.first == UInt8(ascii: "+") || zone.first == UInt8(ascii: "-"),
            let hours = number(index + 1..<index + 3), bytes[index + 3] == UInt8(ascii: ":"), let minutes = number(index + 4..<index + 6)
        {
            offsetSeconds = (hours * 3600 + minutes * 60) * (zone.first == UInt8(ascii: "+") ? 1 : -1)
        } else {
            return .failure(.malformed)
        }
        let seconds = HTTPDate.days(fromCivil: year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        guard fractionIsZero, seconds % 86_400 == 0 else { return .failure(.notMidnight) }
        return .success(seconds)
    }

    /// `2030-10-10T00:00:00.000Z`, as S3 writes dates back.
    static func format(_ epochSeconds: Int64) -> String { HTTPDate.iso8601(epochMillis: epochSeconds * 1000) }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
}
