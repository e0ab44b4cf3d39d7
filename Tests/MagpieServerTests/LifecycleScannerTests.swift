import BlobStore
import Foundation
import Logging
import MagpieCore
import MetadataStore
import NIOCore
import ObjectService
import S3Protocol
import Testing

@testable import MagpieServer

/// The scanner's passes: bounded batches, a saved cursor, and a restart that resumes from it.
@Suite struct LifecycleScannerTests {
    static let future: Int64 = 4_102_444_800_000  // 2100-01-01: every rule below is due

    static func withService(_ body: (ObjectService, Principal) async throws -> Void) async throws {
        let directory = NSTemporaryDirectory() + "magpie-scanner-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let logger = Logger(label: "test")
        let store = try await SQLiteMetadataStore.open(path: directory + "/m.sqlite", logger: logger)
        do {
            let service = ObjectService(
                metadata: store, blobs: try FileBlobStore(root: directory, logger: logger), configuration: ObjectServiceConfiguration(),
                logger: logger
            )
            try await service.ensureRoot(accessKey: "ROOTKEY", secretKey: "root-secret-123")
            let principal = try #require(try await service.credentials(for: "ROOTKEY")).principal
            try await body(service, principal)
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }

    static func keys(_ service: ObjectService, _ principal: Principal) async throws -> [String] {
        try await service.listObjects(try BucketName("logs"), ListRequest(), for: principal).objects.map(\.key)
    }

    @Test func aPassResumesFromTheSavedCursorThenStartsOver() async throws {
        try await Self.withService { service, principal in
            let bucket = try BucketName("logs")
            try await service.createBucket(bucket, region: nil, for: principal)
            for key in ["a", "b", "c"] {
                let request = PutObjectRequest(bucket: bucket, key: try ObjectKey(key), headers: [:])
                _ = try await service.putObject(request, body: [ByteBuffer(string: key)].async, trailers: { [] }, for: principal)
            }
            let rule = LifecycleRule(id: "all", filter: .all, expiration: .days(1))
            try await service.setLifecycle(bucket, LifecycleConfiguration(rules: [rule]), for: principal)
            var scanner = LifecycleScanner(service: service, interval: .seconds(1), keysPerBatch: 1, logger: Logger(label: "test"))
            scanner.now = { Self.future }
            // A pass interrupted after "b" (say, by a restart) left its cursor behind.
            let cursor = LifecycleScanner.Cursor(bucket: "logs", afterKey: "b")
            try await scanner.save(cursor)
            await scanner.pass()
            #expect(try await Self.keys(service, principal) == ["a", "b"])
            #expect(try await service.metadata.lifecycleProgress(LifecycleScanner.progressName) == nil)
            await scanner.pass()
            #expect(try await Self.keys(service, principal) == [])
        }
    }

    @Test func batchesSaveTheCursorAsTheyGo() async throws {
        try await Self.withService { service, principal in
            let bucket = try BucketName("logs")
            try await service.createBucket(bucket, region: nil, for: principal)
            for key in ["a", "b", "c"] {
                let request = PutObjectRequest(bucket: bucket, key: try ObjectKey(key), headers: [:])
                _ = try await service.putObject(request, body: [ByteBuffer(string: key)].async, trailers: { [] }, for: principal)
            }
            let configuration = LifecycleConfiguration(rules: [LifecycleRule(id: "r", filter: .all, expiration: .days(30))])
            try await service.setLifecycle(bucket, configuration, for: principal)
            var scanner = LifecycleScanner(service: service, interval: .seconds(1), keysPerBatch: 1, logger: Logger(label: "test"))
            scanner.checkpointInterval = .zero
            let record = try #require(try await service.metadata.bucket("logs"))
            var position = LifecycleScanner.Cursor(bucket: "logs")
            var tally = LifecycleTally()
            var checkpoints = LifecycleScanner.Checkpoints()
            try await scanner.scan(record, configuration, from: &position, tally: &tally, checkpoints: &checkpoints)
            // A crash now would resume after the last key, with the uploads still to do.
            #expect(try await scanner.loadCursor() == LifecycleScanner.Cursor(bucket: "logs", afterKey: "c", uploads: true))
            #expect(checkpoints.saved && tally.total == 0)
        }
    }

    @Test func rulesNotYetDueChangeNothing() async throws {
        try await Self.withService { service, principal in
            let bucket = try BucketName("logs")
            try await service.createBucket(bucket, region: nil, for: principal)
            let request = PutObjectRequest(bucket: bucket, key: try ObjectKey("fresh"), headers: [:])
            _ = try await service.putObject(request, body: [ByteBuffer(string: "x")].async, trailers: { [] }, for: principal)
            try await service.setLifecycle(
                bucket, LifecycleConfiguration(rules: [LifecycleRule(id: "r", filter: .all, expiration: .days(30))]), for: principal)
            let scanner = LifecycleScanner(service: service, interval: .seconds(1), keysPerBatch: 10, logger: Logger(label: "test"))
            await scanner.pass()
            #expect(try await Self.keys(service, principal) == ["fresh"])
        }
    }
}

extension Array where Element == ByteBuffer {
    var async: AsyncStream<ByteBuffer> {
        AsyncStream { continuation in
            for buffer in self { continuation.yield(buffer) }
            continuation.finish()
        }
    }
}
