import BlobStore
import Foundation
import Logging
import MagpieCore
import MetadataStore
import NIOCore
import Testing

@testable import ObjectService

@Suite struct ConditionalConflictTests {
    /// A body that, halfway through, lets another writer create the key: the conditional PUT's early
    /// check passed, its commit-time check fails — S3's 409 ConditionalRequestConflict.
    struct RacingBody: AsyncSequence {
        typealias Element = ByteBuffer
        let race: @Sendable () async throws -> Void

        struct AsyncIterator: AsyncIteratorProtocol {
            let race: @Sendable () async throws -> Void
            var step = 0
            mutating func next() async throws -> ByteBuffer? {
                step += 1
                if step == 2 { try await race() }
                return step <= 2 ? ByteBuffer(string: "chunk\(step)") : nil
            }
        }

        func makeAsyncIterator() -> AsyncIterator { AsyncIterator(race: race) }
    }

    @Test func lostRaceIsConditionalRequestConflict() async throws {
        let directory = NSTemporaryDirectory() + "magpie-conflict-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let logger = Logger(label: "test")
        let store = try await SQLiteMetadataStore.open(path: directory + "/m.sqlite", logger: logger)
        let service = ObjectService(
            metadata: store, blobs: try FileBlobStore(root: directory, logger: logger), configuration: ObjectServiceConfiguration(), logger: logger
        )
        try await service.ensureRoot(accessKey: "ROOTKEY", secretKey: "root-secret-123")
        let principal = try #require(try await service.credentials(for: "ROOTKEY")).principal
        let bucket = try BucketName("race"), key = try ObjectKey("k")
        try await service.createBucket(bucket, region: nil, for: principal)
        let competitor = PutObjectRequest(bucket: bucket, key: key, headers: [:])
        var conditional = PutObjectRequest(bucket: bucket, key: key, headers: [:])
        conditional.condition = .ifNoneMatchAny
        let body = RacingBody {
            _ = try await service.putObject(competitor, body: [ByteBuffer(string: "winner")].async, trailers: { [] }, for: principal)
        }
        await #expect { try await service.putObject(conditional, body: body, trailers: { [] }, for: principal) } throws: {
            ($0 as? MagpieError)?.code == .conditionalRequestConflict
        }
        let stored = try #require(try await store.currentObject(bucket: "race", key: "k"))
        #expect(stored.size == 6)  // the winner's bytes, untouched
        await store.close()
    }
}

extension Array where Element == ByteBuffer {
    /// The buffers as an async sequence (test bodies).
    var async: AsyncStream<ByteBuffer> {
        AsyncStream { continuation in
            for buffer in self { continuation.yield(buffer) }
            continuation.finish()
        }
    }
}
