import Synchronization

/// Values that are costly to load on every request (a bucket's parsed access settings, an access
/// key's secret and principal), by name. Entries are dropped whenever what they were loaded from
/// changes through this node; they also expire after `lifetime`, so that changes made through
/// another process sharing the metadata store take effect within that time.
///
/// A load that raced with a change must not store what it read before the change: take a
/// `ticket()` before reading the store and pass it to `put`, which stores nothing when anything was
/// invalidated since.
public final class ExpiringCache<Value: Sendable>: Sendable {
    private struct Entry {
        let value: Value
        let loaded: ContinuousClock.Instant
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var invalidations: UInt64 = 0
    }

    private let state = Mutex(State())
    /// Bounds memory; a full cache is simply emptied.
    private let capacity: Int
    private let lifetime: Duration

    public init(capacity: Int = 10_000, lifetime: Duration = .seconds(5)) {
        self.capacity = capacity
        self.lifetime = lifetime
    }

    public func get(_ name: String) -> Value? {
        state.withLock { state in
            guard let entry = state.entries[name] else { return nil }
            guard ContinuousClock.now - entry.loaded < lifetime else {
                state.entries[name] = nil
                return nil
            }
            return entry.value
        }
    }

    /// Taken before loading a value from the store; see the type's note.
    public func ticket() -> UInt64 { state.withLock { $0.invalidations } }

    public func put(_ name: String, _ value: Value, ticket: UInt64) {
        let entry = Entry(value: value, loaded: .now)
        state.withLock { state in
            guard state.invalidations == ticket else { return }
            if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[name] = entry
        }
    }

    public func invalidate(_ name: String) {
        state.withLock { state in
            state.invalidations &+= 1
            state.entries[name] = nil
        }
    }

    public func invalidateAll() {
        state.withLock { state in
            state.invalidations &+= 1
            state.entries.removeAll()
        }
    }
}
