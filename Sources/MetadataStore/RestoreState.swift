/// The restore of an archived (GLACIER, DEEP_ARCHIVE) version: requested, then a readable copy
/// in a hot tier until it expires. Stored with the version.
public struct RestoreState: Sendable, Equatable, Codable {
    /// When the restore was requested and when its copy is (or was) ready, ms since the epoch.
    public var requestedAt: Int64
    public var readyAt: Int64
    /// Lifetime of the copy in lifecycle days, from completion.
    public var days: Int
    /// The restored copy: its blob and tier once the restore completed; nil while ongoing.
    public var blobId: String?
    public var tier: String?
    /// When the copy expires (ms), set at completion.
    public var expiresAt: Int64?

    public init(requestedAt: Int64, readyAt: Int64, days: Int, blobId: String? = nil, tier: String? = nil, expiresAt: Int64? = nil) {
        self.requestedAt = requestedAt
        self.readyAt = readyAt
        self.days = days
        self.blobId = blobId
        self.tier = tier
        self.expiresAt = expiresAt
    }

    public var isOngoing: Bool { blobId == nil }

    /// When the restore worker next has to act: completion while ongoing, removal once restored.
    public var due: Int64 { isOngoing ? readyAt : expiresAt ?? readyAt }
}

/// Names shared by every layer that deals with storage tiers.
public enum StorageTiers {
    /// The tier of the data directory itself (`<data-dir>/blobs`), where STANDARD lives by default.
    public static let defaultTier = "standard"
}
