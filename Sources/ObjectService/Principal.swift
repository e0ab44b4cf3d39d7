import AccessControl
import MetadataStore

/// Who a request acts as, after authentication: a user (through one of its keys) or anonymous.
public struct Principal: Sendable, Equatable {
    /// nil for anonymous requests.
    public let user: UserRecord?
    public let accessKey: String?

    public init(user: UserRecord, accessKey: String) {
        self.user = user
        self.accessKey = accessKey
    }

    private init() {
        user = nil
        accessKey = nil
    }

    /// A request without credentials: it gets only what a bucket policy or ACL grants everyone.
    public static let anonymous = Principal()

    /// The canonical id S3 shows for anonymous writers.
    public static let anonymousCanonicalId = "65a011a29cdf8ec533ec3d1ccaae921c"

    public var isAnonymous: Bool { user == nil }
    public var canonicalId: String { user?.canonicalId ?? Self.anonymousCanonicalId }
    public var displayName: String { user?.name ?? "anonymous" }
    /// Root administers the whole server: it may act on every bucket (like MinIO's root user).
    public var isRoot: Bool { user?.isRoot ?? false }

    /// The identity policies and ACLs see.
    public var identity: AccessIdentity {
        guard let user else { return .anonymous }
        return AccessIdentity(userName: user.name, canonicalId: user.canonicalId, accessKey: accessKey, isRoot: user.isRoot)
    }
}
