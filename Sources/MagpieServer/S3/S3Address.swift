import MagpieCore

/// The S3 target of a request: bucket, key and query, decoded from the raw request line and Host.
struct S3Address: Sendable {
    var bucketName: String?
    var keyName: String?
    /// Decoded query parameters in order; a name may repeat.
    var query: [(name: String, value: String)]
    var rawPath: String
    var rawQuery: String
    /// Set when the bucket came from the Host header (virtual-hosted style).
    var virtualHostBucket: String?

    /// Splits the raw request target (`/bucket/key?query`). With a `domain`, a Host of `bucket.domain`
    /// selects virtual-hosted style, where the whole path is the key.
    init(target: String, host: String?, domain: String?) throws(MagpieError) {
        let pathPart: Substring, queryPart: Substring
        if let mark = target.firstIndex(of: "?") {
            pathPart = target[..<mark]
            queryPart = target[target.index(after: mark)...]
        } else {
            pathPart = Substring(target)
            queryPart = ""
        }
        rawPath = String(pathPart)
        rawQuery = String(queryPart)
        guard pathPart.hasPrefix("/") else { throw MagpieError(.invalidURI) }
        query = try queryPart.split(separator: "&", omittingEmptySubsequences: true).map { item throws(MagpieError) in
            let pieces = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try PercentDecoding.decode(pieces[0], plusAsSpace: true)
            let value = pieces.count > 1 ? try PercentDecoding.decode(pieces[1], plusAsSpace: true) : ""
            return (name, value)
        }
        let path = try PercentDecoding.decode(pathPart.dropFirst(), plusAsSpace: false)
        if let domain, let host = host.map(Self.stripPort), host.count > domain.count + 1, host.hasSuffix("." + domain) {
            virtualHostBucket = String(host.dropLast(domain.count + 1))
            bucketName = virtualHostBucket
            keyName = path.isEmpty ? nil : path
            return
        }
        guard !path.isEmpty else { return }
        if let slash = path.firstIndex(of: "/") {
            bucketName = String(path[..<slash])
            let key = path[path.index(after: slash)...]
            keyName = key.isEmpty ? nil : String(key)
        } else {
            bucketName = path
        }
    }

    static func stripPort(_ host: String) -> String {
        guard let colon = host.lastIndex(of: ":"), !host.hasSuffix("]") else { return host.lowercased() }
        return String(host[..<colon]).lowercased()
    }

    func has(_ name: String) -> Bool { query.contains { $0.name == name } }
    func value(_ name: String) -> String? { query.first { $0.name == name }?.value }

    func bucket() throws(MagpieError) -> BucketName {
        guard let bucketName else { throw MagpieError(.invalidBucketName) }
        return try BucketName(bucketName)
    }

    func key() throws(MagpieError) -> ObjectKey {
        guard let keyName else { throw MagpieError(.invalidArgument, "A key is required.") }
        return try ObjectKey(keyName)
    }
}
