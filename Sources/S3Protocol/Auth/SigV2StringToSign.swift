/// The SigV2 string-to-sign:
/// `METHOD\nContent-MD5\nContent-Type\nDate\n` + CanonicalizedAmzHeaders + CanonicalizedResource.
enum SigV2StringToSign {
    /// Query parameters that name a sub-resource and so are signed. The union of AWS's documented
    /// list, botocore's `HmacV1Auth.QSAOfInterest` and the newer configuration sub-resources.
    static let subResources: Set<String> = [
        "accelerate", "acl", "analytics", "cors", "defaultObjectAcl", "delete", "encryption", "inventory", "legal-hold",
        "lifecycle", "location", "logging", "metrics", "notification", "object-lock", "ownershipControls", "partNumber",
        "policy", "publicAccessBlock", "replication", "requestPayment", "response-cache-control",
        "response-content-disposition", "response-content-encoding", "response-content-language",
        "response-content-type", "response-expires", "restore", "retention", "select", "select-type", "storageClass",
        "tagging", "torrent", "uploadId", "uploads", "versionId", "versioning", "versions", "website",
    ]

    /// - Parameters:
    ///   - date: the `Date` line: the `Date` header, empty when `x-amz-date` is present, or `Expires` for query auth.
    ///   - amzHeaders: the `x-amz-*` headers (any case), repeated names allowed.
    static func build(
        method: String,
        resource: String,
        contentMD5: String,
        contentType: String,
        date: String,
        amzHeaders: [(name: String, value: String)]
    ) -> String {
        var grouped: [String: [String]] = [:]
        for (name, value) in amzHeaders {
            grouped[name.lowercased(), default: []].append(AuthText.trim(value))
        }
        var text = "\(method)\n\(contentMD5)\n\(contentType)\n\(date)\n"
        for name in grouped.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            text += "\(name):\(grouped[name, default: []].joined(separator: ","))\n"
        }
        return text + resource
    }

    /// The CanonicalizedResource forms a client may have signed. A path-style request for a bucket
    /// itself (`/bucket`) is signed as `/bucket/` by AWS SDKs (botocore's `auth_path`), as sent by others.
    static func canonicalResources(_ request: SignableRequest) -> [String] {
        let primary = canonicalResource(request)
        let path = request.rawPath
        guard request.virtualHostBucket == nil, path.count > 1, path.hasPrefix("/"), !path.dropFirst().contains("/") else {
            return [primary]
        }
        var bucketRoot = request
        bucketRoot.rawPath = path + "/"
        return [canonicalResource(bucketRoot), primary]
    }

    /// `/bucket` (virtual-hosted) + the path as sent (SigV2 signs it un-decoded) + the signed
    /// sub-resources in name order, values decoded.
    static func canonicalResource(_ request: SignableRequest) -> String {
        var resource = ""
        if let bucket = request.virtualHostBucket { resource += "/" + bucket }
        resource += request.rawPath.isEmpty ? "/" : request.rawPath
        let signed = request.rawQueryItems.enumerated().compactMap { index, item -> (String, String?, Int)? in
            let name = AuthURIEncoding.decode(item.name)
            guard subResources.contains(name) else { return nil }
            return (name, item.value.map(AuthURIEncoding.decode), index)
        }
        guard !signed.isEmpty else { return resource }
        let sorted = signed.sorted { $0.0 == $1.0 ? $0.2 < $1.2 : $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
        return resource + "?" + sorted.map { name, value, _ in value.map { "\(name)=\($0)" } ?? name }.joined(separator: "&")
    }
}
