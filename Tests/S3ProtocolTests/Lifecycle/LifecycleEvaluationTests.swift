import MagpieCore
import Testing

@testable import S3Protocol

/// Timing and the actions the scanner takes, without any I/O.
@Suite struct LifecycleEvaluationTests {
    static let day: Int64 = 86_400_000
    /// 2014-01-15 10:30 UTC, AWS's example.
    static let created: Int64 = 1_389_781_800_000

    @Test(arguments: [
        // AWS: created 2014-01-15 10:30 UTC with 3 days → 2014-01-19 00:00 UTC.
        (created, 3, Int64(1_390_089_600_000)),
        (created, 0, Int64(1_389_830_400_000)),
        // Exactly at midnight: the next midnight after created + days.
        (Int64(1_389_744_000_000), 1, Int64(1_389_744_000_000 + 2 * 86_400_000)),
    ])
    func dueRoundsUpToTheNextMidnight(_ start: Int64, _ days: Int, _ expected: Int64) {
        #expect(LifecycleClock.real.due(after: start, days: days) == expected)
    }

    @Test func theLargestDayCountDoesNotOverflow() {
        let rules = LifecycleConfiguration(rules: [LifecycleRule(id: "far", filter: .all, expiration: .days(Int(Int32.max)))])
        let version = LifecycleVersion(versionId: "null", isLatest: true, lastModified: Self.created)
        #expect(rules.actions(key: "k", versions: [version], versioning: nil, now: Self.created, clock: .real).isEmpty)
        #expect(rules.expiration(key: "k", version: version, clock: .real)!.due > Self.created)
    }

    @Test func shortenedDaysUseMultiplesOfTheDayLength() {
        let clock = LifecycleClock(daySeconds: 2)
        #expect(clock.due(after: 10_500, days: 1) == 14_000)  // 12.5 s → next multiple of 2 s after it
        #expect(clock.due(after: 10_000, days: 2) == 16_000)
    }

    static func configuration(_ rules: LifecycleRule...) -> LifecycleConfiguration { LifecycleConfiguration(rules: rules) }
    static func version(
        _ id: String, latest: Bool = false, marker: Bool = false, size: Int64 = 200_000, at time: Int64,
        tags: TagSet = TagSet(), storageClass: StorageClass = .standard, locked: Bool = false
    ) -> LifecycleVersion {
        LifecycleVersion(
            versionId: id, isLatest: latest, isDeleteMarker: marker, size: size, lastModified: time, tags: tags,
            storageClass: storageClass, locked: locked)
    }

    let clock = LifecycleClock.real

