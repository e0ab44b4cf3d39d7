/// The one table from S3 operations to the IAM actions bucket policies name.
extension S3Operation {
    /// The action an operation needs; nil for operations decided elsewhere (ListBuckets, CreateBucket,
    /// the preflight, POST's form authentication, DeleteObjects' per-key checks).
    var iamAction: String? {
        switch self {
        case .listBuckets: "s3:ListAllMyBuckets"
        case .createBucket: "s3:CreateBucket"
        case .headBucket, .listObjectsV1, .listObjectsV2: "s3:ListBucket"
        case .deleteBucket: "s3:DeleteBucket"
        case .getBucketLocation: "s3:GetBucketLocation"
        case .listObjectVersions: "s3:ListBucketVersions"
        case .listMultipartUploads: "s3:ListBucketMultipartUploads"
        case .deleteObjects: nil
        case .putObject, .copyObject, .createMultipartUpload, .uploadPart, .uploadPartCopy, .completeMultipartUpload, .postObject: "s3:PutObject"
        case .getObject, .headObject: "s3:GetObject"
        case .deleteObject: "s3:DeleteObject"
        case .abortMultipartUpload: "s3:AbortMultipartUpload"
        case .listParts: "s3:ListMultipartUploadParts"
        case .putObjectLockConfiguration: "s3:PutBucketObjectLockConfiguration"
        case .getObjectLockConfiguration: "s3:GetBucketObjectLockConfiguration"
        case .putObjectRetention: "s3:PutObjectRetention"
        case .getObjectRetention: "s3:GetObjectRetention"
        case .putObjectLegalHold: "s3:PutObjectLegalHold"
        case .getObjectLegalHold: "s3:GetObjectLegalHold"
        case .putBucketVersioning: "s3:PutBucketVersioning"
        case .getBucketVersioning: "s3:GetBucketVersioning"
        case .getObjectAttributes: "s3:GetObjectAttributes"
        case .putObjectTagging: "s3:PutObjectTagging"
        case .getObjectTagging: "s3:GetObjectTagging"
        case .deleteObjectTagging: "s3:DeleteObjectTagging"
        case .putBucketTagging, .deleteBucketTagging: "s3:PutBucketTagging"
        case .getBucketTagging: "s3:GetBucketTagging"
        case .putBucketCors, .deleteBucketCors: "s3:PutBucketCORS"
        case .getBucketCors: "s3:GetBucketCORS"
        case .preflight: nil
        case .putBucketPolicy: "s3:PutBucketPolicy"
        case .getBucketPolicy: "s3:GetBucketPolicy"
        case .deleteBucketPolicy: "s3:DeleteBucketPolicy"
        case .getBucketPolicyStatus: "s3:GetBucketPolicyStatus"
        case .putPublicAccessBlock, .deletePublicAccessBlock: "s3:PutBucketPublicAccessBlock"
        case .getPublicAccessBlock: "s3:GetBucketPublicAccessBlock"
        case .putBucketAcl: "s3:PutBucketAcl"
        case .getBucketAcl: "s3:GetBucketAcl"
        case .putObjectAcl: "s3:PutObjectAcl"
        case .getObjectAcl: "s3:GetObjectAcl"
        case .putBucketOwnershipControls, .deleteBucketOwnershipControls: "s3:PutBucketOwnershipControls"
        case .getBucketOwnershipControls: "s3:GetBucketOwnershipControls"
        case .putBucketLifecycleConfiguration, .deleteBucketLifecycle: "s3:PutLifecycleConfiguration"
        case .getBucketLifecycleConfiguration: "s3:GetLifecycleConfiguration"
        case .restoreObject: "s3:RestoreObject"
        case .putBucketEncryption, .deleteBucketEncryption: "s3:PutEncryptionConfiguration"
        case .getBucketEncryption: "s3:GetEncryptionConfiguration"
        case .notImplemented: nil
        }
    }

    /// Actions with a version-specific variant when the request names a `versionId`.
    static let versionVariants: [String: String] = [
        "s3:GetObject": "s3:GetObjectVersion", "s3:DeleteObject": "s3:DeleteObjectVersion", "s3:GetObjectAcl": "s3:GetObjectVersionAcl",
        "s3:PutObjectAcl": "s3:PutObjectVersionAcl", "s3:GetObjectTagging": "s3:GetObjectVersionTagging",
        "s3:PutObjectTagging": "s3:PutObjectVersionTagging", "s3:DeleteObjectTagging": "s3:DeleteObjectVersionTagging",
        "s3:GetObjectAttributes": "s3:GetObjectVersionAttributes",
    ]

    /// Every action a request needs: the operation's (its version variant with `versionId`), plus
    /// `s3:PutObjectAcl`, `s3:PutObjectTagging`, `s3:PutObjectRetention`, `s3:PutObjectLegalHold` and
    /// `s3:BypassGovernanceRetention` when a write carries those headers, as S3 requires.
    func iamActions(versioned: Bool, header: (String) -> String?) -> [String] {
        guard var action = iamAction else { return [] }
        if versioned, let variant = Self.versionVariants[action] { action = variant }
        var actions = [action]
        switch self {
        case .putObject, .copyObject, .createMultipartUpload:
            if header("x-amz-acl") != nil || ACLHeaders.hasGrantHeaders(header) { actions.append("s3:PutObjectAcl") }
            if header("x-amz-tagging") != nil { actions.append("s3:PutObjectTagging") }
            if header("x-amz-object-lock-mode") != nil || header("x-amz-object-lock-retain-until-date") != nil {
                actions.append("s3:PutObjectRetention")
            }
            if header("x-amz-object-lock-legal-hold") != nil { actions.append("s3:PutObjectLegalHold") }
        case .deleteObject, .putObjectRetention:
            if header("x-amz-bypass-governance-retention")?.lowercased() == "true" { actions.append("s3:BypassGovernanceRetention") }
        default: break
        }
        return actions
    }
}
