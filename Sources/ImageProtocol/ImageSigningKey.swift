import MagpieCore

/// One key/salt pair for image URL signatures (imgproxy's `IMGPROXY_KEY`/`IMGPROXY_SALT`).
///
/// Several pairs may be configured at once so keys can be rotated: a URL is accepted when any
/// pair verifies it. The description never shows the bytes, so a logged configuration does not
/// leak the secret.
public struct ImageSigningKey: Sendable, Hashable, CustomStringConvertible {
    public var key: [UInt8]
    public var salt: [UInt8]

    public init(key: [UInt8], salt: [UInt8]) {
        self.key = key
        self.salt = salt
    }

    /// From hex strings, as imgproxy's configuration gives them. nil when either is empty, of odd
    /// length or not hex.
    public init?(hexKey: String, hexSalt: String) {
        guard let key = Hex.decode(hexKey), let salt = Hex.decode(hexSalt), !key.isEmpty, !salt.isEmpty else {
            return nil
        }
        self.init(key: key, salt: salt)
    }

    public var description: String { "ImageSigningKey(\(key.count)-byte key, \(salt.count)-byte salt)" }
}
