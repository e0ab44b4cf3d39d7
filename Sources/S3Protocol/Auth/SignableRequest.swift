/// What authentication needs of an HTTP request, independent of any HTTP framework.
///
/// Everything is kept exactly as it was on the wire: signatures are computed over what the client
/// sent, so the server layer must not decode or normalise the path or query before handing them in.
public struct SignableRequest: Sendable {
    /// The HTTP method, e.g. `PUT`.
    public var method: String
    /// The path exactly as on the wire (percent-encoded), without the query.
    public var rawPath: String
    /// The query string exactly as on the wire, without `?`; empty if none.
    public var rawQuery: String {
        didSet { queryItems = Self.decodedQueryItems(rawQuery) }
    }
    /// The query decoded once (`+` stays `+`); a parameter without `=` has an empty value. Parsed
    /// when the query is set: authentication looks parameters up many times per request.
    public private(set) var queryItems: [(name: String, value: String)]
    /// The headers as received. Look-ups are case-insensitive; a name may repeat.
    public var headers: [(name: String, value: String)]
    /// The bucket when it came from the `Host` header (virtual-hosted style); SigV2 signs it.
    public var virtualHostBucket: String?

    public init(
        method: String,
        rawPath: String,
        rawQuery: String,
        headers: [(name: String, value: String)],
        virtualHostBucket: String? = nil
    ) {
        self.method = method
        self.rawPath = rawPath
        self.rawQuery = rawQuery
        self.queryItems = Self.decodedQueryItems(rawQuery)
        self.headers = headers
        self.virtualHostBucket = virtualHostBucket
    }
}

extension SignableRequest {
    /// All values of a header, in order received; `name` must be lowercase.
    func headerValues(_ name: String) -> [String] {
        headers.compactMap { $0.name.lowercased() == name ? $0.value : nil }
    }

    /// The first value of a header, trimmed; `name` must be lowercase.
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name }.map { AuthText.trim($0.value) }
    }

    /// The query as raw `(name, value)` pairs, still percent-encoded; empty segments skipped.
    /// `value` is nil when the parameter had no `=` (`?acl`), empty for `?acl=`.
    var rawQueryItems: [(name: Substring, value: Substring?)] {
        Self.rawQueryItems(rawQuery)
    }

    static func rawQueryItems(_ query: String) -> [(name: Substring, value: Substring?)] {
        query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            if let equals = pair.firstIndex(of: "=") {
                return (pair[..<equals], pair[pair.index(after: equals)...])
            }
            return (pair, nil)
        }
    }

    static func decodedQueryItems(_ query: String) -> [(name: String, value: String)] {
        rawQueryItems(query).map { (AuthURIEncoding.decode($0.name), AuthURIEncoding.decode($0.value ?? "")) }
    }

    /// The decoded value of the first query parameter with exactly this name.
    func queryValue(_ name: String) -> String? {
        queryItems.first { $0.name == name }?.value
    }
}

/// Small text helpers shared by the signers.
enum AuthText {
    /// Trims spaces and tabs at both ends (HTTP optional whitespace).
    static func trim(_ value: some StringProtocol) -> String {
        let bytes = Array(value.utf8)
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == UInt8(ascii: " ") || bytes[start] == UInt8(ascii: "\t") { start += 1 }
        while end > start, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t") { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// Collapses inner runs of spaces and tabs to one space, after trimming (SigV4 "trimall").
    static func collapseSpaces(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }
}
