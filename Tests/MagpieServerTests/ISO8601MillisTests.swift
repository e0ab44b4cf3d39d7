import Testing

@testable import MagpieServer

@Suite struct ISO8601MillisTests {
    @Test(arguments: [
        ("2030-01-01T00:00:00Z", Int64(1_893_456_000_000)),
        ("2030-01-01T00:00:00.5Z", 1_893_456_000_500),
        ("2030-01-01T00:00:00.123Z", 1_893_456_000_123),
        ("2030-01-01T00:00:00.123456789Z", 1_893_456_000_123),
        ("2030-01-01T00:00:00+00:00", 1_893_456_000_000),
    ])
    func parses(_ text: String, _ expected: Int64) {
        #expect(ISO8601Millis.parse(text) == expected)
    }

    /// Client-controlled text: every malformed form is nil, never a crash.
    @Test(arguments: [
        "", "2030", "2030-01-01", "2030-01-01T00:00:00", "2030-13-01T00:00:00Z", "2030-01-01T00:00:00.Z", "2030-01-01T00:00:00.1234",
        "2030-01-01T25:00:00Z", "xxxx-01-01T00:00:00Z", "2030-01-01T00:00:00.1x3Z", "2030-01-01T00:00:00Zjunk", "2030-01-01T00:00:00+01:00",
    ])
    func rejects(_ text: String) {
        #expect(ISO8601Millis.parse(text) == nil)
    }
}
