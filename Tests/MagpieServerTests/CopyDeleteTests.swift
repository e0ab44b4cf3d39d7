import Foundation
import HTTPTypes
import HummingbirdTesting
import MagpieTesting
import S3Protocol
import Testing

@Suite struct CopyDeleteTests {
    @Test func copyKeepsOrReplacesMetadata() async throws {
        try await TestServer.withApp { (s3: S3TestClient, _: TestServer) async throws in
            try await s3.send(.put, "/bkt")
            try await s3.send(.put, "/bkt/src key", headers: [("content-type", "text/a"), ("x-amz-meta-v", "1")], body: Array("data".utf8))
            let copy = try await s3.send(.put, "/bkt/dst", headers: [("x-amz-copy-source", "/bkt/src%20key")])
            #expect(copy.text.contains("<CopyObjectResult"))
            let dst = try await s3.send(.get, "/bkt/dst")
            #expect(dst.text == "data")
            #expect(dst.headers["content-type"] == "text/a")
            #expect(dst.headers["x-amz-meta-v"] == "1")
            try await s3.send(
                .put, "/bkt/dst2",
                headers: [("x-amz-copy-source", "bkt/src%20key"), ("x-amz-metadata-directive", "REPLACE"), ("content-type", "text/b")]
            )
            let replaced = try await s3.send(.head, "/bkt/dst2")
            #expect(replaced.headers["content-type"] == "text/b")
            #expect(replaced.headers["x-amz-meta-v"] == nil)
        }
    }

    @Test func copyErrors() async throws {
        try await TestServer.withApp { (s3: S3TestClient, _: TestServer) async throws in
            try await s3.send(.put, "/bkt")
            try await s3.send(.put, "/bkt/src", body: Array("data".utf8))
            #expect(try await s3.send(.put, "/bkt/src", headers: [("x-amz-copy-source", "bkt/src")]).errorCode == "InvalidRequest")
            #expect(try await s3.send(.put, "/bkt/x", headers: [("x-amz-copy-source", "bkt/missing")]).errorCode == "NoSuchKey")
            let failed = try await s3.send(.put, "/bkt/x", headers: [("x-amz-copy-source", "bkt/src"), ("x-amz-copy-source-if-match", "\"zz\"")])
            #expect(failed.errorCode == "PreconditionFailed")
            #expect(try await s3.send(.put, "/bkt/x", headers: [("x-amz-copy-source", "nokey")]).errorCode == "InvalidArgument")
        }
    }

    @Test func deleteObjectsQuietAndVerbose() async throws {
        try await TestServer.withApp { (s3: S3TestClient, _: TestServer) async throws in
            try await s3.send(.put, "/bkt")
            try await s3.send(.put, "/bkt/one", body: [1])
            try await s3.send(.put, "/bkt/two", body: [2])
            let body = Array("<Delete><Object><Key>one</Key></Object><Object><Key>missing</Key></Object></Delete>".utf8)
            #expect(try await s3.send(.post, "/bkt?delete", body: body).errorCode == "InvalidRequest")
            let verbose = try await s3.send(.post, "/bkt?delete", headers: [("content-md5", Self.md5(body))], body: body)
            #expect(verbose.text.contains("<Deleted><Key>one</Key></Deleted>"))
            #expect(verbose.text.contains("<Deleted><Key>missing</Key></Deleted>"))
            let quietBody = Array("<Delete><Quiet>true</Quiet><Object><Key>two</Key></Object></Delete>".utf8)
            let quiet = try await s3.send(.post, "/bkt?delete", headers: [("content-md5", Self.md5(quietBody))], body: quietBody)
            #expect(!quiet.text.contains("<Deleted>"))
            #expect(try await s3.send(.get, "/bkt/two").status == .notFound)
            let truncated = Array("<Delete><Object>".utf8)
            #expect(try await s3.send(.post, "/bkt?delete", headers: [("content-md5", Self.md5(truncated))], body: truncated).errorCode == "MalformedXML")
            let dtd = Array("<!DOCTYPE x [<!ENTITY a \"b\">]><Delete><Object><Key>&a;</Key></Object></Delete>".utf8)
            #expect(try await s3.send(.post, "/bkt?delete", headers: [("content-md5", Self.md5(dtd))], body: dtd).errorCode == "MalformedXML")
            #expect(try await s3.send(.post, "/bkt?delete", headers: [("content-md5", Self.md5(quietBody))], body: body).errorCode == "BadDigest")
        }
    }

    static func md5(_ bytes: [UInt8]) -> String {
        var digest = Digester.md5()
        digest.update(bytes)
        return digest.finalize().base64String
    }
}
