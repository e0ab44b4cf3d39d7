import Crypto
import MagpieCore

/// The signature scheme both grammars share: `base64url_nopad(HMAC-SHA256(key, salt ‖ message))`,
/// checked in constant time against every configured key.
enum URLSignature {
    static func sign(_ message: some StringProtocol, with key: ImageSigningKey) -> String {
        Base64URL.encode(mac(message, with: key))
    }

    static func mac(_ message: some StringProtocol, with key: ImageSigningKey) -> [UInt8] {
        var hmac = HMAC<SHA256>(key: SymmetricKey(data: key.key))
        hmac.update(data: key.salt)
        hmac.update(data: Array(message.utf8))
        return Array(hmac.finalize())
    }

    /// True when `signature` is the signature of `message` under any of `keys`.
    ///
    /// Every key is tried (no early exit) and the MACs are compared without an early exit, so the
    /// time taken says nothing about how close a forged signature came.
    static func isValid(_ signature: some StringProtocol, message: some StringProtocol, keys: [ImageSigningKey]) -> Bool {
        guard let given = Base64URL.decode(signature), given.count == SHA256.byteCount else { return false }
        var matched = false
        for key in keys {
            matched = ConstantTime.equals(given, mac(message, with: key)) || matched
        }
        return matched
    }
}
