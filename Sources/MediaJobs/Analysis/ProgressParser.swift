/// Reads FFmpeg's `-progress pipe:1` stream (`key=value` lines, a block ending in `progress=continue`
/// or `progress=end`) and turns `out_time_us` into a fraction of the expected output duration.
public struct ProgressParser: Sendable {
    public let totalSeconds: Double
    private var pending: [UInt8] = []
    public private(set) var fraction: Double = 0
    public private(set) var ended = false

    public init(totalSeconds: Double) { self.totalSeconds = totalSeconds }

    /// Feeds bytes; returns true when the fraction changed.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> Bool {
        var changed = false
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if consume(line: String(decoding: pending, as: UTF8.self)) { changed = true }
                pending.removeAll(keepingCapacity: true)
            } else if pending.count < 4096 {
                pending.append(byte)
            }
        }
        return changed
    }

    mutating func consume(line: String) -> Bool {
        let parts = line.split(separator: "=", maxSplits: 1)
        guard parts.count == 2 else { return false }
        let key = parts[0].trimmedSpaces(), value = parts[1].trimmedSpaces()
        switch key {
        case "out_time_us", "out_time_ms":  // both are microseconds in FFmpeg 5
            guard let micros = Double(value), micros.isFinite, micros >= 0, totalSeconds > 0 else { return false }
            let next = min(1, micros / 1_000_000 / totalSeconds)
            guard next > fraction else { return false }
            fraction = next
            return true
        case "progress":
            if value == "end" { ended = true }
            return false
        default:
            return false
        }
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces, tabs and carriage returns (no Foundation needed).
    func trimmedSpaces() -> String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        return String(String(drop(while: blank)).reversed().drop(while: blank).reversed())
    }
}
