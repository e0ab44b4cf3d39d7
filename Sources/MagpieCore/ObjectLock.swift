/// Object lock: WORM protection of object versions (S3 semantics).
public enum ObjectLock {
    public static let modes: Set<String> = ["GOVERNANCE", "COMPLIANCE"]

    /// A bucket's lock configuration: enabled, with an optional default retention for new versions.
    public struct Configuration: Sendable, Equatable, Codable {
        public var defaultMode: String?
        public var defaultDays: Int?
        public var defaultYears: Int?

        public init(defaultMode: String? = nil, defaultDays: Int? = nil, defaultYears: Int? = nil) {
            self.defaultMode = defaultMode
            self.defaultDays = defaultDays
            self.defaultYears = defaultYears
        }

        /// The retain-until instant (ms) for a version written at `now` (ms), if a default rule exists.
        public func defaultRetention(now: Int64) -> Retention? {
            guard let mode = defaultMode else { return nil }
            let days = Int64(defaultDays ?? 0) + Int64(defaultYears ?? 0) * 365
            guard days > 0 else { return nil }
            return Retention(mode: mode, until: now + days * 86_400_000)
        }
    }

    /// A version's retention: no deletion (and no shortening, in COMPLIANCE) before `until` (ms).
    public struct Retention: Sendable, Equatable, Codable {
        public var mode: String
        public var until: Int64

        public init(mode: String, until: Int64) {
            self.mode = mode
            self.until = until
        }
    }

    /// Whether a version with `retention` and `legalHold` may be permanently deleted now.
    /// GOVERNANCE yields to `bypassGovernance`; COMPLIANCE and legal holds never do.
    public static func checkDeletable(retention: Retention?, legalHold: Bool, now: Int64, bypassGovernance: Bool) throws(MagpieError) {
        if legalHold { throw MagpieError(.accessDenied, "Access Denied because object protected by object lock.") }
        guard let retention, retention.until > now else { return }
        if retention.mode == "GOVERNANCE", bypassGovernance { return }
        throw MagpieError(.accessDenied, "Access Denied because object protected by object lock.")
    }

    /// Whether `retention` may replace `current`: extending is always allowed; shortening or removing
    /// needs GOVERNANCE plus bypass; a COMPLIANCE retention can never be shortened or removed.
    public static func checkReplace(current: Retention?, with new: Retention?, now: Int64, bypassGovernance: Bool) throws(MagpieError) {
        guard let current, current.until > now else { return }
        let extends = new.map { $0.until >= current.until && ($0.mode == current.mode || $0.mode == "COMPLIANCE") } ?? false
        if extends { return }
        if current.mode == "GOVERNANCE", bypassGovernance { return }
        throw MagpieError(.accessDenied, "Access Denied because object protected by object lock.")
    }
}
