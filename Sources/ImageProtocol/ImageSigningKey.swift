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
        guard let key = Self.bytes(fromHex: hexKey), let salt = Self.bytes(fromHex: hexSalt), !key.isEmpty, !salt.isEmpty else {
            return nil
        }
        self.init(key: key, salt: salt)
    }

    public var description: String { "ImageSigningKey(\(key.count)-byte key, \(salt.count)-byte salt)" }

    static func bytes(fromHex hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = URLCoding.hexValue(digits[index]), let low = URLCoding.hexValue(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }
}
