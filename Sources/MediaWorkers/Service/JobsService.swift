import Foundation
import Logging
import MagpieCore
import MediaJobs
import MetadataStore
import ObjectService

/// The job API's operations: submit, read, list, cancel; bucket rules; object-created hooks.
/// Ownership: a job belongs to the user who submitted it (or who owns the bucket of a rule);
/// others see `NoSuchJob`, root sees everything.
public struct JobsService: Sendable {
    public let store: any MetadataStore
    public let objects: ObjectService
    public let configuration: JobsConfiguration
    public let doorbell: Doorbell
    let logger: Logger
    /// Each bucket's rules as last read (also "none"): every upload consults them. Dropped when they
    /// change here; 5 s at most for changes made by another process.
    let ruleCache = ExpiringCache<CachedRules>()

    struct CachedRules: Sendable {
        let rules: RuleSet?
    }

    public init(store: any MetadataStore, objects: ObjectService, configuration: JobsConfiguration, doorbell: Doorbell, logger: Logger) {
        self.store = store
        self.objects = objects
        self.configuration = configuration
        self.doorbell = doorbell
        self.logger = logger
    }

    /// Validates and queues a job; the view carries the webhook's signing secret (shown only here).
    public func submit(_ spec: JobSpec, by principal: Principal, ruleId: String? = nil) async throws -> JobView {
        try await checkAccess(spec, principal: principal)
        var record = JobRecord(
            id: JobIdentifiers.make(prefix: "job"), ownerId: principal.canonicalId, workClass: spec.workClass.rawValue,
            spec: String(decoding: JobExecutor.json(spec), as: UTF8.self), ruleId: ruleId, now: JobWorkerService.nowMillis())
        record.status = "queued"
        try await store.insertJob(record)
        doorbell.ring()
        var view = try JobViews.make(record)
        if let webhook = spec.webhook { view.webhookSecret = webhookSecret(for: webhook) }
        return view
    }

    public func webhookSecret(for url: String) -> String {
        WebhookSignature.secret(serverKey: configuration.signingKey, url: url)
    }

    /// The submitter must be allowed to read the source and write under the destination (bucket
    /// policies, ACLs and ownership decide, as for the same S3 requests).
    func checkAccess(_ spec: JobSpec, principal: Principal) async throws {
        do {
            try await objects.authorize(
                AccessCheck(principal: principal, actions: ["s3:GetObject"], bucket: spec.source.bucket, key: spec.source.key, context: [:]))
            _ = try await objects.headObject(try BucketName(spec.source.bucket), try ObjectKey(spec.source.key), for: principal)
        } catch let error as MagpieError where [.noSuchKey, .noSuchBucket, .accessDenied, .invalidBucketName, .noSuchVersion].contains(error.code) {
            throw JobError(.sourceNotFound, "The source \(spec.source) does not exist or is not yours.")
        }
        do {
            try await objects.authorize(
                AccessCheck(
                    principal: principal, actions: ["s3:PutObject"], bucket: spec.destination.bucket, key: spec.destination.key,
                    context: [:]))
        } catch let error as MagpieError where [.noSuchBucket, .accessDenied, .invalidBucketName].contains(error.code) {
            throw JobError(.invalidSpec, "The destination bucket \(spec.destination.bucket) does not exist or is not yours.")
        }
    }

    public func job(_ id: String, for principal: Principal) async throws -> JobView {
        var view = try JobViews.make(try await record(id, for: principal))
        if view.webhook != nil {
            view.webhookDeliveries = try await store.webhooks(jobId: id).map {
                WebhookDeliveryView(status: $0.status, attempts: $0.attempts, lastError: $0.lastError)
            }
        }
        return view
    }

    func record(_ id: String, for principal: Principal) async throws -> JobRecord {
        guard id.count <= 64, let record = try await store.job(id: id), principal.isRoot || record.ownerId == principal.canonicalId else {
            throw JobError(.noSuchJob, "The job does not exist.")
        }
        return record
    }

