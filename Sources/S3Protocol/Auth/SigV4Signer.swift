import Foundation

/// Signs requests the way AWS SDKs do (SigV4), for Magpie's CLI, tests and any Swift client.
///
/// Produces exactly what `S3RequestAuth.verify` checks, and what AWS S3 itself would accept.
public struct SigV4Signer: Sendable {
    let accessKey: String
    let secretKey: String
    let region: String
    let service: String

    /// Headers AWS SDKs never sign: hop-by-hop or rewritten by proxies.
    static let unsignedHeaders: Set<String> = [
        "authorization", "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
        "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    ]

    public init(accessKey: String, secretKey: String, region: String = "us-east-1", service: String = "s3") {
        self.accessKey = accessKey
        self.secretKey = secretKey
        self.region = region
        self.service = service
    }

    /// Returns the headers to add (`Authorization`, `X-Amz-Date`, `X-Amz-Content-SHA256`, and
    /// `Host` if missing) for a request to `url` carrying `headers`.
    ///
    /// - Parameter payloadHash: hex SHA-256 of the body (`PayloadHash.sha256Hex`), or one of the
    ///   `PayloadHash` constants such as `PayloadHash.unsigned`.
    public func signedHeaders(method: String, url: URL, headers: [(String, String)], payloadHash: String, date: Date)
        -> [(String, String)]
    {
        let timestamp = AuthDate.formatISO8601Basic(date)
        var added: [(String, String)] = []
        if !headers.contains(where: { $0.0.lowercased() == "host" }) { added.append(("Host", Self.hostHeader(url))) }
        added.append(("X-Amz-Date", timestamp))
        added.append(("X-Amz-Content-SHA256", payloadHash))
        let all = headers.filter { !["x-amz-date", "x-amz-content-sha256"].contains($0.0.lowercased()) } + added
        let signed = Array(Set(all.map { $0.0.lowercased() }).subtracting(Self.unsignedHeaders)).sorted()
        let parts = Self.pathAndQuery(url)
        let canonical = SigV4Canonical.request(
            method: method, rawPath: parts.path, rawQuery: parts.query, headers: all.map { (name: $0.0, value: $0.1) },
            signed: signed, payloadHash: payloadHash)
        let signature = sign(canonical, timestamp: timestamp)
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(accessKey)/\(scope(timestamp)), SignedHeaders=\(signed.joined(separator: ";")), Signature=\(signature)"
        return added + [("Authorization", authorization)]
    }

    /// A presigned URL (query-string authentication, `UNSIGNED-PAYLOAD`), valid `expires` seconds from `date`.
    public func presignedURL(method: String, url: URL, expires: Int, date: Date) -> URL {
        let timestamp = AuthDate.formatISO8601Basic(date)
        let parts = Self.pathAndQuery(url)
        let authQuery = [
            "X-Amz-Algorithm=AWS4-HMAC-SHA256",
            "X-Amz-Credential=" + AuthURIEncoding.encode("\(accessKey)/\(scope(timestamp))"),
            "X-Amz-Date=\(timestamp)",
            "X-Amz-Expires=\(expires)",
            "X-Amz-SignedHeaders=host",
        ].joined(separator: "&")
        let query = parts.query.isEmpty ? authQuery : parts.query + "&" + authQuery
        let canonical = SigV4Canonical.request(
            method: method, rawPath: parts.path, rawQuery: query, headers: [(name: "host", value: Self.hostHeader(url))],
            signed: ["host"], payloadHash: PayloadHash.unsigned)
        let signature = sign(canonical, timestamp: timestamp)
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return url }
        components.percentEncodedQuery = query + "&X-Amz-Signature=" + signature
        return components.url ?? url
    }

    private func scope(_ timestamp: String) -> String {
        "\(timestamp.prefix(8))/\(region)/\(service)/aws4_request"
    }

    private func sign(_ canonicalRequest: String, timestamp: String) -> String {
        let key = AuthCrypto.signingKey(secretKey: secretKey, date: String(timestamp.prefix(8)), region: region, service: service)
        return SigV4Canonical.signature(canonicalRequest: canonicalRequest, timestamp: timestamp, scope: scope(timestamp), signingKey: key)
    }

    /// `host[:port]` as an HTTP client sends it: the port only when not the scheme's default.
    static func hostHeader(_ url: URL) -> String {
        let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        var host = components?.percentEncodedHost ?? url.host ?? ""
        if host.contains(":"), !host.hasPrefix("[") { host = "[\(host)]" }
        guard let port = components?.port else { return host }
        let scheme = components?.scheme?.lowercased()
        if (scheme == "http" && port == 80) || (scheme == "https" && port == 443) { return host }
        return "\(host):\(port)"
    }

    /// The path and query as they go on the wire (percent-encoded).
    static func pathAndQuery(_ url: URL) -> (path: String, query: String) {
        let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        let path = components?.percentEncodedPath ?? "/"
        return (path.isEmpty ? "/" : path, components?.percentEncodedQuery ?? "")
    }
}
