import Crypto
import Foundation

/// A per-object data key, stored only wrapped (AES-256-GCM) by a key-encryption key: the master
/// key (SSE-S3), a named keyring key (SSE-KMS) or the customer's own key (SSE-C, never stored).
/// The key id is authenticated with it, so a wrapped key cannot be moved to another KEK's name.
public enum KeyWrapping {
    static let label = Array("magpie-dek-v1".utf8)

    public static func newDataKey() -> SymmetricKey { SymmetricKey(size: .bits256) }

    public static func newNoncePrefix() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// nonce(12) ‖ ciphertext(32) ‖ tag(16).
    public static func wrap(_ dataKey: SymmetricKey, with kek: SymmetricKey, keyId: String) throws -> [UInt8] {
        let box = try AES.GCM.seal(dataKey.withUnsafeBytes { Array($0) }, using: kek, authenticating: label + Array(keyId.utf8))
        guard let combined = box.combined else { throw SealingError.malformedWrappedKey }
        return Array(combined)
    }

    public static func unwrap(_ wrapped: [UInt8], with kek: SymmetricKey, keyId: String) throws -> SymmetricKey {
        guard wrapped.count == 12 + 32 + 16 else { throw SealingError.malformedWrappedKey }
        do {
            let box = try AES.GCM.SealedBox(combined: wrapped)
            return SymmetricKey(data: try AES.GCM.open(box, using: kek, authenticating: label + Array(keyId.utf8)))
        } catch {
            throw SealingError.authenticationFailed
        }
    }

    /// SSE-C: what the server keeps to recognise the customer's key later without storing it —
    /// HMAC-SHA256 under a server secret (salted, so equal customer keys on two servers differ).
    public static func customerKeyFingerprint(_ customerKey: [UInt8], serverSecret: SymmetricKey) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: customerKey, using: serverSecret))
    }

    /// SSE-C header check: 32 raw bytes whose MD5 matches the `-key-MD5` header (both base64).
    public static func customerKey(base64Key: String, base64MD5: String) -> [UInt8]? {
        guard let key = Data(base64Encoded: base64Key), key.count == 32, let md5 = Data(base64Encoded: base64MD5),
            Data(Insecure.MD5.hash(data: key)) == md5
        else { return nil }
        return Array(key)
    }
}
