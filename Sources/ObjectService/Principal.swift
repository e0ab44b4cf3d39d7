import MetadataStore

/// Who a request acts as, after authentication.
public struct Principal: Sendable, Equatable {
    public let user: UserRecord
    public let accessKey: String

    public init(user: UserRecord, accessKey: String) {
        self.user = user
        self.accessKey = accessKey
    }

    public var canonicalId: String { user.canonicalId }
    /// Root administers the whole server: it may act on every bucket (like MinIO's root user).
    public var isRoot: Bool { user.isRoot }
}