    @Test func expirationIsDueOnlyAfterItsMidnight() {
        let rules = Self.configuration(LifecycleRule(id: "temp", filter: .prefix("temp/"), expiration: .days(7)))
        let versions = [Self.version("null", latest: true, at: Self.created)]
        let due = clock.due(after: Self.created, days: 7)
        #expect(rules.actions(key: "temp/a", versions: versions, versioning: nil, now: due - 1, clock: clock).isEmpty)
        #expect(
            rules.actions(key: "temp/a", versions: versions, versioning: nil, now: due, clock: clock) == [
                .expireCurrent(versionId: "null", ruleId: "temp")
            ])
        #expect(rules.actions(key: "logs/a", versions: versions, versioning: nil, now: due, clock: clock).isEmpty)
        #expect(rules.expiration(key: "temp/a", version: versions[0], clock: clock)! == (due, "temp"))
    }

    @Test func disabledRulesAndFiltersDoNotMatch() {
        let tag = TagSet.Tag(key: "class", value: "tmp")
        let rules = Self.configuration(
            LifecycleRule(id: "off", enabled: false, filter: .all, expiration: .days(1)),
            LifecycleRule(id: "tagged", filter: .tag(tag), expiration: .days(1)),
            LifecycleRule(
                id: "big", filter: .and(LifecycleAnd(prefix: "v/", objectSizeGreaterThan: 1000, objectSizeLessThan: 5000)), expiration: .days(1))
        )
        let later = Self.created + 10 * Self.day
        let plain = [Self.version("null", latest: true, size: 10, at: Self.created)]
        #expect(rules.actions(key: "a", versions: plain, versioning: nil, now: later, clock: clock).isEmpty)
        let tagged = [Self.version("null", latest: true, at: Self.created, tags: TagSet([tag]))]
        #expect(
            rules.actions(key: "a", versions: tagged, versioning: nil, now: later, clock: clock) == [
                .expireCurrent(versionId: "null", ruleId: "tagged")
            ])
        let sized = [Self.version("null", latest: true, size: 2000, at: Self.created)]
        #expect(
            rules.actions(key: "v/a", versions: sized, versioning: nil, now: later, clock: clock) == [
                .expireCurrent(versionId: "null", ruleId: "big")
            ])
        let tooBig = [Self.version("null", latest: true, size: 5000, at: Self.created)]
        #expect(rules.actions(key: "v/a", versions: tooBig, versioning: nil, now: later, clock: clock).isEmpty)
    }

    @Test func transitionsGoToTheColdestDueClassAndSkipSmallObjects() {
        let rules = Self.configuration(
            LifecycleRule(
                id: "logs", filter: .prefix("logs/"),
                transitions: [
                    LifecycleTransition(days: 30, storageClass: .standardIA), LifecycleTransition(days: 90, storageClass: .glacier),
                ]))
        let big = [Self.version("null", latest: true, size: 1 << 20, at: Self.created)]
        #expect(
            rules.actions(key: "logs/a", versions: big, versioning: nil, now: Self.created + 40 * Self.day, clock: clock)
                == [.transition(versionId: "null", to: .standardIA, ruleId: "logs")])
        #expect(
            rules.actions(key: "logs/a", versions: big, versioning: nil, now: Self.created + 100 * Self.day, clock: clock)
                == [.transition(versionId: "null", to: .glacier, ruleId: "logs")])
        let cold = [Self.version("null", latest: true, size: 1 << 20, at: Self.created, storageClass: .glacier)]
        #expect(rules.actions(key: "logs/a", versions: cold, versioning: nil, now: Self.created + 100 * Self.day, clock: clock).isEmpty)
        // Under 128 KB nothing transitions by default; GLACIER takes them with varies_by_storage_class.
        let small = [Self.version("null", latest: true, size: 10, at: Self.created)]
        #expect(rules.actions(key: "logs/a", versions: small, versioning: nil, now: Self.created + 100 * Self.day, clock: clock).isEmpty)
        var varies = rules
        varies.minimumObjectSize = .variesByStorageClass
        #expect(
            varies.actions(key: "logs/a", versions: small, versioning: nil, now: Self.created + 100 * Self.day, clock: clock)
                == [.transition(versionId: "null", to: .glacier, ruleId: "logs")])
        #expect(varies.actions(key: "logs/a", versions: small, versioning: nil, now: Self.created + 40 * Self.day, clock: clock).isEmpty)
    }

    @Test func expirationWinsOverTransition() {
        let rules = Self.configuration(
            LifecycleRule(id: "r", filter: .all, expiration: .days(2), transitions: [LifecycleTransition(days: 1, storageClass: .glacier)]))
        let versions = [Self.version("v1", latest: true, at: Self.created)]
        #expect(
            rules.actions(key: "k", versions: versions, versioning: "Enabled", now: Self.created + 5 * Self.day, clock: clock)
                == [.expireCurrent(versionId: "v1", ruleId: "r")])
    }

    @Test func lockedNullVersionsAreNotExpiredButVersionedOnesGetAMarker() {
        let rules = Self.configuration(LifecycleRule(id: "r", filter: .all, expiration: .days(1)))
        let later = Self.created + 5 * Self.day
        #expect(
            rules.actions(
                key: "k", versions: [Self.version("null", latest: true, at: Self.created, locked: true)], versioning: "Suspended", now: later,
                clock: clock
            ).isEmpty)
        #expect(
            rules.actions(
                key: "k", versions: [Self.version("v", latest: true, at: Self.created, locked: true)], versioning: "Enabled", now: later, clock: clock
            )
                == [.expireCurrent(versionId: "v", ruleId: "r")])
    }

    @Test func noncurrentVersionsExpireFromWhenTheyBecameNoncurrentKeepingTheNewest() {
        let rules = Self.configuration(LifecycleRule(id: "nc", filter: .all, noncurrentExpiration: NoncurrentExpiration(days: 1, newerVersions: 1)))
        let t = Self.created
        let versions = [
            Self.version("v4", latest: true, at: t + 30 * Self.day), Self.version("v3", at: t + 20 * Self.day),
            Self.version("v2", at: t + 10 * Self.day), Self.version("v1", at: t),
        ]
        // v3 (noncurrent since day 30) is the one newest noncurrent version kept; v2 (since day 20) and
        // v1 (since day 10) go once a day has passed since they became noncurrent.
        #expect(
            rules.actions(key: "k", versions: versions, versioning: "Enabled", now: t + 15 * Self.day, clock: clock) == [
                .removeVersion(versionId: "v1", ruleId: "nc")
            ])
        #expect(
            rules.actions(key: "k", versions: versions, versioning: "Enabled", now: t + 40 * Self.day, clock: clock)
                == [.removeVersion(versionId: "v2", ruleId: "nc"), .removeVersion(versionId: "v1", ruleId: "nc")])
        var locked = versions
        locked[3].locked = true
        #expect(rules.actions(key: "k", versions: locked, versioning: "Enabled", now: t + 15 * Self.day, clock: clock).isEmpty)
    }

    @Test func expiredDeleteMarkersGoOnlyWhenAlone() {
        let rules = Self.configuration(LifecycleRule(id: "dm", filter: .prefix("k"), expiration: .expiredObjectDeleteMarker(true)))
        let marker = Self.version("m", latest: true, marker: true, at: Self.created)
        #expect(
            rules.actions(key: "k", versions: [marker], versioning: "Enabled", now: Self.created + 1, clock: clock) == [
                .removeVersion(versionId: "m", ruleId: "dm")
            ])
        #expect(
            rules.actions(
                key: "k", versions: [marker, Self.version("v", at: Self.created - 1)], versioning: "Enabled", now: Self.created + 1, clock: clock
            ).isEmpty)
    }

    @Test func noncurrentTransitionsAndUploads() {
        let rules = Self.configuration(
            LifecycleRule(id: "nt", filter: .all, noncurrentTransitions: [NoncurrentTransition(days: 1, storageClass: .deepArchive)]),
            LifecycleRule(id: "mp", filter: .prefix("up/"), abortIncompleteUploadDays: 2)
        )
        let versions = [Self.version("v2", latest: true, at: Self.created + Self.day), Self.version("v1", at: Self.created)]
        #expect(
            rules.actions(key: "k", versions: versions, versioning: "Enabled", now: Self.created + 5 * Self.day, clock: clock)
                == [.transition(versionId: "v1", to: .deepArchive, ruleId: "nt")])
        #expect(rules.abortRule(key: "up/x", initiated: Self.created, now: Self.created + Self.day, clock: clock) == nil)
        #expect(rules.abortRule(key: "up/x", initiated: Self.created, now: Self.created + 3 * Self.day, clock: clock) == "mp")
        #expect(rules.abortRule(key: "other", initiated: Self.created, now: Self.created + 3 * Self.day, clock: clock) == nil)
    }
}

