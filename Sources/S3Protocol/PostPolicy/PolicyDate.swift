import Foundation
import MagpieCore

/// The policy's `expiration`: ISO 8601 extended, UTC, `2015-12-30T12:00:00.000Z` (AWS's examples)
/// or `2015-12-29T01:00:00Z` (botocore, aws-sdk-js-v3). S3 refuses offsets and a space for `T`.
enum PolicyDate {
    static func parse(_ text: String) -> Date? {
        guard let stamp = ISO8601Timestamp(text), stamp.separator == "T", stamp.second.map({ $0 < 60 }) == true, stamp.zone == .utc("Z"),
            stamp.fraction.map({ (1...9).contains($0.count) }) ?? true
        else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(stamp.epochSeconds) + stamp.fractionSeconds)
    }

    /// Formats as botocore does: `yyyy-MM-dd'T'HH:mm:ss'Z'`.
    static func format(_ date: Date) -> String {
        let basic = Array(AuthDate.formatISO8601Basic(date))
        let day = String(basic[0..<4]) + "-" + String(basic[4..<6]) + "-" + String(basic[6..<8])
        let time = String(basic[9..<11]) + ":" + String(basic[11..<13]) + ":" + String(basic[13..<15])
        return day + "T" + time + "Z"
    }
}
