import Foundation
import MagpieCore
import SQLKit

extension SQLiteMetadataStore {
    public func insertJob(_ job: JobRecord) async throws {
        try await transaction { db in
            try await db.raw(
                """
                INSERT INTO jobs (id, owner_id, work_class, spec, status, progress, attempts, rule_id, created_at, updated_at, run_after,
                    cancel_requested)
                VALUES (\(bind: job.id), \(bind: job.ownerId), \(bind: job.workClass), \(bind: job.spec), \(bind: job.status),
                    \(bind: job.progress), \(bind: job.attempts), \(bind: job.ruleId), \(bind: job.createdAt), \(bind: job.updatedAt),
                    \(bind: job.runAfter), 0)
                """
            ).run()
        }
    }

    public func job(id: String) async throws -> JobRecord? {
        try await reader.raw("SELECT * FROM jobs WHERE id = \(bind: id)").first().map(Self.decodeJob)
    }

    public func listJobs(ownerId: String?, status: String?, limit: Int) async throws -> [JobRecord] {
        var query = SQLQueryString("SELECT * FROM jobs WHERE 1 = 1")
        if let ownerId { query.appendInterpolation(unsafeRaw: " AND owner_id = "); query.appendInterpolation(bind: ownerId) }
        if let status { query.appendInterpolation(unsafeRaw: " AND status = "); query.appendInterpolation(bind: status) }
        query.appendInterpolation(unsafeRaw: " ORDER BY created_at DESC, id DESC LIMIT \(max(1, min(limit, 1000)))")
        return try await reader.raw(query).all().map(Self.decodeJob)
    }

    /// SQLite has one writer, so a SELECT then UPDATE inside one IMMEDIATE transaction is a claim no
    /// other worker can race. On PostgreSQL the same claim is one statement:
    /// `UPDATE jobs SET … WHERE id = (SELECT id FROM jobs WHERE <claimable> ORDER BY created_at
    /// FOR UPDATE SKIP LOCKED LIMIT 1) RETURNING *`, so many worker nodes claim without blocking.
    public func claimJob(classes: [String], worker: String, now: Int64, leaseMillis: Int64) async throws -> JobRecord? {
        guard !classes.isEmpty else { return nil }
        return try await transaction { db in
            var query = SQLQueryString("SELECT id FROM jobs WHERE work_class IN (")
            for (index, name) in classes.enumerated() {
                if index > 0 { query.appendInterpolation(unsafeRaw: ", ") }
                query.appendInterpolation(bind: name)
            }
            query.appendInterpolation(unsafeRaw: ") AND ((status = 'queued' AND run_after <= ")
            query.appendInterpolation(bind: now)
            query.appendInterpolation(unsafeRaw: ") OR (status = 'running' AND lease_expires < ")
            query.appendInterpolation(bind: now)
            query.appendInterpolation(unsafeRaw: ")) ORDER BY created_at, id LIMIT 1")
            guard let row = try await db.raw(query).first() else { return nil }
            let id = try row.decode(column: "id", as: String.self)
            try await db.raw(
                """
                UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_owner = \(bind: worker),
                    lease_expires = \(bind: now + leaseMillis), started_at = COALESCE(started_at, \(bind: now)), updated_at = \(bind: now)
                WHERE id = \(bind: id)
                """
            ).run()
            return try await db.raw("SELECT * FROM jobs WHERE id = \(bind: id)").first().map(Self.decodeJob)
        }
    }

    public func renewLease(jobId: String, worker: String, now: Int64, leaseMillis: Int64, progress: Int) async throws -> LeaseStatus {
        try await transaction { db in
            guard let row = try await db.raw("SELECT lease_owner, status, cancel_requested FROM jobs WHERE id = \(bind: jobId)").first() else {
                return LeaseStatus(held: false, cancelRequested: false)
            }
            let owner = try row.decode(column: "lease_owner", as: String?.self)
            let status = try row.decode(column: "status", as: String.self)
            let cancel = try row.decode(column: "cancel_requested", as: Bool.self)
            guard owner == worker, status == "running" else { return LeaseStatus(held: false, cancelRequested: cancel) }
            try await db.raw(
                """
                UPDATE jobs SET lease_expires = \(bind: now + leaseMillis), progress = MAX(progress, \(bind: progress)), updated_at = \(bind: now)
                WHERE id = \(bind: jobId)
                """
            ).run()
            return LeaseStatus(held: true, cancelRequested: cancel)
        }
    }

