import Foundation
import HTTPTypes
import HummingbirdTesting
import MagpieTesting
import Testing

@Suite struct ServerTests {
    @Test func startupRemovesTempFilesAndOrphanBlobs() async throws {
        let directory = TestServer.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await TestServer.withApp(dataDirectory: directory) { (s3: S3TestClient, _: TestServer) async throws in
            try await s3.send(.put, "/keep")
            try await s3.send(.put, "/keep/k", body: Array("kept".utf8))
        }
        // What a crash leaves: a half-written temp file and a renamed blob whose row never committed.
        let orphan = directory + "/blobs/ab/cd/abcd0000000000000000000000000000"
        try FileManager.default.createDirectory(atPath: directory + "/blobs/ab/cd", withIntermediateDirectories: true)
        try Data("orphan".utf8).write(to: URL(fileURLWithPath: orphan))
        try Data("partial".utf8).write(to: URL(fileURLWithPath: directory + "/tmp/deadbeef.tmp"))
        try await TestServer.withApp(dataDirectory: directory) { (s3: S3TestClient, server: TestServer) async throws in
            #expect(!FileManager.default.fileExists(atPath: orphan))
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/tmp").isEmpty)
            #expect(try await s3.send(.get, "/keep/k").text == "kept")
            #expect(try ObjectTests.blobCount(server) == 1)
        }
    }

    @Test func virtualHostedStyle() async throws {
        try await TestServer.withApp(domain: "s3.example.test") { (s3: S3TestClient, _: TestServer) async throws in
            try await s3.send(.put, "/vhost")
            let put = try await s3.send(.put, "/photos/a.txt", headers: [("host", "vhost.s3.example.test")], body: Array("hi".utf8))
            #expect(put.status == .ok, "\(put.text)")
            #expect(try await s3.send(.get, "/vhost/photos/a.txt").text == "hi")
            let list = try await s3.send(.get, "/?list-type=2", headers: [("host", "vhost.s3.example.test")])
            #expect(list.text.contains("<Key>photos/a.txt</Key>"))
        }
    }

    @Test func metricsTokenAndHealth() async throws {
        try await TestServer.withApp(metricsToken: "sekrit") { (s3: S3TestClient, _: TestServer) async throws in
            #expect(try await s3.send(.get, "/-/health", signed: false).text == #"{"status":"ok"}"#)
            #expect(try await s3.send(.get, "/-/metrics", signed: false).status == .forbidden)
            let ok = try await s3.send(.get, "/-/metrics", headers: [("authorization", "Bearer sekrit")], signed: false)
            #expect(ok.status == .ok)
            #expect(try await s3.send(.get, "/-/nothing", signed: false).status == .badRequest)
        }
    }
}
