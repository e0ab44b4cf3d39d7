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
        guard let stamp = ISO8601Timestamp(text.trimmingCharacters(in: .whitespacesAndNewlines)),
            stamp.separator == "T" || stamp.separator == "t", let second = stamp.second, second < 60, stamp.fraction != ""
        else { return .failure(.malformed) }
        let seconds = stamp.epochSeconds
        guard (stamp.fraction ?? "").allSatisfy({ $0 == "0" }), seconds % 86_400 == 0 else { return .failure(.notMidnight) }
        return .success(seconds)
    }

    /// `2030-10-10T00:00:00.000Z`, as S3 writes dates back.
    static func format(_ epochSeconds: Int64) -> String { HTTPDate.iso8601(epochMillis: epochSeconds * 1000) }
}
