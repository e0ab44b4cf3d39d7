import MediaJobs

/// How the job pipeline runs; `magpie serve`/`magpie worker` flags and `MAGPIE_JOB_*` feed it.
public struct JobsConfiguration: Sendable {
    /// Run workers in this process (`magpie serve --no-workers` leaves them to `magpie worker`).
    public var runWorkers = true
    /// Whole-video jobs at a time (default 1: one encode keeps 2 cores busy).
    public var videoConcurrency = 1
    /// Probes, stills, audio and waveforms alongside.
    public var lightConcurrency = 2
    /// A worker's claim on a job lasts this long unless renewed (it is renewed every second).
    public var leaseSeconds = 30.0
    /// Time limit per job: `timeoutBaseSeconds + timeoutPerSourceSecond × duration`.
    public var timeoutBaseSeconds = 120.0
    public var timeoutPerSourceSecond = 20.0
    public var retry = RetryPolicy()
    public var limits = MediaLimits()
    /// Webhooks may target private, loopback and link-local addresses (tests, intranets).
    public var webhookAllowPrivate = false
    public var webhookMaxAttempts = 6
    public var webhookTimeoutSeconds = 10.0
    /// Work directories (`<data>/job-work` when nil).
    public var workDirectory: String?
    /// The key that signs playback tokens and derives webhook secrets (random unless configured:
    /// `magpie serve` keeps one in `<data>/job-keys`).
    public var signingKey: [UInt8] = {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }()
    public var tools = ProcessRunner.Tools.fromPath()

    public init() {}

    public func validate() throws {
        guard videoConcurrency >= 0, lightConcurrency >= 0 else { throw JobsConfigurationError("job concurrency must be ≥ 0") }
        guard leaseSeconds >= 2 else { throw JobsConfigurationError("the job lease must be at least 2 s") }
        guard retry.maxAttempts >= 1 else { throw JobsConfigurationError("job attempts must be ≥ 1") }
        guard signingKey.count >= 16 else { throw JobsConfigurationError("the job signing key must be at least 16 bytes") }
    }

    func timeout(duration: Double) -> Duration {
        .milliseconds(Int64((timeoutBaseSeconds + timeoutPerSourceSecond * max(0, duration)) * 1000))
    }
}

public struct JobsConfigurationError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
