import Foundation
import Logging
import MetadataStore
import Testing

/// The lease/claim logic of the job queue, on a real SQLite store in a temp dir; time is passed
/// in, never waited for.
@Suite struct JobQueueStoreTests {
    static func withStore(_ body: (SQLiteMetadataStore) async throws -> Void) async throws {
        let directory = NSTemporaryDirectory() + "magpie-jobs-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try await SQLiteMetadataStore.open(path: directory + "/metadata.sqlite", logger: Logger(label: "test"))
        do {
            try await body(store)
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }

    static func job(_ id: String, at now: Int64, workClass: String = "video") -> JobRecord {
        JobRecord(id: id, ownerId: "owner", workClass: workClass, spec: "{}", now: now)
    }

    @Test func aClaimLeasesTheOldestDueJobToOneWorker() async throws {
        try await Self.withStore { store in
            try await store.insertJob(Self.job("b", at: 20))
            try await store.insertJob(Self.job("a", at: 10))
            let first = try await store.claimJob(classes: ["video"], worker: "w1", now: 100, leaseMillis: 1000)
            #expect(first?.id == "a" && first?.attempts == 1 && first?.status == "running" && first?.leaseOwner == "w1")
            let second = try await store.claimJob(classes: ["video"], worker: "w2", now: 100, leaseMillis: 1000)
            #expect(second?.id == "b")
            #expect(try await store.claimJob(classes: ["video"], worker: "w3", now: 100, leaseMillis: 1000) == nil)
        }
    }

    @Test func classesAreSeparatePools() async throws {
        try await Self.withStore { store in
            try await store.insertJob(Self.job("v", at: 1, workClass: "video"))
            #expect(try await store.claimJob(classes: ["light"], worker: "w", now: 10, leaseMillis: 1000) == nil)
            #expect(try await store.claimJob(classes: ["light", "video"], worker: "w", now: 10, leaseMillis: 1000)?.id == "v")
        }
    }

    @Test func anExpiredLeaseMakesTheJobClaimableAgainAndFencesTheOldWorker() async throws {
        try await Self.withStore { store in
            try await store.insertJob(Self.job("a", at: 1))
            _ = try await store.claimJob(classes: ["video"], worker: "dead", now: 100, leaseMillis: 1000)
            #expect(try await store.claimJob(classes: ["video"], worker: "w2", now: 1099, leaseMillis: 1000) == nil)
            let retaken = try await store.claimJob(classes: ["video"], worker: "w2", now: 1101, leaseMillis: 1000)
            #expect(retaken?.id == "a" && retaken?.attempts == 2 && retaken?.leaseOwner == "w2")
            // The old worker can neither renew nor complete any more.
            #expect(try await store.renewLease(jobId: "a", worker: "dead", now: 1102, leaseMillis: 1000, progress: 50).held == false)
            #expect(
                try await store.completeJob(jobId: "a", worker: "dead", now: 1103, completion: JobCompletion(status: "succeeded", progress: 100))
                    == false)
            #expect(
                try await store.completeJob(jobId: "a", worker: "w2", now: 1103, completion: JobCompletion(status: "succeeded", progress: 100))
                    == true)
            let done = try await store.job(id: "a")
            #expect(done?.status == "succeeded" && done?.leaseOwner == nil && done?.finishedAt == 1103)
        }
    }

    @Test func renewingExtendsTheLeaseAndStoresProgress() async throws {
        try await Self.withStore { store in
            try await store.insertJob(Self.job("a", at: 1))
            _ = try await store.claimJob(classes: ["video"], worker: "w", now: 100, leaseMillis: 1000)
            #expect(
                try await store.renewLease(jobId: "a", worker: "w", now: 900, leaseMillis: 1000, progress: 40)
                    == LeaseStatus(held: true, cancelRequested: false))
            #expect(try await store.claimJob(classes: ["video"], worker: "x", now: 1500, leaseMillis: 1000) == nil)
            #expect(try await store.job(id: "a")?.progress == 40)
        }
    }

    @Test func aRetryWaitsForItsBackoff() async throws {
        try await Self.withStore { store in
            try await store.insertJob(Self.job("a", at: 1))
            _ = try await store.claimJob(classes: ["video"], worker: "w", now: 100, leaseMillis: 1000)
            let retry = JobCompletion(status: "queued", progress: 0, errorCode: "StorageError", errorMessage: "disk", runAfter: 5000)
            #expect(try await store.completeJob(jobId: "a", worker: "w", now: 200, completion: retry))
            #expect(try await store.claimJob(classes: ["video"], worker: "w", now: 4999, leaseMillis: 1000) == nil)
            #expect(try await store.claimJob(classes: ["video"], worker: "w", now: 5000, leaseMillis: 1000)?.attempts == 2)
        }
    }

    @Test func cancelEndsAQueuedJobAndFlagsARunningOne() async throws {
        try await Self.withStore { store in
            try await store.insertJob(Self.job("q", at: 1))
            try await store.insertJob(Self.job("r", at: 0))
            _ = try await store.claimJob(classes: ["video"], worker: "w", now: 10, leaseMillis: 1000)
            #expect(try await store.requestCancel(jobId: "q", now: 20)?.status == "canceled")
            let running = try await store.requestCancel(jobId: "r", now: 20)
            #expect(running?.status == "running" && running?.cancelRequested == true)
            #expect(try await store.renewLease(jobId: "r", worker: "w", now: 30, leaseMillis: 1000, progress: 5).cancelRequested)
            #expect(try await store.requestCancel(jobId: "missing", now: 20) == nil)
        }
    }

    @Test func leasesOfDeadWorkersCanBeExpiredAtOnce() async throws {
        try await Self.withStore { store in
            try await store.insertJob(Self.job("a", at: 1))
            _ = try await store.claimJob(classes: ["video"], worker: "gone", now: 10, leaseMillis: 60_000)
            #expect(try await store.runningLeaseOwners() == ["gone"])
            try await store.expireLeases(owners: ["gone"])
            #expect(try await store.claimJob(classes: ["video"], worker: "new", now: 11, leaseMillis: 60_000)?.leaseOwner == "new")
        }
    }

    @Test func webhooksAreLeasedAndRescheduled() async throws {
        try await Self.withStore { store in
            try await store.insertWebhook(WebhookRecord(id: "h", jobId: "a", url: "http://x", body: "{}", nextAt: 100))
            #expect(try await store.claimWebhook(now: 99, leaseMillis: 1000) == nil)
            #expect(try await store.claimWebhook(now: 100, leaseMillis: 1000)?.id == "h")
            #expect(try await store.claimWebhook(now: 500, leaseMillis: 1000) == nil)  // leased
            try await store.finishWebhook(id: "h", status: "pending", attempts: 1, nextAt: 2000, lastError: "HTTP 500")
            #expect(try await store.claimWebhook(now: 2000, leaseMillis: 1000)?.attempts == 1)
        }
    }
}
