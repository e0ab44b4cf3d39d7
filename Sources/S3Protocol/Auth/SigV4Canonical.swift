/// The SigV4 canonical request and string-to-sign, built exactly as AWS S3 builds them.
///
/// S3 neither double-encodes nor normalises the path (`//`, `..` and a trailing `/` are kept);
/// it only re-encodes what the client sent into the one canonical escaping.
enum SigV4Canonical {
    /// Every query parameter except `X-Amz-Signature`, decoded once then encoded, sorted by name then value.
    static func query(_ rawQuery: String) -> String {
        let pairs: [(String, String)] = SignableRequest.rawQueryItems(rawQuery).compactMap { item in
            let name = AuthURIEncoding.decodeBytes(item.name)
            guard name != Array("X-Amz-Signature".utf8) else { return nil }
            return (AuthURIEncoding.encode(name), AuthURIEncoding.encode(AuthURIEncoding.decodeBytes(item.value ?? "")))
        }
        return pairs.sorted { lhs, rhs in
            lhs.0 == rhs.0 ? lhs.1.utf8.lexicographicallyPrecedes(rhs.1.utf8) : lhs.0.utf8.lexicographicallyPrecedes(rhs.0.utf8)
        }
        .map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// `name:value\n` for each signed header (lowercased, sorted); values trimmed with inner
    /// spaces collapsed, repeated headers joined by `,`.
    static func headers(_ headers: [(name: String, value: String)], signed: [String]) -> String {
        var block = ""
        for name in signed {
            let values = headers.filter { $0.name.lowercased() == name }.map { AuthText.collapseSpaces($0.value) }
            block += "\(name):\(values.joined(separator: ","))\n"
        }
        return block
    }

    static func request(
        method: String,
        rawPath: String,
        rawQuery: String,
        headers: [(name: String, value: String)],
        signed: [String],
        payloadHash: String
    ) -> String {
        [
            method,
            AuthURIEncoding.canonicalPath(rawPath),
            query(rawQuery),
            SigV4Canonical.headers(headers, signed: signed),
            signed.joined(separator: ";"),
            payloadHash,
        ].joined(separator: "\n")
    }

    static func stringToSign(timestamp: String, scope: String, canonicalRequest: String) -> String {
        ["AWS4-HMAC-SHA256", timestamp, scope, AuthCrypto.sha256Hex(canonicalRequest)].joined(separator: "\n")
    }

    /// The hex signature of a canonical request.
    static func signature(canonicalRequest: String, timestamp: String, scope: String, signingKey: [UInt8]) -> String {
        let stringToSign = stringToSign(timestamp: timestamp, scope: scope, canonicalRequest: canonicalRequest)
        return AuthCrypto.hex(AuthCrypto.hmacSHA256(key: signingKey, stringToSign))
    }
}