    public func list(for principal: Principal, status: JobStatus?, limit: Int) async throws -> [JobView] {
        try await store.listJobs(ownerId: principal.isRoot ? nil : principal.canonicalId, status: status?.rawValue, limit: limit).map(JobViews.make)
    }

    public func cancel(_ id: String, for principal: Principal) async throws -> JobView {
        _ = try await record(id, for: principal)
        guard let updated = try await store.requestCancel(jobId: id, now: JobWorkerService.nowMillis()) else {
            throw JobError(.noSuchJob, "The job does not exist.")
        }
        return try JobViews.make(updated)
    }

    // MARK: - Rules

    /// Rules are the bucket's event configuration: reading and changing them is authorized as S3's
    /// Get/PutBucketNotification.
    public func rules(bucket: String, for principal: Principal) async throws -> RuleSet? {
        _ = try BucketName(bucket)
        try await objects.authorize(AccessCheck(principal: principal, actions: ["s3:GetBucketNotification"], bucket: bucket, key: nil, context: [:]))
        guard let json = try await store.rules(bucket: bucket) else { return nil }
        return try JSONDecoder().decode(RuleSet.self, from: Data(json.utf8))
    }

    public func setRules(_ rules: RuleSet, bucket: String, for principal: Principal) async throws {
        _ = try BucketName(bucket)
        try await objects.authorize(AccessCheck(principal: principal, actions: ["s3:PutBucketNotification"], bucket: bucket, key: nil, context: [:]))
        defer { ruleCache.invalidate(bucket) }
        try await store.putRules(bucket: bucket, json: String(decoding: JobExecutor.json(rules), as: UTF8.self), now: JobWorkerService.nowMillis())
    }

    public func deleteRules(bucket: String, for principal: Principal) async throws -> Bool {
        _ = try BucketName(bucket)
        try await objects.authorize(AccessCheck(principal: principal, actions: ["s3:PutBucketNotification"], bucket: bucket, key: nil, context: [:]))
        defer { ruleCache.invalidate(bucket) }
        return try await store.deleteRules(bucket: bucket)
    }

    /// An object was created through the S3 API: queue a job for every matching rule, as the
    /// bucket's owner. Failures are logged, never surfaced to the uploader.
    public func objectCreated(_ record: ObjectRecord) async {
        guard let rules = await cachedRules(bucket: record.bucket) else { return }
        let matching = rules.matching(key: record.key, contentType: record.headers["content-type"])
        guard !matching.isEmpty else { return }
        do {
            guard let bucket = try await store.bucket(record.bucket), let owner = try await store.user(id: bucket.ownerId) else { return }
            let principal = Principal(user: owner, accessKey: "")
            for rule in matching {
                let view = try await submit(try rule.job(bucket: record.bucket, key: record.key), by: principal, ruleId: rule.id)
                logger.info("rule queued a job", metadata: ["bucket": "\(record.bucket)", "rule": "\(rule.id)", "job": "\(view.id)"])
            }
        } catch {
            logger.warning("a processing rule could not queue its job", metadata: ["bucket": "\(record.bucket)", "error": "\(error)"])
        }
    }
}

extension JobsService {
    /// The bucket's rules for the upload hook (nil: none, or unreadable — logged).
    func cachedRules(bucket: String) async -> RuleSet? {
        if let cached = ruleCache.get(bucket) { return cached.rules }
        let ticket = ruleCache.ticket()
        do {
            let rules = try await store.rules(bucket: bucket).map { try JSONDecoder().decode(RuleSet.self, from: Data($0.utf8)) }
            ruleCache.put(bucket, CachedRules(rules: rules), ticket: ticket)
            return rules
        } catch {
            logger.warning("a bucket's processing rules could not be read", metadata: ["bucket": "\(bucket)", "error": "\(error)"])
            return nil
        }
    }
}

extension JobError.Code {
    public static let noSuchJob = Self("NoSuchJob")
}
