import BlobStore
import Foundation
import Logging
import MagpieCore
import MetadataStore
import S3Protocol
import Synchronization

/// Decoded lifecycle configurations by bucket, reused while the stored JSON is unchanged, so a GET
/// on a bucket with a thousand rules does not decode them every time. Stale entries are harmless:
/// the stored text is compared on every use.
final class LifecycleCache: Sendable {
    private let entries = Mutex<[String: (json: String, configuration: LifecycleConfiguration)]>([:])

    func configuration(bucket: String, json: String?) -> LifecycleConfiguration? {
        guard let json else {
            entries.withLock { _ = $0.removeValue(forKey: bucket) }
            return nil
        }
        if let cached = entries.withLock({ $0[bucket] }), cached.json == json { return cached.configuration }
        guard let decoded = try? JSONDecoder().decode(LifecycleConfiguration.self, from: Data(json.utf8)) else { return nil }
        entries.withLock { $0[bucket] = (json, decoded) }
        return decoded
    }
}
