import MagpieCore
import Testing

@Suite struct BucketNameTests {
    @Test(arguments: ["abc", "my-bucket", "my.bucket.name", "a1b2c3", "123", String(repeating: "a", count: 63)])
    func acceptsValidNames(_ name: String) throws {
        #expect(try BucketName(name).rawValue == name)
    }

    @Test(arguments: [
        "ab", String(repeating: "a", count: 64), "MyBucket", "my_bucket", "-abc", "abc-", ".abc", "abc.", "a..b", "192.168.5.4",
        "xn--abc", "sthree-abc", "abc-s3alias", "abc--ol-s3", "my bucket", "", "bücket", "abc.mrap", "abc--x-s3",
    ])
    func rejectsInvalidNames(_ name: String) {
        #expect(throws: MagpieError.self) { try BucketName(name) }
        #expect(!BucketName.isValid(name))
    }

    @Test func invalidNameErrorCode() {
        do {
            _ = try BucketName("UPPER")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .invalidBucketName)
        }
    }
}

@Suite struct ObjectKeyTests {
    @Test(arguments: ["a", "a b", "%", "+", "../x", "a//b", "dir/", "日本/😀", "/leading", String(repeating: "k", count: 1024)])
    func acceptsKeys(_ key: String) throws {
        #expect(try ObjectKey(key).rawValue == key)
    }

    @Test func rejectsTooLongAndEmpty() {
        #expect(throws: MagpieError.self) { try ObjectKey(String(repeating: "k", count: 1025)) }
        #expect(throws: MagpieError.self) { try ObjectKey("") }
        // 1,024 bytes, not characters: 342 three-byte characters are 1,026 bytes.
        #expect(throws: MagpieError.self) { try ObjectKey(String(repeating: "日", count: 342)) }
    }

    @Test func ordersByUTF8Bytes() throws {
        let keys = try ["b", "a", "é", "Z", "😀", "aa"].map(ObjectKey.init).sorted().map(\.rawValue)
        #expect(keys == ["Z", "a", "aa", "b", "é", "😀"])
    }
}
