import MagpieCore

/// ISO 8601 (`2026-01-31`, `2026-01-31T12:00:00Z`, with fractions or an offset) or epoch seconds → epoch seconds,
/// as the `Date*` condition operators compare them.
enum ConditionDate {
    static func parse(_ text: String) -> Double? {
        if let epoch = Double(text), text.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" }) { return epoch }
        guard let stamp = ISO8601Timestamp(text), stamp.separator == nil || stamp.separator == "T" || stamp.separator == "t" else { return nil }
        return Double(stamp.epochSeconds) + stamp.fractionSeconds
    }
}
