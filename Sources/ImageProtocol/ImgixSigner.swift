/// Magpie's signature for imgix-style URLs. (imgix itself signs with MD5 over a token; Magpie
/// uses the same HMAC as its imgproxy grammar so one key/salt pair signs both.)
///
///     s = base64url_nopad(HMAC-SHA256(key, salt ‖ path [‖ "?" ‖ query-without-s]))
///
/// - `path` is the request path exactly as sent, starting with `/a/` (still percent-encoded).
/// - `query-without-s` is the raw query split on `&`, with every piece whose raw name is `s` and
///   every empty piece removed, the rest kept in the order sent and byte for byte (no decoding,
///   no re-encoding), rejoined with `&`.
/// - When no piece remains, the message is the path alone, without `?`.
///
/// So a client signs the URL it is about to send, minus `s`, and appends `&s=…` (or `?s=…`).
public enum ImgixSigner {
    /// The signed message for a path and raw query (with or without an `s` in it).
    public static func message(path: String, query: String) -> String {
        let pieces = query.split(separator: "&").filter { piece in
            let name = piece.firstIndex(of: "=").map { piece[..<$0] } ?? piece
            return name != "s"
        }
        return pieces.isEmpty ? path : path + "?" + pieces.joined(separator: "&")
    }

    /// The `s` value for a path and raw query.
    public static func sign(path: String, query: String, with key: ImageSigningKey) -> String {
        URLSignature.sign(message(path: path, query: query), with: key)
    }

    /// The query with its signature appended: `query&s=…`, or `s=…` for an empty query.
    public static func signedQuery(path: String, query: String, with key: ImageSigningKey) -> String {
        let signature = "s=" + sign(path: path, query: query, with: key)
        return query.isEmpty ? signature : query + "&" + signature
    }

    /// Accepts a parsed URL, or throws; true when it carried a valid signature, false when it was
    /// accepted unsigned.
    ///
    /// - A signature valid under any of `keys` is always accepted.
    /// - With `allowUnsigned`, a URL without `s` is accepted, and, when no keys are configured,
    ///   any `s` is.
    /// - Otherwise no `s` is `missing-signature` and a wrong one `invalid-signature`.
    @discardableResult
    public static func verify(_ url: ImgixURL, keys: [ImageSigningKey], allowUnsigned: Bool) throws(ImageURLError) -> Bool {
        guard let signature = url.signature else {
            if allowUnsigned { return false }
            throw .missingSignature
        }
        if !keys.isEmpty, URLSignature.isValid(signature, message: url.signedMessage, keys: keys) { return true }
        if allowUnsigned && keys.isEmpty { return false }
        throw .invalidSignature
    }
}
