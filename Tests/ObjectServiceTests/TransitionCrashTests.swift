import BlobStore
import Foundation
import Logging
import MagpieCore
import MetadataStore
import NIOCore
import S3Protocol
import Testing

@testable import ObjectService

/// A transition interrupted at any point leaves the object readable from exactly one blob, and
/// start-up garbage collection removes the other.
@Suite struct TransitionCrashTests {
    struct Fixture {
        let directory: String
        let store: SQLiteMetadataStore
        let service: ObjectService
        let principal: Principal

        static func make() async throws -> Fixture {
            let directory = NSTemporaryDirectory() + "magpie-transition-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let logger = Logger(label: "test")
            let store = try await SQLiteMetadataStore.open(path: directory + "/m.sqlite", logger: logger)
            let layout = TierLayout.defaults(dataDirectory: directory)
            var tiers: [String: any BlobStore] = [:]
            for (name, path) in layout.paths { tiers[name] = try FileBlobStore(root: path, logger: logger) }
            var configuration = ObjectServiceConfiguration()
            configuration.classTiers = layout.classTiers
            let service = ObjectService(
                metadata: store, blobs: TieredBlobStore(tiers: tiers, defaultTier: "standard"), configuration: configuration, logger: logger
            )
            try await service.ensureRoot(accessKey: "ROOTKEY", secretKey: "root-secret-123")
            let principal = try #require(try await service.credentials(for: "ROOTKEY")).principal
            try await service.createBucket(try BucketName("tiers"), region: nil, for: principal)
            return Fixture(directory: directory, store: store, service: service, principal: principal)
        }

        func put(_ text: String) async throws -> ObjectRecord {
            let request = PutObjectRequest(bucket: try BucketName("tiers"), key: try ObjectKey("k"), headers: ["content-type": "text/plain"])
            return try await service.putObject(request, body: [ByteBuffer(string: text)].async, trailers: { [] }, for: principal)
        }

        func read() async throws -> String {
            let object = try await service.openObject(try BucketName("tiers"), try ObjectKey("k"), for: principal)
            var text = ""
            try await service.stream(object, range: nil, requestId: "test") { text += String(buffer: $0) }
            await object.close()
            return text
        }

        func blobExists(_ id: String, tier: String) -> Bool {
            let root = tier == "standard" ? directory : "\(directory)/tiers/\(tier)"
            return FileManager.default.fileExists(atPath: "\(root)/blobs/\(id.prefix(2))/\(id.dropFirst(2).prefix(2))/\(id)")
        }

        /// Runs `body` on a fresh fixture and always closes the store (its connections assert otherwise).
        static func with(_ body: (Fixture) async throws -> Void) async throws {
            let fixture = try await make()
            do {
                try await body(fixture)
            } catch {
                await fixture.finish()
                throw error
            }
            await fixture.finish()
        }

        func finish() async {
            await store.close()
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    @Test func crashAfterTheCopyKeepsTheOldBlob() async throws {
        try await Fixture.with { fixture in
            let record = try await fixture.put("archive me")
            // The copy is committed in the target tier, then the process dies before the switch.
            let copy = try await fixture.service.copyBlob(record, toTier: "glacier")
            #expect(fixture.blobExists(copy, tier: "glacier"))
            let report = try await fixture.service.collectGarbage()
            #expect(report.orphanBlobsRemoved == 1)
            #expect(!fixture.blobExists(copy, tier: "glacier") && fixture.blobExists(record.blobId, tier: "standard"))
            #expect(try await fixture.read() == "archive me")
        }
    }

    @Test func crashAfterTheSwitchKeepsTheNewBlob() async throws {
        try await Fixture.with { fixture in
            let record = try await fixture.put("archive me")
            let copy = try await fixture.service.copyBlob(record, toTier: "glacier-ir")
            #expect(try await fixture.store.switchBlob(record, to: copy, tier: "glacier-ir", storageClass: "GLACIER_IR"))
            // Dies before removing the old blob: the next start removes it.
            #expect(try await fixture.service.collectGarbage().orphanBlobsRemoved == 1)
            #expect(!fixture.blobExists(record.blobId, tier: "standard") && fixture.blobExists(copy, tier: "glacier-ir"))
            let stored = try #require(try await fixture.store.currentObject(bucket: "tiers", key: "k"))
            #expect(stored.storageClass == "GLACIER_IR" && stored.tier == "glacier-ir" && stored.etag == record.etag)
            #expect(try await fixture.read() == "archive me")
        }
    }

    @Test func aTransitionOfAVersionThatChangedMeanwhileDoesNothing() async throws {
        try await Fixture.with { fixture in
            let stale = try await fixture.put("first")
            let current = try await fixture.put("second")
            #expect(try await fixture.service.transition(stale, to: .glacier) == false)
            #expect(try await fixture.service.collectGarbage().orphanBlobsRemoved == 0)  // the copy was removed at once
            #expect(try await fixture.read() == "second")
            #expect(try await fixture.service.transition(current, to: .glacierIR))
            #expect(!fixture.blobExists(current.blobId, tier: "standard"))
            #expect(try await fixture.read() == "second")
        }
    }

    @Test func aCorruptBlobIsNeverCopied() async throws {
        try await Fixture.with { fixture in
            var record = try await fixture.put("bytes")
            record.integrityCRC32C ^= 1
            await #expect(throws: IntegrityFailure.self) { try await fixture.service.copyBlob(record, toTier: "glacier") }
            #expect(try await fixture.service.collectGarbage().tempFilesRemoved == 0)
        }
    }
}
