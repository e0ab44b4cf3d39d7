extension ImageSource {
    /// A decoded source URL: `s3://bucket/key` (optionally `?version`, as imgproxy's S3 source
    /// takes the object version from the query) or `http(s)://…`. Any other scheme is refused.
    static func parse(url: String) throws(ImageURLError) -> ImageSource {
        if hasScheme("s3", url) {
            return .object(try ObjectReference.parse(s3URL: url))
        }
        if hasScheme("http", url) || hasScheme("https", url) {
            let rest = url.drop { $0 != ":" }.dropFirst(3)
            guard let first = rest.first, first != "/" else { throw .invalidSource("the URL has no host") }
            return .remote(url)
        }
        throw .invalidSource("only s3:// and http(s):// sources are supported")
    }

    /// Case-insensitive `scheme://` prefix.
    static func hasScheme(_ scheme: String, _ url: String) -> Bool {
        let prefix = scheme + "://"
        return url.utf8.count >= prefix.utf8.count && url.prefix(prefix.count).lowercased() == prefix
    }
}

extension ObjectReference {
    /// `s3://bucket/key` or `s3://bucket/key?version`; bucket and key must be non-empty. A key
    /// that itself contains `?` cannot be addressed this way (the same limit as imgproxy's default
    /// `IMGPROXY_SOURCE_URL_QUERY_SEPARATOR`).
    static func parse(s3URL url: String) throws(ImageURLError) -> ObjectReference {
        guard ImageSource.hasScheme("s3", url) else { throw .invalidSource("expected an s3:// URL") }
        let rest = url.dropFirst("s3://".count)
        guard let slash = rest.firstIndex(of: "/") else { throw .invalidSource("the s3:// URL has no key") }
        let bucket = rest[..<slash]
        var key = rest[rest.index(after: slash)...]
        var versionId: String?
        if let question = key.firstIndex(of: "?") {
            let version = key[key.index(after: question)...]
            versionId = version.isEmpty ? nil : String(version)
            key = key[..<question]
        }
        guard !bucket.isEmpty else { throw .invalidSource("the bucket is empty") }
        guard !key.isEmpty else { throw .invalidSource("the key is empty") }
        return ObjectReference(bucket: String(bucket), key: String(key), versionId: versionId)
    }
}
