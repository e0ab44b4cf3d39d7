import Foundation
import HTTPTypes
import HummingbirdTesting
import MagpieTesting
import Testing

@Suite struct VersioningTests {
    static let enable = Array("<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>".utf8)
    static let suspend = Array("<VersioningConfiguration><Status>Suspended</Status></VersioningConfiguration>".utf8)

    static func header(_ response: TestResponse, _ name: String) -> String? { response.headers[HTTPField.Name(name)!] }

    @Test func overwriteDeleteAndRestore() async throws {
        try await TestServer.withApp { (s3: S3TestClient, server: TestServer) async throws in
            try await s3.send(.put, "/vers")
            #expect(!(try await s3.send(.get, "/vers?versioning").text.contains("<Status>")))
            #expect(try await s3.send(.put, "/vers?versioning", body: Self.enable).status == .ok)
            #expect(try await s3.send(.get, "/vers?versioning").text.contains("<Status>Enabled</Status>"))
            let v1 = try #require(Self.header(try await s3.send(.put, "/vers/doc", body: Array("one".utf8)), "x-amz-version-id"))
            let v2 = try #require(Self.header(try await s3.send(.put, "/vers/doc", body: Array("two".utf8)), "x-amz-version-id"))
            #expect(v1 != v2)
            #expect(try await s3.send(.get, "/vers/doc").text == "two")
            #expect(try await s3.send(.get, "/vers/doc?versionId=\(v1)").text == "one")
            let deleted = try await s3.send(.delete, "/vers/doc")
            #expect(Self.header(deleted, "x-amz-delete-marker") == "true")
            let marker = try #require(Self.header(deleted, "x-amz-version-id"))
            let hidden = try await s3.send(.get, "/vers/doc")
            #expect(hidden.errorCode == "NoSuchKey")
            #expect(Self.header(hidden, "x-amz-delete-marker") == "true")
            #expect(try await s3.send(.get, "/vers/doc?versionId=\(marker)").status == .methodNotAllowed)
            #expect(!(try await s3.send(.get, "/vers?list-type=2").text.contains("<Key>doc</Key>")))
            let versions = try await s3.send(.get, "/vers?versions").text
            #expect(versions.components(separatedBy: "<Version>").count == 3)
            #expect(versions.components(separatedBy: "<DeleteMarker>").count == 2)
            // Removing the delete marker restores the previous version.
            #expect(try await s3.send(.delete, "/vers/doc?versionId=\(marker)").status == .noContent)
            #expect(try await s3.send(.get, "/vers/doc").text == "two")
            // Permanently deleting the current version makes the older one current.
            #expect(try await s3.send(.delete, "/vers/doc?versionId=\(v2)").status == .noContent)
            #expect(try await s3.send(.get, "/vers/doc").text == "one")
            #expect(try ObjectTests.blobCount(server) == 1)
            #expect(try await s3.send(.get, "/vers/doc?versionId=bad!").errorCode == "InvalidArgument")
            #expect(try await s3.send(.get, "/vers/doc?versionId=\(v2)").errorCode == "NoSuchVersion")
            #expect(try await s3.send(.delete, "/vers").errorCode == "BucketNotEmpty")
        }
    }

    @Test func suspendedBucketsOverwriteTheNullVersion() async throws {
        try await TestServer.withApp { (s3: S3TestClient, server: TestServer) async throws in
            try await s3.send(.put, "/susp")
            try await s3.send(.put, "/susp/k", body: Array("null-1".utf8))  // unversioned: the null version
            try await s3.send(.put, "/susp?versioning", body: Self.enable)
            let v1 = try #require(Self.header(try await s3.send(.put, "/susp/k", body: Array("v1".utf8)), "x-amz-version-id"))
            try await s3.send(.put, "/susp?versioning", body: Self.suspend)
            try await s3.send(.put, "/susp/k", body: Array("null-2".utf8))
            #expect(try await s3.send(.get, "/susp/k?versionId=null").text == "null-2")
            #expect(try await s3.send(.get, "/susp/k?versionId=\(v1)").text == "v1")
            let versions = try await s3.send(.get, "/susp?versions").text
            #expect(versions.components(separatedBy: "<Version>").count == 3)  // v1 and the one null version
            #expect(try ObjectTests.blobCount(server) == 2)
        }
    }

    @Test func listVersionsPaginates() async throws {
        try await TestServer.withApp { (s3: S3TestClient, _: TestServer) async throws in
            try await s3.send(.put, "/page")
            try await s3.send(.put, "/page?versioning", body: Self.enable)
            for key in ["a", "b"] { for n in 0..<3 { try await s3.send(.put, "/page/\(key)", body: Array("\(key)\(n)".utf8)) } }
            var seen: [String] = []
            var path = "/page?versions&max-keys=2"
            for _ in 0..<10 {
                let xml = try await s3.send(.get, path).text
                seen += ListTests.values("VersionId", in: xml)
                guard xml.contains("<IsTruncated>true</IsTruncated>") else { break }
                let key = try #require(ListTests.values("NextKeyMarker", in: xml).first)
                let version = try #require(ListTests.values("NextVersionIdMarker", in: xml).first)
                path = "/page?versions&max-keys=2&key-marker=\(key)&version-id-marker=\(version)"
            }
            #expect(seen.count == 6)
            #expect(Set(seen).count == 6)
        }
    }
}
