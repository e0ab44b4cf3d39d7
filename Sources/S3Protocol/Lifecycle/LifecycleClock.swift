import MagpieCore
/// Lifecycle time: S3 counts whole days from an instant and rounds up to the next midnight UTC.
/// `dayMillis` is 86,400,000 in production; a debug setting shortens the day so that rules act in
/// seconds, "midnight" then being every multiple of the day length since the epoch.
public struct LifecycleClock: Sendable, Equatable {
    public let dayMillis: Int64

    public init(daySeconds: Int64 = 86_400) {
        precondition(daySeconds > 0, "a lifecycle day lasts at least one second")
        dayMillis = daySeconds * 1000
    }

    public static let real = LifecycleClock()

    /// When an action `days` days after `start` (ms since the epoch) is due: `start + days`, rounded
    /// up to the next midnight — e.g. created 2014-01-15 10:30 UTC, 3 days → 2014-01-19 00:00 UTC.
    public func due(after start: Int64, days: Int) -> Int64 {
        let instant = start + Int64(days) * dayMillis
        return (HTTPDate.floorDivide(instant, dayMillis).0 + 1) * dayMillis
    }
}
