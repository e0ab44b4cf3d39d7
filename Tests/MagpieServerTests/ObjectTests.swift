import Foundation
import HTTPTypes
import HummingbirdTesting
import MagpieTesting
import NIOCore
import S3Protocol
import Testing

extension HTTPFields {
    subscript(_ name: String) -> String? { self[HTTPField.Name(name)!] }
}

@Suite struct ObjectTests {
    @Test func putGetHeadDeleteRoundTrip() async throws {
        try await TestServer.withApp { (s3: S3TestClient, _: TestServer) async throws in
            try await s3.send(.put, "/bkt")
            let body = Array("hello, magpie".utf8)
            let put = try await s3.send(
                .put, "/bkt/greeting.txt",
                headers: [("content-type", "text/plain"), ("x-amz-meta-color", "blue"), ("cache-control", "max-age=60")], body: body
            )
            #expect(put.status == .ok)
            var md5 = Digester.md5()
            md5.update(body)
            #expect(put.headers["etag"] == "\"\(md5.finalize().hexString)\"")
            let get = try await s3.send(.get, "/bkt/greeting.txt")
            #expect(get.text == "hello, magpie")
            #expect(get.headers["content-type"] == "text/plain")
            #expect(get.headers["x-amz-meta-color"] == "blue")
            #expect(get.headers["cache-control"] == "max-age=60")
            #expect(get.headers["last-modified"] != nil)
            let head = try await s3.send(.head, "/bkt/greeting.txt")
            #expect(head.headers["content-length"] == "13")
            #expect(head.body.readableBytes == 0)
            #expect(try await s3.send(.delete, "/bkt/greeting.txt").status == .noContent)
            let missing = try await s3.send(.get, "/bkt/greeting.txt")
            #expect(missing.status == .notFound)
            #expect(missing.errorCode == "NoSuchKey")
            #expect(try await s3.send(.delete, "/bkt/greeting.txt").status == .noContent)
        }
    }

    @Test func overwriteReplacesAndDefaultsContentType() async throws {
        try await TestServer.withApp { (s3: S3TestClient, server: TestServer) async throws in
            try await s3.send(.put, "/bkt")
            try await s3.send(.put, "/bkt/k", body: Array("one".utf8))
            try await s3.send(.put, "/bkt/k", body: Array("two!".utf8))
            let get = try await s3.send(.get, "/bkt/k")
            #expect(get.text == "two!")
            #expect(get.headers["content-type"] == "binary/octet-stream")
            #expect(try Self.blobCount(server) == 1)
        }
    }

    @Test func responseOverrides() async throws {
        try await TestServer.withApp { (s3: S3TestClient, _: TestServer) async throws in
            try await s3.send(.put, "/bkt")
            try await s3.send(.put, "/bkt/k", body: Array("x".utf8))
            let get = try await s3.send(.get, "/bkt/k?response-content-type=image%2Fpng&response-content-disposition=attachment")
            #expect(get.headers["content-type"] == "image/png")
            #expect(get.headers["content-disposition"] == "attachment")
        }
    }

    @Test func badDigestStoresNothing() async throws {
        try await TestServer.withApp { (s3: S3TestClient, server: TestServer) async throws in
            try await s3.send(.put, "/bkt")
            try await s3.send(.put, "/bkt/k", body: Array("original".utf8))
            let wrong = Base64.encode([UInt8](repeating: 0, count: 16))
            let response = try await s3.send(.put, "/bkt/k", headers: [("content-md5", wrong)], body: Array("replacement".utf8))
            #expect(response.errorCode == "BadDigest")
            #expect(try await s3.send(.get, "/bkt/k").text == "original")
            #expect(try await s3.send(.put, "/bkt/k", headers: [("content-md5", "nope")], body: [1]).errorCode == "InvalidDigest")
            #expect(try Self.blobCount(server) == 1)
            #expect(try FileManager.default.contentsOfDirectory(atPath: server.dataDirectory + "/tmp").isEmpty)
        }
    }

    @Test func checksumHeadersVerifiedAndReturned() async throws {
        try await TestServer.withApp { (s3: S3TestClient, _: TestServer) async throws in
            try await s3.send(.put, "/bkt")
            let body = Array("123456789".utf8)
            // CRC32C("123456789") = 0xE3069283
            let good = Base64.encode([0xE3, 0x06, 0x92, 0x83])
            #expect(try await s3.send(.put, "/bkt/c", headers: [("x-amz-checksum-crc32c", good)], body: body).status == .ok)
            let head = try await s3.send(.head, "/bkt/c", headers: [("x-amz-checksum-mode", "ENABLED")])
            #expect(head.headers["x-amz-checksum-crc32c"] == good)
            let bad = Base64.encode([0, 0, 0, 0])
            #expect(try await s3.send(.put, "/bkt/c", headers: [("x-amz-checksum-crc32c", bad)], body: body).errorCode == "BadDigest")
            #expect(try await s3.send(.put, "/bkt/c", headers: [("x-amz-checksum-crc32", "!!")], body: body).errorCode == "InvalidRequest")
        }
    }

    @Test func signedPayloadMismatchIsRejected() async throws {
        try await TestServer.withApp { (s3: S3TestClient, _: TestServer) async throws in
            try await s3.send(.put, "/bkt")
            let response = try await s3.send(.put, "/bkt/k", body: Array("abc".utf8), payloadHash: PayloadHash.sha256Hex(Array("abd".utf8)))
            #expect(response.errorCode == "XAmzContentSHA256Mismatch")
            #expect(try await s3.send(.get, "/bkt/k").status == .notFound)
        }
    }

    @Test func conditionalWrites() async throws {
        try await TestServer.withApp { (s3: S3TestClient, _: TestServer) async throws in
            try await s3.send(.put, "/bkt")
            #expect(try await s3.send(.put, "/bkt/k", headers: [("if-none-match", "*")], body: [1]).status == .ok)
            #expect(try await s3.send(.put, "/bkt/k", headers: [("if-none-match", "*")], body: [2]).errorCode == "PreconditionFailed")
            let etag = try await s3.send(.head, "/bkt/k").headers["etag"]!
            #expect(try await s3.send(.put, "/bkt/k", headers: [("if-match", etag)], body: [3]).status == .ok)
            #expect(try await s3.send(.put, "/bkt/k", headers: [("if-match", etag)], body: [4]).errorCode == "PreconditionFailed")
            #expect(try await s3.send(.put, "/bkt/none", headers: [("if-match", etag)], body: [4]).errorCode == "NoSuchKey")
        }
    }

    @Test func keyTooLong() async throws {
        try await TestServer.withApp { (s3: S3TestClient, _: TestServer) async throws in
            try await s3.send(.put, "/bkt")
            #expect(try await s3.send(.put, "/bkt/" + String(repeating: "k", count: 1025), body: [1]).errorCode == "KeyTooLongError")
            #expect(try await s3.send(.put, "/bkt/" + String(repeating: "k", count: 1024), body: [1]).status == .ok)
        }
    }

    static func blobCount(_ server: TestServer) throws -> Int {
        let root = server.dataDirectory + "/blobs"
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return 0 }
        return enumerator.compactMap { $0 as? String }.filter { $0.split(separator: "/").count == 3 }.count
    }
}
