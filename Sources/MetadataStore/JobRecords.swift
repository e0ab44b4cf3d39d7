/// One media job row. `spec` and `result` are JSON documents owned by the MediaJobs layer; the
/// store only orders, claims and updates rows.
public struct JobRecord: Sendable, Equatable {
    public var id: String
    public var ownerId: String
    /// The worker pool (`video`, `light`).
    public var workClass: String
    public var spec: String
    public var status: String
    public var progress: Int
    /// Claims so far (each claim counts one).
    public var attempts: Int
    public var errorCode: String?
    public var errorMessage: String?
    public var result: String?
    public var ruleId: String?
    public var createdAt: Int64
    public var updatedAt: Int64
    public var startedAt: Int64?
    public var finishedAt: Int64?
    /// Not claimable before this time (ms): backoff after a transient failure.
    public var runAfter: Int64
    public var leaseOwner: String?
    public var leaseExpires: Int64?
    public var cancelRequested: Bool

    public init(id: String, ownerId: String, workClass: String, spec: String, ruleId: String? = nil, now: Int64) {
        self.id = id
        self.ownerId = ownerId
        self.workClass = workClass
        self.spec = spec
        self.status = "queued"
        self.progress = 0
        self.attempts = 0
        self.ruleId = ruleId
        self.createdAt = now
        self.updatedAt = now
        self.runAfter = now
        self.cancelRequested = false
    }
}

/// How a worker leaves a job it holds.
public struct JobCompletion: Sendable, Equatable {
    public var status: String
    public var progress: Int
    public var errorCode: String?
    public var errorMessage: String?
    public var result: String?
    /// For a retry: claimable again at this time (ms).
    public var runAfter: Int64?

    public init(status: String, progress: Int, errorCode: String? = nil, errorMessage: String? = nil, result: String? = nil, runAfter: Int64? = nil) {
        self.status = status
        self.progress = progress
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.result = result
        self.runAfter = runAfter
    }
}

/// What a lease renewal learned.
public struct LeaseStatus: Sendable, Equatable {
    /// False when another worker took the job over (the lease had expired): stop at once.
    public var held: Bool
    public var cancelRequested: Bool

    public init(held: Bool, cancelRequested: Bool) {
        self.held = held
        self.cancelRequested = cancelRequested
    }
}

/// A webhook call waiting to be delivered (or retried).
public struct WebhookRecord: Sendable, Equatable {
    public var id: String
    public var jobId: String
    public var url: String
    public var body: String
    public var attempts: Int
    public var nextAt: Int64
    public var status: String
    public var lastError: String?

    public init(id: String, jobId: String, url: String, body: String, nextAt: Int64) {
        self.id = id
        self.jobId = jobId
        self.url = url
        self.body = body
        self.attempts = 0
        self.nextAt = nextAt
        self.status = "pending"
    }
}

/// The durable job queue (part of the metadata store, so jobs share its durability and, with
/// PostgreSQL, its scale-out). Claims are leases: a worker that dies loses its jobs when the lease
/// expires and another worker claims them.
public protocol JobQueueStore: Sendable {
    func insertJob(_ job: JobRecord) async throws
    func job(id: String) async throws -> JobRecord?
    /// Newest first; `ownerId` nil lists everyone's (root).
    func listJobs(ownerId: String?, status: String?, limit: Int) async throws -> [JobRecord]
    /// Takes the oldest claimable job of `classes`: queued and due, or running with an expired lease.
    /// Counts an attempt and leases it to `worker` until `now + leaseMillis`.
    func claimJob(classes: [String], worker: String, now: Int64, leaseMillis: Int64) async throws -> JobRecord?
    /// Extends the lease while the job runs and stores its progress.
    func renewLease(jobId: String, worker: String, now: Int64, leaseMillis: Int64, progress: Int) async throws -> LeaseStatus
    /// Ends a held job (succeeded/failed/canceled, or queued again for a retry); false when the
    /// lease was lost meanwhile (another worker owns the job now).
    func completeJob(jobId: String, worker: String, now: Int64, completion: JobCompletion) async throws -> Bool
    /// Cancels a queued job at once; flags a running one for its worker. Returns the row after.
    func requestCancel(jobId: String, now: Int64) async throws -> JobRecord?
    /// Lease holders of running jobs (to recover the jobs of workers known to be dead).
    func runningLeaseOwners() async throws -> [String]
    /// Lets the leases of these workers expire now.
    func expireLeases(owners: [String]) async throws

    /// A bucket's rules as JSON (nil: none).
    func rules(bucket: String) async throws -> String?
    func putRules(bucket: String, json: String, now: Int64) async throws
    func deleteRules(bucket: String) async throws -> Bool

    func insertWebhook(_ webhook: WebhookRecord) async throws
    /// The next due delivery, leased until `now + leaseMillis`.
    func claimWebhook(now: Int64, leaseMillis: Int64) async throws -> WebhookRecord?
    /// Records an attempt: `status` delivered, failed (given up) or pending (retry at `nextAt`).
    func finishWebhook(id: String, status: String, attempts: Int, nextAt: Int64, lastError: String?) async throws
    func webhooks(jobId: String) async throws -> [WebhookRecord]
}
