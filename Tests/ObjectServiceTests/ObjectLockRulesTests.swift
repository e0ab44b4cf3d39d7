import MagpieCore
import Testing

@Suite struct ObjectLockRulesTests {
    let now: Int64 = 1_000_000

    @Test func deletion() throws {
        let governance = ObjectLock.Retention(mode: "GOVERNANCE", until: now + 1)
        let compliance = ObjectLock.Retention(mode: "COMPLIANCE", until: now + 1)
        #expect(throws: MagpieError.self) { try ObjectLock.checkDeletable(retention: governance, legalHold: false, now: now, bypassGovernance: false) }
        try ObjectLock.checkDeletable(retention: governance, legalHold: false, now: now, bypassGovernance: true)
        #expect(throws: MagpieError.self) { try ObjectLock.checkDeletable(retention: compliance, legalHold: false, now: now, bypassGovernance: true) }
        try ObjectLock.checkDeletable(retention: ObjectLock.Retention(mode: "COMPLIANCE", until: now), legalHold: false, now: now, bypassGovernance: false)
        #expect(throws: MagpieError.self) { try ObjectLock.checkDeletable(retention: nil, legalHold: true, now: now, bypassGovernance: true) }
    }

    @Test func replacement() throws {
        let compliance = ObjectLock.Retention(mode: "COMPLIANCE", until: now + 100)
        try ObjectLock.checkReplace(current: compliance, with: ObjectLock.Retention(mode: "COMPLIANCE", until: now + 200), now: now, bypassGovernance: false)
        #expect(throws: MagpieError.self) {
            try ObjectLock.checkReplace(current: compliance, with: ObjectLock.Retention(mode: "COMPLIANCE", until: now + 50), now: now, bypassGovernance: true)
        }
        #expect(throws: MagpieError.self) { try ObjectLock.checkReplace(current: compliance, with: nil, now: now, bypassGovernance: true) }
        let governance = ObjectLock.Retention(mode: "GOVERNANCE", until: now + 100)
        try ObjectLock.checkReplace(current: governance, with: nil, now: now, bypassGovernance: true)
        #expect(throws: MagpieError.self) { try ObjectLock.checkReplace(current: governance, with: nil, now: now, bypassGovernance: false) }
        try ObjectLock.checkReplace(current: governance, with: ObjectLock.Retention(mode: "COMPLIANCE", until: now + 100), now: now, bypassGovernance: false)
    }

    @Test func defaultRetention() {
        let days = ObjectLock.Configuration(defaultMode: "GOVERNANCE", defaultDays: 2)
        #expect(days.defaultRetention(now: 0) == ObjectLock.Retention(mode: "GOVERNANCE", until: 2 * 86_400_000))
        #expect(ObjectLock.Configuration().defaultRetention(now: 0) == nil)
    }
}
