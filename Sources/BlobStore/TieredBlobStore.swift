import NIOCore

/// Blob stores by tier name (a tier is a directory, usually another disk). Every blob id is unique
/// across tiers, so removing a blob needs no tier and garbage collection keeps a blob whatever tier
/// references it. As a `BlobStore` it writes to and reads from the default tier, so code that
/// knows nothing of tiers keeps working.
public struct TieredBlobStore: BlobStore {
    public let tiers: [String: any BlobStore]
    public let defaultTier: String

    public init(tiers: [String: any BlobStore], defaultTier: String) {
        precondition(tiers[defaultTier] != nil, "the default tier must be configured")
        self.tiers = tiers
        self.defaultTier = defaultTier
    }

    /// The store of `tier`; throws `UnknownTier` for a name not configured.
    public func store(_ tier: String) throws -> any BlobStore {
        guard let store = tiers[tier] else { throw UnknownTier(name: tier) }
        return store
    }

    var defaultStore: any BlobStore { tiers[defaultTier]! }

    public func create() async throws -> any BlobWriter { try await defaultStore.create() }

    public func create(inTier tier: String) async throws -> any BlobWriter { try await store(tier).create() }

    public func open(_ id: String) async throws -> any BlobReader { try await defaultStore.open(id) }

    public func open(_ id: String, inTier tier: String) async throws -> any BlobReader { try await store(tier).open(id) }

    public func compose(_ ids: [String]) async throws -> String { try await defaultStore.compose(ids) }

    /// Unlinks the blob in whichever tier holds it (ids never repeat across tiers).
    public func delete(_ id: String) async {
        for store in tiers.values { await store.delete(id) }
    }

    public func collectGarbage(referenced: @Sendable ([String]) async throws -> Set<String>) async throws -> GarbageReport {
        var total = GarbageReport(tempFilesRemoved: 0, orphanBlobsRemoved: 0)
        for name in tiers.keys.sorted() {
            let report = try await tiers[name]!.collectGarbage(referenced: referenced)
            total.tempFilesRemoved += report.tempFilesRemoved
            total.orphanBlobsRemoved += report.orphanBlobsRemoved
        }
        return total
    }
}

public struct UnknownTier: Error, Sendable, CustomStringConvertible {
    public let name: String
    public var description: String { "storage tier '\(name)' is not configured" }
}