    public func completeJob(jobId: String, worker: String, now: Int64, completion: JobCompletion) async throws -> Bool {
        try await transaction { db in
            guard let row = try await db.raw("SELECT lease_owner, status FROM jobs WHERE id = \(bind: jobId)").first(),
                try row.decode(column: "lease_owner", as: String?.self) == worker, try row.decode(column: "status", as: String.self) == "running"
            else { return false }
            let terminal = completion.status != "queued"
            try await db.raw(
                """
                UPDATE jobs SET status = \(bind: completion.status), progress = \(bind: completion.progress),
                    error_code = \(bind: completion.errorCode), error_message = \(bind: completion.errorMessage),
                    result = COALESCE(\(bind: completion.result), result), run_after = \(bind: completion.runAfter ?? now),
                    finished_at = \(bind: terminal ? now : nil), lease_owner = NULL, lease_expires = NULL, updated_at = \(bind: now)
                WHERE id = \(bind: jobId)
                """
            ).run()
            return true
        }
    }

    public func requestCancel(jobId: String, now: Int64) async throws -> JobRecord? {
        try await transaction { db in
            guard let row = try await db.raw("SELECT status FROM jobs WHERE id = \(bind: jobId)").first() else { return nil }
            switch try row.decode(column: "status", as: String.self) {
            case "queued":
                try await db.raw(
                    """
                    UPDATE jobs SET status = 'canceled', cancel_requested = 1, error_code = 'Canceled', error_message = 'The job was canceled.',
                        finished_at = \(bind: now), updated_at = \(bind: now) WHERE id = \(bind: jobId)
                    """
                ).run()
            case "running":
                try await db.raw("UPDATE jobs SET cancel_requested = 1, updated_at = \(bind: now) WHERE id = \(bind: jobId)").run()
            default:
                break
            }
            return try await db.raw("SELECT * FROM jobs WHERE id = \(bind: jobId)").first().map(Self.decodeJob)
        }
    }

    public func runningLeaseOwners() async throws -> [String] {
        try await reader.raw("SELECT DISTINCT lease_owner FROM jobs WHERE status = 'running' AND lease_owner IS NOT NULL").all()
            .map { try $0.decode(column: "lease_owner", as: String.self) }
    }

    public func expireLeases(owners: [String]) async throws {
        guard !owners.isEmpty else { return }
        try await transaction { db in
            for owner in owners {
                try await db.raw("UPDATE jobs SET lease_expires = 0 WHERE status = 'running' AND lease_owner = \(bind: owner)").run()
            }
        }
    }

    public func rules(bucket: String) async throws -> String? {
        try await reader.raw("SELECT rules FROM job_rules WHERE bucket = \(bind: bucket)").first().map {
            try $0.decode(column: "rules", as: String.self)
        }
    }

    public func putRules(bucket: String, json: String, now: Int64) async throws {
        try await transaction { db in
            try await db.raw(
                """
                INSERT INTO job_rules (bucket, rules, updated_at) VALUES (\(bind: bucket), \(bind: json), \(bind: now))
                ON CONFLICT (bucket) DO UPDATE SET rules = excluded.rules, updated_at = excluded.updated_at
                """
            ).run()
        }
    }

    public func deleteRules(bucket: String) async throws -> Bool {
        try await transaction { db in
            let found = try await db.raw("SELECT 1 AS one FROM job_rules WHERE bucket = \(bind: bucket)").first() != nil
            if found { try await db.raw("DELETE FROM job_rules WHERE bucket = \(bind: bucket)").run() }
            return found
        }
    }

