/// A moment in a source: seconds (`"12.5"`, or a JSON number) or a share of its duration (`"50%"`).
public enum TimePoint: Sendable, Equatable, Codable, CustomStringConvertible {
    case seconds(Double)
    case percent(Double)

    public static func parse(_ text: String) throws(JobError) -> TimePoint {
        let trimmed = text.trimmedSpaces()
        if trimmed.hasSuffix("%") {
            guard let value = Double(trimmed.dropLast()), value.isFinite, (0...100).contains(value) else {
                throw .invalidSpec("\"\(S3Location.clip(text))\" is not a percentage 0%…100%.")
            }
            return .percent(value)
        }
        guard let value = Double(trimmed), value.isFinite, value >= 0 else {
            throw .invalidSpec("\"\(S3Location.clip(text))\" is not a time in seconds or a percentage.")
        }
        return .seconds(value)
    }

    /// The time in seconds within a source of `duration` seconds, kept a little before its end so
    /// that a seek lands on a frame.
    public func resolve(duration: Double) -> Double {
        let latest = max(0, duration - 0.1)
        switch self {
        case .seconds(let value): return min(value, latest)
        case .percent(let share): return min(duration * share / 100, latest)
        }
    }

    public var description: String {
        switch self {
        case .seconds(let value): return Format.decimal(value, places: 3)
        case .percent(let share): return Format.decimal(share, places: 3) + "%"
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            guard number.isFinite, number >= 0 else { throw JobError.invalidSpec("A time must be a non-negative number of seconds.") }
            self = .seconds(number)
        } else {
            self = try Self.parse(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Number formatting without Foundation's locale: FFmpeg and playlists want `.` decimals.
public enum Format {
    /// `value` with at most `places` decimals, trailing zeros removed.
    public static func decimal(_ value: Double, places: Int) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (value * scale).rounded()
        let negative = scaled < 0
        let magnitude = Int64(abs(scaled))
        let factor = Int64(scale)
        var text = String(magnitude / factor)
        var fraction = String(magnitude % factor)
        if places > 0 {
            fraction = String(repeating: "0", count: places - fraction.count) + fraction
            while fraction.hasSuffix("0") { fraction.removeLast() }
            if !fraction.isEmpty { text += "." + fraction }
        }
        return (negative && magnitude != 0 ? "-" : "") + text
    }

    /// Exactly `places` decimals (FRAME-RATE=29.970).
    public static func fixed(_ value: Double, places: Int) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let magnitude = Int64((abs(value) * scale).rounded())
        let factor = Int64(scale)
        let fraction = String(magnitude % factor)
        let padded = String(repeating: "0", count: max(0, places - fraction.count)) + fraction
        return (value < 0 ? "-" : "") + String(magnitude / factor) + (places > 0 ? "." + padded : "")
    }
}
