import AccessControl
import Synchronization

/// Parsed access settings per bucket name. Entries are dropped whenever a bucket's settings change or the
/// bucket is created or deleted, so a decision never uses a stale policy on this node.
final class AccessCache: Sendable {
    private let entries = Mutex<[String: BucketAccess]>([:])
    /// Bounds memory on servers with very many buckets; a full cache is simply emptied.
    private let capacity = 10_000

    func get(_ bucket: String) -> BucketAccess? { entries.withLock { $0[bucket] } }

    func put(_ bucket: String, _ access: BucketAccess) {
        entries.withLock {
            if $0.count >= capacity { $0.removeAll(keepingCapacity: true) }
            $0[bucket] = access
        }
    }

    func invalidate(_ bucket: String) { _ = entries.withLock { $0.removeValue(forKey: bucket) } }
}