@Suite struct RestoreRequestTests {
    static func parse(_ xml: String) throws -> RestoreRequest { try RestoreRequest.parse(try XMLNode.parse(Array(xml.utf8))) }

    @Test func parsesDaysAndTier() throws {
        #expect(
            try Self.parse("<RestoreRequest><Days>2</Days><GlacierJobParameters><Tier>Bulk</Tier></GlacierJobParameters></RestoreRequest>")
                == RestoreRequest(days: 2, tier: .bulk))
        #expect(try Self.parse("<RestoreRequest><Days>1</Days></RestoreRequest>") == RestoreRequest(days: 1))
    }

    @Test(arguments: [
        ("<RestoreRequest></RestoreRequest>", MagpieError.Code.malformedXML),
        ("<RestoreRequest><Days>x</Days></RestoreRequest>", .malformedXML),
        ("<RestoreRequest><Days>0</Days></RestoreRequest>", .invalidArgument),
        ("<RestoreRequest><Days>1</Days><GlacierJobParameters><Tier>Fast</Tier></GlacierJobParameters></RestoreRequest>", .malformedXML),
        ("<Restore><Days>1</Days></Restore>", .malformedXML),
        ("<RestoreRequest><Days>1</Days><Type>SELECT</Type></RestoreRequest>", .notImplemented),
    ])
    func refuses(_ xml: String, _ code: MagpieError.Code) {
        #expect { try Self.parse(xml) } throws: { ($0 as? MagpieError)?.code == code }
    }
}