    public func insertWebhook(_ webhook: WebhookRecord) async throws {
        try await transaction { db in
            try await db.raw(
                """
                INSERT INTO webhook_deliveries (id, job_id, url, body, attempts, next_at, status, last_error)
                VALUES (\(bind: webhook.id), \(bind: webhook.jobId), \(bind: webhook.url), \(bind: webhook.body), \(bind: webhook.attempts),
                    \(bind: webhook.nextAt), \(bind: webhook.status), \(bind: webhook.lastError))
                """
            ).run()
        }
    }

    public func claimWebhook(now: Int64, leaseMillis: Int64) async throws -> WebhookRecord? {
        try await transaction { db in
            guard
                let row = try await db.raw(
                    "SELECT * FROM webhook_deliveries WHERE status = 'pending' AND next_at <= \(bind: now) ORDER BY next_at, id LIMIT 1"
                ).first()
            else { return nil }
            let record = try Self.decodeWebhook(row)
            // The lease: not due again until it would have been retried anyway.
            try await db.raw("UPDATE webhook_deliveries SET next_at = \(bind: now + leaseMillis) WHERE id = \(bind: record.id)").run()
            return record
        }
    }

    public func finishWebhook(id: String, status: String, attempts: Int, nextAt: Int64, lastError: String?) async throws {
        try await transaction { db in
            try await db.raw(
                """
                UPDATE webhook_deliveries SET status = \(bind: status), attempts = \(bind: attempts), next_at = \(bind: nextAt),
                    last_error = \(bind: lastError) WHERE id = \(bind: id)
                """
            ).run()
        }
    }

    public func webhooks(jobId: String) async throws -> [WebhookRecord] {
        try await reader.raw("SELECT * FROM webhook_deliveries WHERE job_id = \(bind: jobId) ORDER BY id").all().map(Self.decodeWebhook)
    }

    static func decodeJob(_ row: any SQLRow) throws -> JobRecord {
        var job = JobRecord(
            id: try row.decode(column: "id", as: String.self), ownerId: try row.decode(column: "owner_id", as: String.self),
            workClass: try row.decode(column: "work_class", as: String.self), spec: try row.decode(column: "spec", as: String.self),
            ruleId: try row.decode(column: "rule_id", as: String?.self), now: try row.decode(column: "created_at", as: Int64.self))
        job.status = try row.decode(column: "status", as: String.self)
        job.progress = try row.decode(column: "progress", as: Int.self)
        job.attempts = try row.decode(column: "attempts", as: Int.self)
        job.errorCode = try row.decode(column: "error_code", as: String?.self)
        job.errorMessage = try row.decode(column: "error_message", as: String?.self)
        job.result = try row.decode(column: "result", as: String?.self)
        job.updatedAt = try row.decode(column: "updated_at", as: Int64.self)
        job.startedAt = try row.decode(column: "started_at", as: Int64?.self)
        job.finishedAt = try row.decode(column: "finished_at", as: Int64?.self)
        job.runAfter = try row.decode(column: "run_after", as: Int64.self)
        job.leaseOwner = try row.decode(column: "lease_owner", as: String?.self)
        job.leaseExpires = try row.decode(column: "lease_expires", as: Int64?.self)
        job.cancelRequested = try row.decode(column: "cancel_requested", as: Bool.self)
        return job
    }

    static func decodeWebhook(_ row: any SQLRow) throws -> WebhookRecord {
        var record = WebhookRecord(
            id: try row.decode(column: "id", as: String.self), jobId: try row.decode(column: "job_id", as: String.self),
            url: try row.decode(column: "url", as: String.self), body: try row.decode(column: "body", as: String.self),
            nextAt: try row.decode(column: "next_at", as: Int64.self))
        record.attempts = try row.decode(column: "attempts", as: Int.self)
        record.status = try row.decode(column: "status", as: String.self)
        record.lastError = try row.decode(column: "last_error", as: String?.self)
        return record
    }
}
