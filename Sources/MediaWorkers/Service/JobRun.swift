import Foundation
import Logging
import MagpieCore
import MediaJobs
import MetadataStore
import ObjectService
import Synchronization

/// Drives one claimed job through the state machine: run the work beside a heartbeat that renews
/// the lease (and learns of cancellation), then record the outcome and queue the webhook.
struct JobRun {
    let job: JobRecord
    let service: JobWorkerService
    let executor: JobExecutor
    let workspace: JobWorkspace

    enum Event: Sendable {
        case finished(Result<JobResult, JobError>)
        case cancelRequested
        case leaseLost
        case stopped
    }

    var store: any MetadataStore { service.store }
    var logger: Logger { service.logger }

    func perform() async {
        let configuration = service.configuration
        var machine = JobStateMachine(status: .queued, attempts: job.attempts, cancelRequested: job.cancelRequested, policy: configuration.retry)
        switch machine.claimed() {
        case .run: break
        case .cancel:
            await complete(
                JobCompletion(
                    status: "canceled", progress: job.progress, errorCode: JobError.Code.canceled.rawValue, errorMessage: "The job was canceled."))
            return
        case .fail(let error):
            await complete(JobCompletion(status: "failed", progress: job.progress, errorCode: error.code.rawValue, errorMessage: error.message))
            return
        default: return
        }
        let spec: JobSpec
        let owner: Principal
        do {
            spec = try JobSpec.decode(Array(job.spec.utf8))
            guard let user = try await store.user(id: job.ownerId) else { throw JobError(.sourceNotFound, "The job's owner no longer exists.") }
            owner = Principal(user: user, accessKey: "")
        } catch {
            let failure = error as? JobError ?? JobError(.internalError, "The job could not be started.", transient: true, detail: "\(error)")
            await finish(&machine, .failure(failure), spec: nil)
            return
        }
        let directory: String
        do {
            directory = try workspace.create(jobId: job.id, attempt: job.attempts)
        } catch {
            await finish(
                &machine, .failure(JobError(.storage, "The job's work area could not be created.", transient: true, detail: "\(error)")), spec: spec)
            return
        }
        logger.info("job started", metadata: ["job": "\(job.id)", "attempt": "\(job.attempts)", "worker": "\(service.workerId)"])
        // Timeout: a generous bound until the probe tells the duration; then the real limit applies
        // (the executor's deadline is checked before every process).
        let meter = ProgressMeter()
        let context = JobContext(
            jobId: job.id, spec: spec, owner: owner, directory: directory,
            deadline: .now + configuration.timeout(duration: configuration.limits.maxDurationSeconds), progress: meter)
        let outcome = await runWithHeartbeat(context: context)
        // The work area goes before the outcome is recorded: whoever sees the job finished finds it gone.
        workspace.remove(directory)
        switch outcome {
        case .finished(let result): await finish(&machine, result, spec: spec)
        case .cancelRequested:
            _ = machine.cancel()
            await finish(&machine, .failure(JobError(.canceled, "The job was canceled.")), spec: spec)
        case .leaseLost:
            logger.warning("job lease lost; another worker owns the job now", metadata: ["job": "\(job.id)"])
        case .stopped:
            // Shutdown: back to the queue at once, to be resumed by the next worker.
            await complete(JobCompletion(status: "queued", progress: 0, runAfter: JobWorkerService.nowMillis()))
            logger.notice("job interrupted by shutdown; queued again", metadata: ["job": "\(job.id)"])
        }
    }

    func runWithHeartbeat(context: JobContext) async -> Event {
        let store = store, jobId = job.id, worker = service.workerId, leaseMillis = Int64(service.configuration.leaseSeconds * 1000)
        let executor = executor
        return await withTaskGroup(of: Event.self) { group in
            group.addTask {
                do {
                    let executed = try await executor.execute(context)
                    return .finished(.success(executed))
                } catch let error as JobError {
                    return Task.isCancelled && error.code == .canceled ? .stopped : .finished(.failure(error))
                } catch {
                    return .finished(.failure(JobError(.internalError, "The job failed unexpectedly.", transient: true, detail: "\(error)")))
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    if Task.isCancelled { break }
                    guard
                        let status = try? await store.renewLease(
                            jobId: jobId, worker: worker, now: JobWorkerService.nowMillis(), leaseMillis: leaseMillis,
                            progress: context.progress.percent)
                    else { continue }
                    if !status.held { return .leaseLost }
                    if status.cancelRequested { return .cancelRequested }
                }
                return .stopped
            }
            let first = await group.next() ?? .stopped
            group.cancelAll()
            switch first {
            case .finished: return first
            case .cancelRequested, .leaseLost:
                // The work is being stopped (its process terminated); wait for it to end.
                while let next = await group.next() { if case .finished = next { break } }
                return first
            case .stopped:
                return .stopped
            }
        }
    }

    func finish(_ machine: inout JobStateMachine, _ result: Result<JobResult, JobError>, spec: JobSpec?) async {
        let completion: JobCompletion
        switch result {
        case .success(let value):
            _ = machine.succeeded()
            completion = JobCompletion(status: "succeeded", progress: 100, result: String(decoding: JobExecutor.json(value), as: UTF8.self))
            logger.info("job succeeded", metadata: ["job": "\(job.id)"])
        case .failure(let error):
            switch machine.failed(error) {
            case .retry(let delay, let error):
                completion = JobCompletion(
                    status: "queued", progress: 0, errorCode: error.code.rawValue, errorMessage: error.message,
                    runAfter: JobWorkerService.nowMillis() + Int64(delay * 1000))
                logger.warning("job failed; will retry", metadata: ["job": "\(job.id)", "error": "\(error)", "retry_in_s": "\(delay)"])
            case .cancel:
                completion = JobCompletion(
                    status: "canceled", progress: job.progress, errorCode: JobError.Code.canceled.rawValue, errorMessage: "The job was canceled.")
                logger.info("job canceled", metadata: ["job": "\(job.id)"])
            default:
                completion = JobCompletion(status: "failed", progress: job.progress, errorCode: error.code.rawValue, errorMessage: error.message)
                logger.warning("job failed", metadata: ["job": "\(job.id)", "error": "\(error)"])
            }
        }
        guard await complete(completion), completion.status != "queued", let webhook = spec?.webhook else { return }
        await service.webhooks.enqueue(jobId: job.id, url: webhook)
    }

    @discardableResult
    func complete(_ completion: JobCompletion) async -> Bool {
        do {
            return try await store.completeJob(jobId: job.id, worker: service.workerId, now: JobWorkerService.nowMillis(), completion: completion)
        } catch {
            logger.error("recording a job's outcome failed", metadata: ["job": "\(job.id)", "error": "\(error)"])
            return false
        }
    }
}
