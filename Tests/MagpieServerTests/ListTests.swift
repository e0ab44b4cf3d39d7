import HTTPTypes
import Foundation
import HummingbirdTesting
import MagpieTesting
import Testing

@Suite struct ListTests {
    static let keys = ["a", "b/1", "b/2", "b/c/3", "c", "d/4", "é", "😀", "Z"]

    func withKeys(_ body: @Sendable (S3TestClient) async throws -> Void) async throws {
        try await TestServer.withApp { (s3: S3TestClient, _: TestServer) async throws in
            try await s3.send(.put, "/bkt")
            for key in Self.keys {
                let encoded = key.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["/"]))!
                try await s3.send(.put, "/bkt/\(encoded)", body: Array(key.utf8))
            }
            try await body(s3)
        }
    }

    static func values(_ tag: String, in xml: String) -> [String] {
        xml.components(separatedBy: "<\(tag)>").dropFirst().map { String($0.prefix { $0 != "<" }) }
    }

    @Test func binaryOrderAndDelimiter() async throws {
        try await withKeys { (s3: S3TestClient) async throws in
            let all = try await s3.send(.get, "/bkt?list-type=2").text
            #expect(Self.values("Key", in: all) == ["Z", "a", "b/1", "b/2", "b/c/3", "c", "d/4", "é", "😀"])
            let rolled = try await s3.send(.get, "/bkt?list-type=2&delimiter=%2F").text
            #expect(Self.values("Key", in: rolled) == ["Z", "a", "c", "é", "😀"])
            #expect(Self.values("Prefix", in: rolled).filter { !$0.isEmpty } == ["b/", "d/"])
            #expect(rolled.contains("<KeyCount>7</KeyCount>"))
            let nested = try await s3.send(.get, "/bkt?list-type=2&delimiter=%2F&prefix=b%2F").text
            #expect(Self.values("Key", in: nested) == ["b/1", "b/2"])
            #expect(nested.contains("<Prefix>b/c/</Prefix>"))
        }
    }

    @Test func paginationV2VisitsEachItemOnce() async throws {
        try await withKeys { (s3: S3TestClient) async throws in
            var seen: [String] = []
            var token: String?
            var pages = 0
            repeat {
                var path = "/bkt?list-type=2&delimiter=%2F&max-keys=2"
                if let token { path += "&continuation-token=" + token.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }
                let xml = try await s3.send(.get, path).text
                seen += Self.values("Key", in: xml) + Self.values("Prefix", in: xml).filter { !$0.isEmpty }
                token = Self.values("NextContinuationToken", in: xml).first
                pages += 1
            } while token != nil && pages < 20
            #expect(seen.sorted() == ["Z", "a", "b/", "c", "d/", "é", "😀"].sorted())
            #expect(pages == 4)
        }
    }

    @Test func paginationV1WithMarker() async throws {
        try await withKeys { (s3: S3TestClient) async throws in
            let first = try await s3.send(.get, "/bkt?max-keys=3").text
            #expect(Self.values("Key", in: first) == ["Z", "a", "b/1"])
            #expect(first.contains("<IsTruncated>true</IsTruncated>"))
            let second = try await s3.send(.get, "/bkt?max-keys=3&marker=b%2F1").text
            #expect(Self.values("Key", in: second) == ["b/2", "b/c/3", "c"])
            let zero = try await s3.send(.get, "/bkt?max-keys=0").text
            #expect(Self.values("Key", in: zero).isEmpty)
            #expect(try await s3.send(.get, "/bkt?max-keys=-1").errorCode == "InvalidArgument")
        }
    }

    @Test func urlEncodingAndStartAfter() async throws {
        try await withKeys { (s3: S3TestClient) async throws in
            let xml = try await s3.send(.get, "/bkt?list-type=2&encoding-type=url&start-after=d%2F4").text
            #expect(Self.values("Key", in: xml) == ["%C3%A9", "%F0%9F%98%80"])
            #expect(try await s3.send(.get, "/bkt?list-type=2&encoding-type=zip").errorCode == "InvalidArgument")
        }
    }
}
