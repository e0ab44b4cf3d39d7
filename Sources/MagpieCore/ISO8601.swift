/// The one scanner of ISO 8601 extended timestamps (`2026-01-31`, `2026-01-31T12:00:00`, with an
/// optional `.fraction` and zone `Z` or `±hh:mm`). It only takes the text apart and checks the field
/// ranges; each caller then applies what its S3 operation accepts (which separator, which zones,
/// how many fraction digits), so those rules stay visible where they apply.
public struct ISO8601Timestamp: Sendable, Equatable {
    public enum Zone: Sendable, Equatable {
        case none
        /// `Z` or `z`, as written.
        case utc(Character)
        /// `±hh:mm`, in seconds east of UTC, and as written.
        case offset(seconds: Int64, text: String)
    }

    public var year: Int64, month: Int64, day: Int64
    /// nil for a date alone.
    public var hour: Int64?, minute: Int64?, second: Int64?
    /// The byte between date and time (`T`, `t` or a space); nil for a date alone.
    public var separator: Character?
    /// The fraction's digits; nil when there was no `.` (an empty string when `.` had no digits).
    public var fraction: String?
    public var zone: Zone

    /// nil when `text` is not of that shape or a field is out of range (month 1–12, day 1–31,
    /// hour < 24, minute < 60, second ≤ 60).
    public init?(_ text: some StringProtocol) {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int64? {
            guard range.upperBound <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[range] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int64(byte - 0x30)
            }
            return value
        }
        guard bytes.count >= 10, let year = number(0..<4), bytes[4] == 0x2D, let month = number(5..<7), bytes[7] == 0x2D,
            let day = number(8..<10), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        (self.year, self.month, self.day) = (year, month, day)
        zone = .none
        guard bytes.count > 10 else { return }
        guard [0x54, 0x74, 0x20].contains(bytes[10]), let hour = number(11..<13), bytes.count >= 19, bytes[13] == 0x3A,
            let minute = number(14..<16), bytes[16] == 0x3A, let second = number(17..<19), hour < 24, minute < 60, second <= 60
        else { return nil }
        separator = Character(Unicode.Scalar(bytes[10]))
        (self.hour, self.minute, self.second) = (hour, minute, second)
        var index = 19
        if index < bytes.count, bytes[index] == 0x2E {
            index += 1
            let start = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
            fraction = String(decoding: bytes[start..<index], as: UTF8.self)
        }
        let rest = bytes[index...]
        if rest.isEmpty { return }
        if rest.count == 1, rest.first == 0x5A || rest.first == 0x7A {
            zone = .utc(Character(Unicode.Scalar(rest.first!)))
            return
        }
        guard rest.count == 6, rest.first == 0x2B || rest.first == 0x2D, let hours = number(index + 1..<index + 3), bytes[index + 3] == 0x3A,
            let minutes = number(index + 4..<index + 6), hours < 24, minutes < 60
        else { return nil }
        zone = .offset(seconds: (hours * 3600 + minutes * 60) * (rest.first == 0x2B ? 1 : -1), text: String(decoding: rest, as: UTF8.self))
    }

    /// Whole seconds since the epoch, UTC (the zone's offset applied; the fraction left out).
    public var epochSeconds: Int64 {
        var seconds = HTTPDate.days(fromCivil: year, month, day) * 86_400 + (hour ?? 0) * 3600 + (minute ?? 0) * 60 + (second ?? 0)
        if case .offset(let offset, _) = zone { seconds -= offset }
        return seconds
    }

    /// The fraction as a number of seconds (0 when there is none).
    public var fractionSeconds: Double {
        guard let fraction, !fraction.isEmpty else { return 0 }
        return Double("0." + fraction) ?? 0
    }

    /// The fraction in milliseconds: more digits are truncated, fewer scaled up.
    public var fractionMillis: Int64 {
        guard let fraction else { return 0 }
        let digits = (fraction + "000").prefix(3)
        return Int64(digits) ?? 0
    }
}
