import MagpieCore

/// The S3 operations Magpie serves, identified from method, address and sub-resources. Anything else
/// is `notImplemented`, which answers 501 with S3 error XML — never a silent success.
enum S3Operation: String, Sendable, CaseIterable {
    case listBuckets = "ListBuckets"
    case createBucket = "CreateBucket"
    case headBucket = "HeadBucket"
    case deleteBucket = "DeleteBucket"
    case getBucketLocation = "GetBucketLocation"
    case listObjectsV1 = "ListObjects"
    case listObjectsV2 = "ListObjectsV2"
    case deleteObjects = "DeleteObjects"
    case putObject = "PutObject"
    case copyObject = "CopyObject"
    case getObject = "GetObject"
    case headObject = "HeadObject"
    case deleteObject = "DeleteObject"
    case createMultipartUpload = "CreateMultipartUpload"
    case uploadPart = "UploadPart"
    case uploadPartCopy = "UploadPartCopy"
    case completeMultipartUpload = "CompleteMultipartUpload"
    case abortMultipartUpload = "AbortMultipartUpload"
    case listParts = "ListParts"
    case listMultipartUploads = "ListMultipartUploads"
    case postObject = "PostObject"
    case putObjectLockConfiguration = "PutObjectLockConfiguration"
    case getObjectLockConfiguration = "GetObjectLockConfiguration"
    case putObjectRetention = "PutObjectRetention"
    case getObjectRetention = "GetObjectRetention"
    case putObjectLegalHold = "PutObjectLegalHold"
    case getObjectLegalHold = "GetObjectLegalHold"
    case putBucketVersioning = "PutBucketVersioning"
    case getBucketVersioning = "GetBucketVersioning"
    case listObjectVersions = "ListObjectVersions"
    case getObjectAttributes = "GetObjectAttributes"
    case putObjectTagging = "PutObjectTagging"
    case getObjectTagging = "GetObjectTagging"
    case deleteObjectTagging = "DeleteObjectTagging"
    case putBucketTagging = "PutBucketTagging"
    case getBucketTagging = "GetBucketTagging"
    case deleteBucketTagging = "DeleteBucketTagging"
    case putBucketCors = "PutBucketCors"
    case getBucketCors = "GetBucketCors"
    case deleteBucketCors = "DeleteBucketCors"
    case preflight = "PreflightRequest"
    case putBucketPolicy = "PutBucketPolicy"
    case getBucketPolicy = "GetBucketPolicy"
    case deleteBucketPolicy = "DeleteBucketPolicy"
    case getBucketPolicyStatus = "GetBucketPolicyStatus"
    case putPublicAccessBlock = "PutPublicAccessBlock"
    case getPublicAccessBlock = "GetPublicAccessBlock"
    case deletePublicAccessBlock = "DeletePublicAccessBlock"
    case putBucketAcl = "PutBucketAcl"
    case getBucketAcl = "GetBucketAcl"
    case putObjectAcl = "PutObjectAcl"
    case getObjectAcl = "GetObjectAcl"
    case putBucketOwnershipControls = "PutBucketOwnershipControls"
    case getBucketOwnershipControls = "GetBucketOwnershipControls"
    case deleteBucketOwnershipControls = "DeleteBucketOwnershipControls"
    case putBucketLifecycleConfiguration = "PutBucketLifecycleConfiguration"
    case getBucketLifecycleConfiguration = "GetBucketLifecycleConfiguration"
    case deleteBucketLifecycle = "DeleteBucketLifecycle"
    case restoreObject = "RestoreObject"
    case putBucketEncryption = "PutBucketEncryption"
    case getBucketEncryption = "GetBucketEncryption"
    case deleteBucketEncryption = "DeleteBucketEncryption"
    case notImplemented = "NotImplemented"

    /// Query names that select an S3 sub-resource (as opposed to parameters such as `prefix`).
    static let subresources: Set<String> = [
        "accelerate", "acl", "analytics", "attributes", "cors", "delete", "encryption", "intelligent-tiering", "inventory",
        "legal-hold", "lifecycle", "location", "logging", "metadataTable", "metrics", "notification", "object-lock",
        "ownershipControls", "partNumber", "policy", "policyStatus", "publicAccessBlock", "replication", "requestPayment",
        "restore", "retention", "select", "session", "tagging", "torrent", "uploadId", "uploads", "versioning", "versions",
        "website", "renameObject",
    ]

