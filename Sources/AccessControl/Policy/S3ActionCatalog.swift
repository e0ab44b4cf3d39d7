/// The S3 actions a bucket policy may name, and the resource each applies to. A policy naming an
/// action that matches none of these is `MalformedPolicy` ("Policy has invalid action"), as AWS does.
public enum S3ActionCatalog {
    public enum Scope: Sendable { case bucket, object, service }

    /// Canonical action names (`s3:` prefix) by the resource they apply to.
    public static let actions: [String: Scope] = {
        var table: [String: Scope] = [:]
        for name in objectActions { table["s3:" + name] = .object }
        for name in bucketActions { table["s3:" + name] = .bucket }
        for name in serviceActions { table["s3:" + name] = .service }
        return table
    }()

    /// Lowercased name → canonical name (IAM action names are case-insensitive).
    static let byLowercase: [String: String] = Dictionary(uniqueKeysWithValues: actions.keys.map { ($0.lowercased(), $0) })

    static let objectActions = [
        "AbortMultipartUpload", "BypassGovernanceRetention", "DeleteObject", "DeleteObjectTagging", "DeleteObjectVersion",
        "DeleteObjectVersionTagging", "GetObject", "GetObjectAcl", "GetObjectAttributes", "GetObjectLegalHold", "GetObjectRetention",
        "GetObjectTagging", "GetObjectTorrent", "GetObjectVersion", "GetObjectVersionAcl", "GetObjectVersionAttributes",
        "GetObjectVersionForReplication", "GetObjectVersionTagging", "GetObjectVersionTorrent", "ListMultipartUploadParts",
        "PutObject", "PutObjectAcl", "PutObjectLegalHold", "PutObjectRetention", "PutObjectTagging", "PutObjectVersionAcl",
        "PutObjectVersionTagging", "ReplicateDelete", "ReplicateObject", "ReplicateTags", "RestoreObject", "InitiateReplication",
        "ObjectOwnerOverrideToBucketOwner",
    ]

    static let bucketActions = [
        "CreateBucket", "DeleteBucket", "DeleteBucketOwnershipControls", "DeleteBucketPolicy", "DeleteBucketWebsite",
        "GetAccelerateConfiguration", "GetAnalyticsConfiguration", "GetBucketAcl", "GetBucketCORS", "GetBucketLocation",
        "GetBucketLogging", "GetBucketNotification", "GetBucketObjectLockConfiguration", "GetBucketOwnershipControls",
        "GetBucketPolicy", "GetBucketPolicyStatus", "GetBucketPublicAccessBlock", "GetBucketRequestPayment", "GetBucketTagging",
        "GetBucketVersioning", "GetBucketWebsite", "GetEncryptionConfiguration", "GetIntelligentTieringConfiguration",
        "GetInventoryConfiguration", "GetLifecycleConfiguration", "GetMetricsConfiguration", "GetReplicationConfiguration",
        "ListBucket", "ListBucketMultipartUploads", "ListBucketVersions", "PutAccelerateConfiguration", "PutAnalyticsConfiguration",
        "PutBucketAcl", "PutBucketCORS", "PutBucketLogging", "PutBucketNotification", "PutBucketObjectLockConfiguration",
        "PutBucketOwnershipControls", "PutBucketPolicy", "PutBucketPublicAccessBlock", "PutBucketRequestPayment",
        "PutBucketTagging", "PutBucketVersioning", "PutBucketWebsite", "PutEncryptionConfiguration",
        "PutIntelligentTieringConfiguration", "PutInventoryConfiguration", "PutLifecycleConfiguration", "PutMetricsConfiguration",
        "PutReplicationConfiguration",
    ]

    static let serviceActions = ["ListAllMyBuckets", "GetAccountPublicAccessBlock", "PutAccountPublicAccessBlock"]

    /// The known actions a pattern (`s3:Get*`, `s3:*Object`, `*`) matches, case-insensitively.
    public static func expand(_ pattern: String) -> [String] {
        if !Wildcard.isPattern(pattern) { return byLowercase[pattern.lowercased()].map { [$0] } ?? [] }
        return actions.keys.filter { Wildcard.matches(pattern, $0, caseInsensitive: true) }
    }
}
