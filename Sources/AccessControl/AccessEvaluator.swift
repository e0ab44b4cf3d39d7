/// Everything about one bucket that access decisions need, parsed once and cached.
public struct BucketAccess: Sendable {
    public var ownerId: String
    public var policy: BucketPolicy?
    /// The bucket's ACL (private to the owner until one is set).
    public var acl: AccessControlList
    /// The bucket's own Block Public Access settings (nil: none configured).
    public var publicAccessBlock: PublicAccessBlock?
    public var ownership: ObjectOwnership
    public var cors: CORSConfiguration?

    public init(
        ownerId: String, policy: BucketPolicy? = nil, acl: AccessControlList? = nil, publicAccessBlock: PublicAccessBlock? = nil,
        ownership: ObjectOwnership = .bucketOwnerEnforced, cors: CORSConfiguration? = nil
    ) {
        self.ownerId = ownerId
        self.policy = policy
        self.acl = acl ?? .private(owner: ownerId)
        self.publicAccessBlock = publicAccessBlock
        self.ownership = ownership
        self.cors = cors
    }
}

/// Combines owner, bucket policy, ACLs, Block Public Access and Object Ownership into one decision,
/// the way S3 does for a bucket owner's resources:
///
/// 1. Root (the server administrator) is always allowed.
/// 2. An applicable Deny in the bucket policy refuses — the owner too, except for the policy operations
///    themselves, so that an owner can never lock themselves out (AWS's rule for the account root).
/// 3. The bucket owner is allowed.
/// 4. An applicable Allow in the bucket policy allows — unless RestrictPublicBuckets is on and the policy is
///    public, in which case only the owner gains anything from it.
/// 5. With ACLs enabled (Object Ownership other than BucketOwnerEnforced), a bucket ACL grant allows bucket-level
///    actions and writes; object reads and object ACL operations ask the object's ACL. Public grants count
///    only without IgnorePublicAcls.
/// 6. Anything else is refused.
public enum AccessEvaluator {
    public enum Decision: Sendable, Equatable {
        case allow
        case deny
        /// Allowed only if the object's ACL grants this permission (the caller looks the object up).
        case askObjectACL(AccessControlList.Permission)
    }

    /// Actions the bucket owner keeps even under a Deny (so a policy can always be repaired).
    static let ownerRecoveryActions: Set<String> = ["s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy"]

    /// Bucket ACL permission that grants each action.
    static let bucketPermissions: [String: AccessControlList.Permission] = [
        "s3:ListBucket": .read, "s3:ListBucketVersions": .read, "s3:ListBucketMultipartUploads": .read,
        "s3:PutObject": .write, "s3:DeleteObject": .write, "s3:DeleteObjectVersion": .write, "s3:AbortMultipartUpload": .write,
        "s3:ListMultipartUploadParts": .write, "s3:GetBucketAcl": .readACP, "s3:PutBucketAcl": .writeACP,
    ]

    /// Object ACL permission that grants each action.
    static let objectPermissions: [String: AccessControlList.Permission] = [
        "s3:GetObject": .read, "s3:GetObjectVersion": .read, "s3:GetObjectAttributes": .read, "s3:GetObjectVersionAttributes": .read,
        "s3:GetObjectTorrent": .read, "s3:GetObjectAcl": .readACP, "s3:GetObjectVersionAcl": .readACP, "s3:PutObjectAcl": .writeACP,
        "s3:PutObjectVersionAcl": .writeACP,
    ]

    public static func decide(_ request: AccessRequest, bucket: BucketAccess, serverBlock: PublicAccessBlock?) -> Decision {
        let identity = request.identity
        if identity.isRoot { return .allow }
        let isOwner = identity.canonicalId != nil && identity.canonicalId == bucket.ownerId
        let policyDecision = bucket.policy?.evaluate(request) ?? .none
        if policyDecision == .deny {
            return isOwner && ownerRecoveryActions.contains(request.action) ? .allow : .deny
        }
        if isOwner { return .allow }
        let block = (bucket.publicAccessBlock ?? .none).union(serverBlock)
        if policyDecision == .allow, !(block.restrictPublicBuckets && bucket.policy?.isPublic == true) { return .allow }
        guard bucket.ownership.aclsEnabled else { return .deny }
        if let permission = bucketPermissions[request.action],
            bucket.acl.grants(permission, to: identity, ignorePublic: block.ignorePublicAcls)
        {
            return .allow
        }
        if request.key != nil, let permission = objectPermissions[request.action] { return .askObjectACL(permission) }
        return .deny
    }

    /// The second step of `.askObjectACL`: whether the object's ACL grants `permission`.
    public static func objectACLAllows(
        _ acl: AccessControlList, _ permission: AccessControlList.Permission, identity: AccessIdentity, bucket: BucketAccess,
        serverBlock: PublicAccessBlock?
    ) -> Bool {
        let block = (bucket.publicAccessBlock ?? .none).union(serverBlock)
        return acl.grants(permission, to: identity, ignorePublic: block.ignorePublicAcls)
    }
}
