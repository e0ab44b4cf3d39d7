/// queued → running → succeeded | failed | canceled (running → queued again on a retry).
public enum JobStatus: String, Sendable, Codable, CaseIterable {
    case queued, running, succeeded, failed, canceled

    public var isTerminal: Bool { self == .succeeded || self == .failed || self == .canceled }
}

/// Exponential backoff for transient failures.
public struct RetryPolicy: Sendable, Equatable {
    public var maxAttempts = 3
    public var baseDelaySeconds = 2.0
    public var maxDelaySeconds = 300.0

    public init(maxAttempts: Int = 3, baseDelaySeconds: Double = 2, maxDelaySeconds: Double = 300) {
        self.maxAttempts = maxAttempts
        self.baseDelaySeconds = baseDelaySeconds
        self.maxDelaySeconds = maxDelaySeconds
    }

    /// The wait after the `attempt`-th attempt failed (1-based): base × 2^(attempt−1), capped.
    public func delay(afterAttempt attempt: Int) -> Double {
        var delay = baseDelaySeconds
        for _ in 1..<max(1, attempt) { delay *= 2 }
        return min(maxDelaySeconds, delay)
    }
}

/// The job lifecycle as a state machine: each event returns what the driver must do. No I/O.
public struct JobStateMachine: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        /// Run the job's work.
        case run
        /// Back to the queue, to be claimed again after `delaySeconds`.
        case retry(delaySeconds: Double, error: JobError)
        case fail(JobError)
        case succeed
        case cancel
        /// Stop the running process; the failure that follows becomes a cancellation.
        case stopProcess
        case none
    }

    public private(set) var status: JobStatus
    public private(set) var attempts: Int
    public private(set) var cancelRequested: Bool
    public let policy: RetryPolicy

    public init(status: JobStatus, attempts: Int, cancelRequested: Bool = false, policy: RetryPolicy) {
        self.status = status
        self.attempts = attempts
        self.cancelRequested = cancelRequested
        self.policy = policy
    }

    /// A worker claimed the job (`attempts` already counts this claim). A job whose earlier
    /// workers all vanished mid-run fails instead of running forever.
    public mutating func claimed() -> Action {
        status = .running
        if cancelRequested {
            status = .canceled
            return .cancel
        }
        if attempts > policy.maxAttempts {
            status = .failed
            return .fail(JobError(.attemptsExhausted, "The job was interrupted \(attempts - 1) times; giving up."))
        }
        return .run
    }

    public mutating func succeeded() -> Action {
        guard status == .running else { return .none }
        status = .succeeded
        return .succeed
    }

    /// The work threw `error`.
    public mutating func failed(_ error: JobError) -> Action {
        guard status == .running else { return .none }
        if cancelRequested || error.code == .canceled {
            status = .canceled
            return .cancel
        }
        if error.transient && attempts < policy.maxAttempts {
            status = .queued
            return .retry(delaySeconds: policy.delay(afterAttempt: attempts), error: error)
        }
        status = .failed
        return .fail(error)
    }

    public mutating func cancel() -> Action {
        switch status {
        case .queued:
            status = .canceled
            return .cancel
        case .running:
            cancelRequested = true
            return .stopProcess
        case .succeeded, .failed, .canceled:
            return .none
        }
    }
}
