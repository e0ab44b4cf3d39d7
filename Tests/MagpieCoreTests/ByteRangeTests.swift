import MagpieCore
import Testing

@Suite struct ByteRangeTests {
    @Test(arguments: [
        ("bytes=0-9", ByteRange.closed(first: 0, last: 9)),
        ("bytes=5-", ByteRange.from(first: 5)),
        ("bytes=-3", ByteRange.suffix(length: 3)),
        ("bytes= 2-4", ByteRange.closed(first: 2, last: 4)),
    ])
    func parsesValidRanges(_ header: String, _ expected: ByteRange) {
        #expect(ByteRange.parse(header) == expected)
    }

    /// S3 ignores a Range it cannot parse and serves the whole object.
    @Test(arguments: ["", "bytes", "bytes=", "bytes=-", "bytes=a-b", "bytes=5-2", "items=0-1", "bytes=0-1,3-4", "bytes=+1-2", "bytes=1-2-3"])
    func ignoresMalformedRanges(_ header: String) {
        #expect(ByteRange.parse(header) == nil)
    }

    @Test func resolvesAgainstSize() {
        #expect(ByteRange.closed(first: 0, last: 9).resolve(size: 5) == 0...4)
        #expect(ByteRange.closed(first: 5, last: 9).resolve(size: 5) == nil)
        #expect(ByteRange.from(first: 3).resolve(size: 10) == 3...9)
        #expect(ByteRange.from(first: 10).resolve(size: 10) == nil)
        #expect(ByteRange.suffix(length: 3).resolve(size: 10) == 7...9)
        #expect(ByteRange.suffix(length: 30).resolve(size: 10) == 0...9)
        #expect(ByteRange.suffix(length: 0).resolve(size: 10) == nil)
        #expect(ByteRange.from(first: 0).resolve(size: 0) == nil)
    }
}

@Suite struct ConditionsTests {
    let etag = ETag("abc")
    let modified: Int64 = 1_000_000

    @Test func ifMatchTrueOverridesUnmodifiedSinceFalse() {
        let c = Conditions(ifMatch: "\"abc\"", ifUnmodifiedSince: modified - 10)
        #expect(c.evaluate(etag: etag, lastModified: modified) == .proceed)
    }

    @Test func ifNoneMatchFalseWithModifiedSinceTrueIsNotModified() {
        let c = Conditions(ifNoneMatch: "\"abc\"", ifModifiedSince: modified - 10)
        #expect(c.evaluate(etag: etag, lastModified: modified) == .notModified)
    }

    @Test func eachConditionAlone() {
        #expect(Conditions(ifMatch: "\"zzz\"").evaluate(etag: etag, lastModified: modified) == .preconditionFailed)
        #expect(Conditions(ifMatch: "*").evaluate(etag: etag, lastModified: modified) == .proceed)
        #expect(Conditions(ifNoneMatch: "\"zzz\", \"abc\"").evaluate(etag: etag, lastModified: modified) == .notModified)
        #expect(Conditions(ifModifiedSince: modified).evaluate(etag: etag, lastModified: modified) == .notModified)
        #expect(Conditions(ifModifiedSince: modified - 1).evaluate(etag: etag, lastModified: modified) == .proceed)
        #expect(Conditions(ifUnmodifiedSince: modified - 1).evaluate(etag: etag, lastModified: modified) == .preconditionFailed)
        #expect(Conditions(ifUnmodifiedSince: modified).evaluate(etag: etag, lastModified: modified) == .proceed)
    }

    @Test func copySourceNotModifiedIsPreconditionFailed() {
        #expect(Conditions(ifNoneMatch: "\"abc\"").evaluate(etag: etag, lastModified: modified, forWrite: true) == .preconditionFailed)
    }

    @Test func etagParsing() {
        #expect(ETag.parse("\"abc\"") == ETag("abc"))
        #expect(ETag.parse("W/\"abc\"") == ETag("abc"))
        #expect(ETag.parse(" abc ") == ETag("abc"))
        #expect(ETag("abc").quoted == "\"abc\"")
    }
}

@Suite struct HTTPDateTests {
    @Test func formatsRFC1123AndISO8601() {
        #expect(HTTPDate.rfc1123(epochSeconds: 0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDate.rfc1123(epochSeconds: 1_255_369_800) == "Mon, 12 Oct 2009 17:50:00 GMT")
        #expect(HTTPDate.iso8601(epochMillis: 1_255_369_830_005) == "2009-10-12T17:50:30.005Z")
        #expect(HTTPDate.rfc1123(epochSeconds: 951_782_400) == "Tue, 29 Feb 2000 00:00:00 GMT")
    }

    @Test func parsesTheThreeHTTPDateForms() {
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT") == 784_111_777)
        #expect(HTTPDate.parse("Sun Nov  6 08:49:37 1994") == 784_111_777)
        #expect(HTTPDate.parse("yesterday") == nil)
        #expect(HTTPDate.parse("Sun, 32 Nov 1994 08:49:37 GMT") == nil)
    }

    @Test(arguments: [Int64(0), 86_399, 1_700_000_000, 4_102_444_800])
    func roundTrips(_ seconds: Int64) {
        #expect(HTTPDate.parse(HTTPDate.rfc1123(epochSeconds: seconds)) == seconds)
    }
}
