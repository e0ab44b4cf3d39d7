/// imgproxy's URL signature: `base64url_nopad(HMAC-SHA256(key, salt ‖ path))`, where `path` is
/// everything after the signature segment, from its leading `/`, exactly as sent (still
/// percent-encoded). Signature truncation (`IMGPROXY_SIGNATURE_SIZE`) is not supported.
public enum ImgproxySigner {
    /// The placeholders clients put in the signature segment of an unsigned URL.
    public static let unsignedPlaceholders: Set<String> = ["insecure", "unsafe", "_"]

    /// The signature segment for `path` (which starts with `/`).
    public static func sign(path: some StringProtocol, with key: ImageSigningKey) -> String {
        URLSignature.sign(path, with: key)
    }

    /// `/{signature}{path}`: the signed path to put after the `/i` prefix.
    public static func signedPath(_ path: String, with key: ImageSigningKey) -> String {
        "/" + sign(path: path, with: key) + path
    }

    /// Accepts a parsed URL, or throws; true when it carried a valid signature, false when it was
    /// accepted unsigned (one HMAC per key either way).
    ///
    /// - A signature valid under any of `keys` is always accepted.
    /// - With `allowUnsigned`, a placeholder (`insecure`, `unsafe`, `_`) is accepted, and, when no
    ///   keys are configured (imgproxy's "signing disabled"), any value is.
    /// - Otherwise a placeholder is `missing-signature` and anything else `invalid-signature`; a
    ///   wrong signature is never silently downgraded to "unsigned".
    @discardableResult
    public static func verify(_ url: ImgproxyURL, keys: [ImageSigningKey], allowUnsigned: Bool) throws(ImageURLError) -> Bool {
        try verify(signature: url.signature, path: url.signedPath, keys: keys, allowUnsigned: allowUnsigned)
    }

    @discardableResult
    public static func verify(
        signature: some StringProtocol, path: some StringProtocol, keys: [ImageSigningKey], allowUnsigned: Bool
    ) throws(ImageURLError) -> Bool {
        if !keys.isEmpty, URLSignature.isValid(signature, message: path, keys: keys) { return true }
        let placeholder = unsignedPlaceholders.contains(String(signature))
        if allowUnsigned && (keys.isEmpty || placeholder) { return false }
        throw placeholder ? .missingSignature : .invalidSignature
    }
}
