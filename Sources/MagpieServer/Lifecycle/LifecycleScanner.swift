import Foundation
import Logging
import MagpieCore
import MetadataStore
import Metrics
import ObjectService
import S3Protocol
import ServiceLifecycle

/// Applies every bucket's lifecycle rules in the background: passes over the buckets that have a
/// configuration, in bounded batches of keys (then of incomplete uploads), saving its cursor after
/// each batch so that a restart resumes where it stopped. A pass starts every `interval`.
struct LifecycleScanner: Service {
    let service: ObjectService
    let interval: Duration
    let keysPerBatch: Int
    let logger: Logger
    /// The least time between two cursor writes.
    var checkpointInterval: Duration = .seconds(1)
    /// The time rules are evaluated at (ms since the epoch); injectable for tests.
    var now: @Sendable () -> Int64 = { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

    static let progressName = "scanner"
    let actions = Counter(label: "magpie_lifecycle_actions_total")
    let passes = Counter(label: "magpie_lifecycle_passes_total")

    /// Where a pass stands: the bucket, and the last key (or upload) done in it.
    struct Cursor: Codable, Equatable {
        var bucket: String
        var afterKey: String?
        var uploads = false
        var afterUploadKey: String?
        var afterUploadId: String?
    }

    func run() async throws {
        // Shutdown cancels the wait between passes; a pass stops at its next batch boundary.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await pass()
                try await Task.sleep(for: interval)
            }
        }
    }

    /// One pass over every bucket with a lifecycle configuration, from the saved cursor on.
    func pass() async {
        var tally = LifecycleTally()
        var checkpoints = Checkpoints()
        do {
            var cursor = try await loadCursor()
            checkpoints.saved = cursor != nil
            for bucket in try await service.metadata.bucketsWithLifecycle() {
                if let resume = cursor, bucket.name.utf8.lexicographicallyPrecedes(resume.bucket.utf8) { continue }
                guard let configuration = service.lifecycleConfiguration(of: bucket) else { continue }
                var position = cursor?.bucket == bucket.name ? cursor! : Cursor(bucket: bucket.name)
                cursor = nil
                try await scan(bucket, configuration, from: &position, tally: &tally, checkpoints: &checkpoints)
                if Task.isCancelled { return }
            }
            if checkpoints.saved { try await service.metadata.setLifecycleProgress(Self.progressName, value: nil) }
            passes.increment()
        } catch {
            logger.error("lifecycle pass failed", metadata: ["error": "\(error)"])
        }
        if tally.total + tally.failed > 0 {
            logger.info(
                "lifecycle pass",
                metadata: [
                    "expired": "\(tally.expired)", "transitioned": "\(tally.transitioned)", "removed": "\(tally.removed)",
                    "aborted": "\(tally.aborted)", "failed": "\(tally.failed)",
                ]
            )
        }
    }

    /// When the cursor was last written: at most once a second, so that quick passes over small
    /// buckets do not hammer the single metadata writer; a restart redoes at most that second.
    struct Checkpoints {
        var saved = false
        var last = ContinuousClock.now
    }

    func checkpoint(_ position: Cursor, _ checkpoints: inout Checkpoints) async throws {
        guard ContinuousClock.now - checkpoints.last >= checkpointInterval else { return }
        try await save(position)
        checkpoints.saved = true
        checkpoints.last = ContinuousClock.now
    }

    func scan(
        _ bucket: BucketRecord, _ configuration: LifecycleConfiguration, from position: inout Cursor, tally: inout LifecycleTally,
        checkpoints: inout Checkpoints
    ) async throws {
        while !position.uploads {
            if Task.isCancelled { return }
            var batch = LifecycleTally()
            let last = try await service.lifecycleObjectBatch(
                bucket, configuration: configuration, after: position.afterKey, keyLimit: keysPerBatch, now: now(), tally: &batch
            )
            record(batch, into: &tally)
            if let last { position.afterKey = last } else { position.uploads = true }
            try await checkpoint(position, &checkpoints)
        }
        while true {
            if Task.isCancelled { return }
            var batch = LifecycleTally()
            let after = position.afterUploadKey.flatMap { key in position.afterUploadId.map { (key: key, uploadId: $0) } }
            let last = try await service.lifecycleUploadBatch(
                bucket, configuration: configuration, after: after, limit: keysPerBatch, now: now(), tally: &batch
            )
            record(batch, into: &tally)
            guard let last else { return }
            (position.afterUploadKey, position.afterUploadId) = (last.key, last.uploadId)
            try await checkpoint(position, &checkpoints)
        }
    }

    func record(_ batch: LifecycleTally, into tally: inout LifecycleTally) {
        tally.expired += batch.expired
        tally.transitioned += batch.transitioned
        tally.removed += batch.removed
        tally.aborted += batch.aborted
        tally.failed += batch.failed
        if batch.total > 0 { actions.increment(by: batch.total) }
    }

    func loadCursor() async throws -> Cursor? {
        guard let text = try await service.metadata.lifecycleProgress(Self.progressName) else { return nil }
        return try? JSONDecoder().decode(Cursor.self, from: Data(text.utf8))
    }

    func save(_ cursor: Cursor) async throws {
        let text = String(decoding: try JSONEncoder().encode(cursor), as: UTF8.self)
        try await service.metadata.setLifecycleProgress(Self.progressName, value: text)
    }
}

/// Completes restores whose delay is over and removes restored copies whose lifetime ended.
struct RestoreWorker: Service {
    let service: ObjectService
    let interval: Duration

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let now = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
                // A full batch means more may be due: go on at once.
                if await service.processDueRestores(now: now) == 100 { continue }
                try await Task.sleep(for: interval)
            }
        }
    }
}
