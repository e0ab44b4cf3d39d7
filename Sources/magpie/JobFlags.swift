import ArgumentParser
import Foundation
import MagpieServer
import MediaJobs
import MediaWorkers

/// `magpie serve` / `magpie worker` options for the job pipeline; each has a `MAGPIE_JOB_*` variable too.
struct JobFlags: ParsableArguments {
    @Flag(name: .customLong("no-workers"), help: "Serve the API only; run jobs in `magpie worker` processes (env MAGPIE_JOB_WORKERS=0).")
    var noWorkers = false
    @Option(
        name: .customLong("job-video-concurrency"), help: "Video jobs (mp4, hls, preview) at a time, default 1 (env MAGPIE_JOB_VIDEO_CONCURRENCY).")
    var videoConcurrency: Int?
    @Option(name: .customLong("job-light-concurrency"), help: "Other jobs at a time alongside, default 2 (env MAGPIE_JOB_LIGHT_CONCURRENCY).")
    var lightConcurrency: Int?
    @Option(name: .customLong("job-lease"), help: "Seconds a worker's claim lasts without renewal, default 30 (env MAGPIE_JOB_LEASE).")
    var lease: Double?
    @Option(name: .customLong("job-attempts"), help: "Attempts for transient failures, default 3 (env MAGPIE_JOB_ATTEMPTS).")
    var attempts: Int?
    @Option(name: .customLong("job-retry-delay"), help: "First retry delay in seconds (doubles each time), default 2 (env MAGPIE_JOB_RETRY_DELAY).")
    var retryDelay: Double?
    @Option(name: .customLong("job-timeout-base"), help: "Job time limit: this many seconds … default 120 (env MAGPIE_JOB_TIMEOUT_BASE).")
    var timeoutBase: Double?
    @Option(name: .customLong("job-timeout-factor"), help: "… plus this many per second of source, default 20 (env MAGPIE_JOB_TIMEOUT_FACTOR).")
    var timeoutFactor: Double?
    @Option(name: .customLong("job-max-duration"), help: "Longest source in seconds, default 14400 (env MAGPIE_JOB_MAX_DURATION).")
    var maxDuration: Double?
    @Option(name: .customLong("job-max-side"), help: "Largest source side in pixels, default 8192 (env MAGPIE_JOB_MAX_SIDE).")
    var maxSide: Int?
    @Option(name: .customLong("job-max-source-mib"), help: "Largest source in MiB, default 20480 (env MAGPIE_JOB_MAX_SOURCE_MIB).")
    var maxSourceMiB: Int?
    @Flag(
        name: .customLong("webhook-allow-private"),
        help: "Let webhooks target private, loopback and link-local addresses (env MAGPIE_WEBHOOK_ALLOW_PRIVATE=1).")
    var webhookAllowPrivate = false
    @Option(name: .customLong("ffmpeg"), help: "Path of ffmpeg (env MAGPIE_FFMPEG; default: from PATH).")
    var ffmpeg: String?
    @Option(name: .customLong("ffprobe"), help: "Path of ffprobe (env MAGPIE_FFPROBE; default: from PATH).")
    var ffprobe: String?

    func configuration(dataDirectory: String) throws -> JobsConfiguration {
        let env = ProcessInfo.processInfo.environment
        func number<T: LosslessStringConvertible>(_ value: T?, _ name: String) throws -> T? {
            if let value { return value }
            guard let text = env[name] else { return nil }
            guard let parsed = T(text) else { throw CLIError("\(name) must be a number") }
            return parsed
        }
        var jobs = JobsConfiguration()
        jobs.runWorkers = !(noWorkers || env["MAGPIE_JOB_WORKERS"] == "0")
        if let value = try number(videoConcurrency, "MAGPIE_JOB_VIDEO_CONCURRENCY") { jobs.videoConcurrency = value }
        if let value = try number(lightConcurrency, "MAGPIE_JOB_LIGHT_CONCURRENCY") { jobs.lightConcurrency = value }
        if let value = try number(lease, "MAGPIE_JOB_LEASE") { jobs.leaseSeconds = value }
        if let value = try number(attempts, "MAGPIE_JOB_ATTEMPTS") { jobs.retry.maxAttempts = value }
        if let value = try number(retryDelay, "MAGPIE_JOB_RETRY_DELAY") { jobs.retry.baseDelaySeconds = value }
        if let value = try number(timeoutBase, "MAGPIE_JOB_TIMEOUT_BASE") { jobs.timeoutBaseSeconds = value }
        if let value = try number(timeoutFactor, "MAGPIE_JOB_TIMEOUT_FACTOR") { jobs.timeoutPerSourceSecond = value }
        if let value = try number(maxDuration, "MAGPIE_JOB_MAX_DURATION") { jobs.limits.maxDurationSeconds = value }
        if let value = try number(maxSide, "MAGPIE_JOB_MAX_SIDE") { jobs.limits.maxSide = value }
        if let value = try number(maxSourceMiB, "MAGPIE_JOB_MAX_SOURCE_MIB") { jobs.limits.maxSourceBytes = Int64(value) << 20 }
        jobs.webhookAllowPrivate = webhookAllowPrivate || ["1", "true", "yes"].contains(env["MAGPIE_WEBHOOK_ALLOW_PRIVATE"]?.lowercased() ?? "")
        var tools = jobs.tools
        if let path = ffmpeg ?? env["MAGPIE_FFMPEG"] { tools.ffmpeg = path }
        if let path = ffprobe ?? env["MAGPIE_FFPROBE"] { tools.ffprobe = path }
        jobs.tools = tools
        jobs.workDirectory = dataDirectory + "/job-work"
        jobs.signingKey = try JobKeys.loadOrCreate(dataDirectory: dataDirectory)
        return jobs
    }
}