    static func identify(method: String, address: S3Address, headers: (String) -> String?) -> S3Operation {
        let sub = Set(address.query.map(\.name)).intersection(subresources).subtracting(["versionId"])
        // A CORS preflight names a bucket (and maybe a key) but no sub-resource; S3 answers it from the CORS rules.
        if method == "OPTIONS" { return address.bucketName == nil ? .notImplemented : .preflight }
        guard address.bucketName != nil else {
            return method == "GET" && sub.isEmpty ? .listBuckets : .notImplemented
        }
        if address.keyName == nil {
            switch (method, sub) {
            case ("PUT", []): return .createBucket
            case ("HEAD", []): return .headBucket
            case ("DELETE", []): return .deleteBucket
            case ("GET", ["location"]): return .getBucketLocation
            case ("GET", ["uploads"]): return .listMultipartUploads
            case ("PUT", ["versioning"]): return .putBucketVersioning
            case ("PUT", ["object-lock"]): return .putObjectLockConfiguration
            case ("GET", ["object-lock"]): return .getObjectLockConfiguration
            case ("GET", ["versioning"]): return .getBucketVersioning
            case ("GET", ["versions"]): return .listObjectVersions
            case ("PUT", ["tagging"]): return .putBucketTagging
            case ("GET", ["tagging"]): return .getBucketTagging
            case ("DELETE", ["tagging"]): return .deleteBucketTagging
            case ("PUT", ["cors"]): return .putBucketCors
            case ("GET", ["cors"]): return .getBucketCors
            case ("DELETE", ["cors"]): return .deleteBucketCors
            case ("PUT", ["policy"]): return .putBucketPolicy
            case ("GET", ["policy"]): return .getBucketPolicy
            case ("DELETE", ["policy"]): return .deleteBucketPolicy
            case ("GET", ["policyStatus"]): return .getBucketPolicyStatus
            case ("PUT", ["publicAccessBlock"]): return .putPublicAccessBlock
            case ("GET", ["publicAccessBlock"]): return .getPublicAccessBlock
            case ("DELETE", ["publicAccessBlock"]): return .deletePublicAccessBlock
            case ("PUT", ["acl"]): return .putBucketAcl
            case ("GET", ["acl"]): return .getBucketAcl
            case ("PUT", ["ownershipControls"]): return .putBucketOwnershipControls
            case ("GET", ["ownershipControls"]): return .getBucketOwnershipControls
            case ("DELETE", ["ownershipControls"]): return .deleteBucketOwnershipControls
            case ("PUT", ["lifecycle"]): return .putBucketLifecycleConfiguration
            case ("GET", ["lifecycle"]): return .getBucketLifecycleConfiguration
            case ("DELETE", ["lifecycle"]): return .deleteBucketLifecycle
            case ("PUT", ["encryption"]): return .putBucketEncryption
            case ("GET", ["encryption"]): return .getBucketEncryption
            case ("DELETE", ["encryption"]): return .deleteBucketEncryption
            case ("GET", []): return address.value("list-type") == "2" ? .listObjectsV2 : .listObjectsV1
            case ("POST", ["delete"]): return .deleteObjects
            case ("POST", []) where headers("content-type")?.lowercased().hasPrefix("multipart/form-data") == true: return .postObject
            default: return .notImplemented
            }
        }
        // `?partNumber=N` reads one part of a multipart object (part 1 of a single-part object is all of it).
        let plainRead = sub.isEmpty || sub == ["partNumber"]
        let copying = headers("x-amz-copy-source") != nil
        switch (method, sub) {
        case ("POST", ["uploads"]): return .createMultipartUpload
        case ("PUT", ["partNumber", "uploadId"]): return copying ? .uploadPartCopy : .uploadPart
        case ("POST", ["uploadId"]): return .completeMultipartUpload
        case ("DELETE", ["uploadId"]): return .abortMultipartUpload
        case ("GET", ["uploadId"]): return .listParts
        case ("GET", ["attributes"]): return .getObjectAttributes
        case ("PUT", ["retention"]): return .putObjectRetention
        case ("GET", ["retention"]): return .getObjectRetention
        case ("PUT", ["legal-hold"]): return .putObjectLegalHold
        case ("GET", ["legal-hold"]): return .getObjectLegalHold
        case ("PUT", ["tagging"]): return .putObjectTagging
        case ("GET", ["tagging"]): return .getObjectTagging
        case ("DELETE", ["tagging"]): return .deleteObjectTagging
        case ("PUT", ["acl"]): return .putObjectAcl
        case ("GET", ["acl"]): return .getObjectAcl
        case ("POST", ["restore"]): return .restoreObject
        default: break
        }
        switch method {
        case "PUT" where sub.isEmpty: return copying ? .copyObject : .putObject
        case "GET" where plainRead: return .getObject
        case "HEAD" where plainRead: return .headObject
        case "DELETE" where sub.isEmpty: return .deleteObject
        default: return .notImplemented
        }
    }
}
