import Foundation
import Synchronization

/// Wakes idle workers at once when a job is submitted in this process (other processes find it on
/// their next poll).
public final class Doorbell: Sendable {
    let waiters = Mutex<[UUID: CheckedContinuation<Void, Never>]>([:])

    public init() {}

    public func ring() {
        let all = waiters.withLock { waiters in
            defer { waiters.removeAll() }
            return Array(waiters.values)
        }
        for waiter in all { waiter.resume() }
    }

    /// Returns after a ring or `timeout`, whichever is first (or at cancellation).
    public func wait(upTo timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.nextRing() }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
    }

    func nextRing() async {
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = waiters.withLock { waiters -> Bool in
                    if Task.isCancelled { return true }
                    waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = waiters.withLock { $0.removeValue(forKey: id) }
            waiter?.resume()
        }
    }
}
