import Foundation
import Logging
import MagpieCore
import MediaJobs
import MetadataStore
import ObjectService
import ServiceLifecycle
import Synchronization

/// The workers: `videoConcurrency` + `lightConcurrency` slots, each claiming jobs of its class with a
/// lease it renews every second while the job runs, plus the webhook deliverer. A Service in
/// `magpie serve` and alone in `magpie worker`; on shutdown running jobs are stopped and queued again.
public struct JobWorkerService: Service {
    let store: any MetadataStore
    let objects: ObjectService
    let configuration: JobsConfiguration
    let doorbell: Doorbell
    let webhooks: WebhookDeliverer
    let logger: Logger
    public let workerId: String

    public init(
        store: any MetadataStore, objects: ObjectService, configuration: JobsConfiguration, doorbell: Doorbell, transport: any WebhookTransport,
        logger: Logger
    ) {
        self.store = store
        self.objects = objects
        self.configuration = configuration
        self.doorbell = doorbell
        self.webhooks = WebhookDeliverer(store: store, transport: transport, configuration: configuration, logger: logger)
        self.logger = logger
        self.workerId = WorkerIdentity.make()
    }

    public func run() async throws {
        let runner = ProcessRunner(tools: configuration.tools, threads: configuration.videoConcurrency + configuration.lightConcurrency + 2)
        await recoverAbandonedJobs()
        let workspace = JobWorkspace(root: configuration.workDirectory ?? "./data/job-work")
        let busy = (try? await store.listJobs(ownerId: nil, status: "running", limit: 1000))?.filter { ($0.leaseExpires ?? 0) > Self.nowMillis() }
            .map(\.id)
        workspace.sweep(keep: Set(busy ?? []), logger: logger)
        let executor = JobExecutor(objects: objects, runner: runner, configuration: configuration, logger: logger)
        let slots = [(WorkClass.video, configuration.videoConcurrency), (WorkClass.light, configuration.lightConcurrency)]
        logger.info(
            "job workers started",
            metadata: ["worker": "\(workerId)", "video": "\(configuration.videoConcurrency)", "light": "\(configuration.lightConcurrency)"])
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for (workClass, count) in slots where count > 0 {
                    for _ in 0..<count { group.addTask { await slot(workClass, executor: executor, workspace: workspace) } }
                }
                group.addTask { await webhooks.run() }
                await group.waitForAll()
            }
        }
        await runner.shutdown()
    }

    func slot(_ workClass: WorkClass, executor: JobExecutor, workspace: JobWorkspace) async {
        while !Task.isCancelled {
            let claimed: JobRecord?
            do {
                claimed = try await store.claimJob(
                    classes: [workClass.rawValue], worker: workerId, now: Self.nowMillis(), leaseMillis: Int64(configuration.leaseSeconds * 1000))
            } catch is CancellationError {
                return  // shutting down
            } catch {
                logger.error("claiming a job failed", metadata: ["error": "\(error)"])
                claimed = nil
            }
            guard let job = claimed else {
                await doorbell.wait(upTo: .seconds(1))
                continue
            }
            await JobRun(job: job, service: self, executor: executor, workspace: workspace).perform()
        }
    }

    /// Jobs leased by worker processes on this machine that no longer exist go back to the queue now,
    /// instead of when their lease runs out.
    func recoverAbandonedJobs() async {
        guard let owners = try? await store.runningLeaseOwners() else { return }
        let dead = owners.filter { WorkerIdentity.isDeadLocalWorker($0, me: workerId) }
        guard !dead.isEmpty else { return }
        try? await store.expireLeases(owners: dead)
        logger.notice("requeued jobs of workers that are gone", metadata: ["workers": "\(dead.joined(separator: ","))"])
    }

    static func nowMillis() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}

/// `host:pid:random` — enough to tell whether a lease holder on this host is still alive.
enum WorkerIdentity {
    static func make() -> String {
        "\(hostName()):\(getpid()):\(UUID().uuidString.prefix(8).lowercased())"
    }

    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A worker of this host whose process is gone (or is no longer a magpie process).
    static func isDeadLocalWorker(_ owner: String, me: String) -> Bool {
        let parts = owner.split(separator: ":")
        guard owner != me, parts.count == 3, String(parts[0]) == hostName(), let pid = Int32(parts[1]) else { return false }
        if pid == getpid() { return true }  // an earlier process that had our pid
        guard kill(pid, 0) == 0 || errno == EPERM else { return true }
        let command = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? ""
        return !command.hasPrefix("magpie")
    }
}
