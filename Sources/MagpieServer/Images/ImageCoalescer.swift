import Synchronization

/// Identical requests in flight share one run: the first starts it, the rest await its result.
/// The run is not tied to the first client, so a disconnect does not waste work others wait for.
final class ImageCoalescer<Value: Sendable>: Sendable {
    private let running = Mutex<[String: Task<Value, any Error>]>([:])

    /// Returns the value and whether this caller joined a run someone else started.
    func run(_ key: String, _ work: @escaping @Sendable () async throws -> Value) async throws -> (Value, joined: Bool) {
        let (task, joined): (Task<Value, any Error>, Bool) = running.withLock { running in
            if let existing = running[key] { return (existing, true) }
            let task = Task<Value, any Error> {
                defer { _ = self.running.withLock { $0.removeValue(forKey: key) } }
                return try await work()
            }
            running[key] = task
            return (task, false)
        }
        return (try await task.value, joined)
    }
}
