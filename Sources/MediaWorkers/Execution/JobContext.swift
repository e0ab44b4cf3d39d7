import Foundation
import MagpieCore
import MediaJobs
import ObjectService
import Synchronization

/// Everything one attempt of one job works with.
struct JobContext: Sendable {
    let jobId: String
    let spec: JobSpec
    let owner: Principal
    let directory: String
    var deadline: ContinuousClock.Instant
    let progress: ProgressMeter

    var remaining: Duration { max(.seconds(1), deadline - .now) }
    func key(_ relative: String) -> String { spec.destination.asPrefix + relative }
}

/// The job's overall progress from its outputs' weights and the running process's fraction,
/// capped at 99 until the job is done.
final class ProgressMeter: Sendable {
    struct State {
        var weights: [Double] = []
        var finished = 0.0
        var current = 0
        var fraction = 0.0
    }

    let state = Mutex(State())

    func plan(_ weights: [Double]) { state.withLock { $0.weights = weights } }

    func start(output index: Int) {
        state.withLock { state in
            state.current = index
            state.fraction = 0
        }
    }

    func report(_ fraction: Double) { state.withLock { $0.fraction = max($0.fraction, min(1, fraction)) } }

    func finish(output index: Int) {
        state.withLock { state in
            state.finished += index < state.weights.count ? state.weights[index] : 0
            state.fraction = 0
        }
    }

    /// 0…99.
    var percent: Int {
        state.withLock { state in
            let total = state.weights.reduce(0, +)
            guard total > 0 else { return 0 }
            let running = state.current < state.weights.count ? state.weights[state.current] * state.fraction : 0
            return min(99, Int((state.finished + running) / total * 100))
        }
    }
}
