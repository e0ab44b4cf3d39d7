import AccessControl
import Synchronization

/// Parsed access settings per bucket name. Entries are dropped whenever a bucket's settings change or the
/// bucket is created or deleted, so a decision never uses a stale policy written through this node; they
/// also expire after `lifetime`, so that changes made through another node sharing the metadata store
/// take effect within that time.
final class AccessCache: Sendable {
    private struct Entry {
        let access: BucketAccess
        let loaded: ContinuousClock.Instant
    }

    private let entries = Mutex<[String: Entry]>([:])
    /// Bounds memory on servers with very many buckets; a full cache is simply emptied.
    private let capacity = 10_000
    private let lifetime: Duration = .seconds(5)

    func get(_ bucket: String) -> BucketAccess? {
        entries.withLock { entries in
            guard let entry = entries[bucket] else { return nil }
            guard ContinuousClock.now - entry.loaded < lifetime else {
                entries[bucket] = nil
                return nil
            }
            return entry.access
        }
    }

    func put(_ bucket: String, _ access: BucketAccess) {
        let entry = Entry(access: access, loaded: .now)
        entries.withLock {
            if $0.count >= capacity { $0.removeAll(keepingCapacity: true) }
            $0[bucket] = entry
        }
    }

    func invalidate(_ bucket: String) { _ = entries.withLock { $0.removeValue(forKey: bucket) } }
}
