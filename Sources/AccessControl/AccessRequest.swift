/// Who a request acts as, in the terms policies and ACLs speak.
public struct AccessIdentity: Sendable, Equatable {
    /// nil for an anonymous request.
    public var userName: String?
    public var canonicalId: String?
    public var accessKey: String?
    /// Magpie's root user administers the server and is never refused by a policy or an ACL.
    public var isRoot: Bool

    public init(userName: String?, canonicalId: String?, accessKey: String?, isRoot: Bool) {
        self.userName = userName
        self.canonicalId = canonicalId
        self.accessKey = accessKey
        self.isRoot = isRoot
    }

    public static let anonymous = AccessIdentity(userName: nil, canonicalId: nil, accessKey: nil, isRoot: false)
    public var isAnonymous: Bool { canonicalId == nil }

    /// The principal ARN Magpie documents for a user: `arn:aws:iam::magpie:user/NAME` (root: `arn:aws:iam::magpie:root`).
    public var arn: String? {
        guard let userName else { return nil }
        return isRoot ? PolicyPrincipal.rootARN : PolicyPrincipal.userARNPrefix + userName
    }
}

/// One authorization question: may `identity` perform `action` on `bucket` (and `key`), given the
/// request's condition values?
public struct AccessRequest: Sendable {
    public var identity: AccessIdentity
    /// Canonical IAM action name, e.g. `s3:GetObject`.
    public var action: String
    public var bucket: String
    /// nil for bucket-level actions.
    public var key: String?
    /// Condition keys (lowercased, e.g. `aws:sourceip`, `s3:prefix`) and their values in this request.
    public var context: [String: [String]]

    public init(identity: AccessIdentity, action: String, bucket: String, key: String?, context: [String: [String]] = [:]) {
        self.identity = identity
        self.action = action
        self.bucket = bucket
        self.key = key
        self.context = context
    }

    /// `arn:aws:s3:::bucket` or `arn:aws:s3:::bucket/key`.
    public var resourceARN: String { PolicyResource.arnPrefix + bucket + (key.map { "/" + $0 } ?? "") }
}
