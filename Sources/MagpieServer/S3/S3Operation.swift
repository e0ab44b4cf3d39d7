import MagpieCore

/// The S3 operations Magpie serves, identified from method, address and sub-resources. Anything else
/// is `notImplemented`, which answers 501 with S3 error XML — never a silent success.
enum S3Operation: String, Sendable {
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
        let sub = Set(address.query.map(\.name)).intersection(subresources)
        guard address.bucketName != nil else {
            return method == "GET" && sub.isEmpty ? .listBuckets : .notImplemented
        }
        if address.keyName == nil {
            switch (method, sub) {
            case ("PUT", []): return .createBucket
            case ("HEAD", []): return .headBucket
            case ("DELETE", []): return .deleteBucket
            case ("GET", ["location"]): return .getBucketLocation
            case ("GET", []): return address.value("list-type") == "2" ? .listObjectsV2 : .listObjectsV1
            case ("POST", ["delete"]): return .deleteObjects
            default: return .notImplemented
            }
        }
        // `partNumber=1` on a single-part object is the whole object; other part numbers need multipart.
        let plainRead = sub.isEmpty || (sub == ["partNumber"] && address.value("partNumber") == "1")
        switch method {
        case "PUT" where sub.isEmpty: return headers("x-amz-copy-source") != nil ? .copyObject : .putObject
        case "GET" where plainRead: return .getObject
        case "HEAD" where plainRead: return .headObject
        case "DELETE" where sub.isEmpty: return .deleteObject
        default: return .notImplemented
        }
    }
}
