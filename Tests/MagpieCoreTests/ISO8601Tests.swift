import MagpieCore
import Testing

@Suite struct ISO8601TimestampTests {
    @Test func fieldsZonesAndFractions() throws {
        let utc = try #require(ISO8601Timestamp("2026-01-31T12:34:56.789Z"))
        #expect(utc.epochSeconds == 1_769_862_896 && utc.fractionMillis == 789 && utc.separator == "T" && utc.zone == .utc("Z"))
        let offset = try #require(ISO8601Timestamp("2026-01-31t14:34:56+02:00"))
        #expect(offset.epochSeconds == utc.epochSeconds && offset.fraction == nil && offset.zone == .offset(seconds: 7200, text: "+02:00"))
        let west = try #require(ISO8601Timestamp("2026-01-31 10:34:56.5-02:00"))
        #expect(west.epochSeconds == utc.epochSeconds && west.fractionMillis == 500 && west.separator == " ")
        let dateOnly = try #require(ISO8601Timestamp("2026-01-31"))
        #expect(dateOnly.hour == nil && dateOnly.separator == nil && dateOnly.epochSeconds == 1_769_817_600)
        #expect(ISO8601Timestamp("2026-01-31T00:00:00.")?.fraction == "")
        #expect(ISO8601Timestamp("2026-01-31T00:00:00.123456789Z")?.fractionMillis == 123)
    }

    @Test(arguments: [
        "", "2026-1-31", "2026-13-01", "2026-00-10", "2026-01-32", "2026-01-31X", "2026-01-31T24:00:00Z", "2026-01-31T12:60:00Z",
        "2026-01-31T12:00:61Z", "2026-01-31T12:00", "2026-01-31T12:00:00ZZ", "2026-01-31T12:00:00+0200", "2026-01-31T12:00:00+25:00",
        "2026-01-31T12:00:00 UTC",
    ])
    func malformed(text: String) {
        #expect(ISO8601Timestamp(text) == nil)
    }
}
