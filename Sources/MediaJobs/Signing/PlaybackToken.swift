import Crypto
import MagpieCore

/// A prefix-signed playback grant: `/p/{token}/{path under the prefix}`. The token carries bucket,
/// prefix and expiry and an HMAC over them, so one URL loads `master.m3u8` and every relative
/// playlist and segment below it.
public struct PlaybackToken: Sendable, Equatable {
    public var bucket: String
    public var prefix: String
    public var expires: Int64

    public init(bucket: String, prefix: String, expires: Int64) {
        self.bucket = bucket
        self.prefix = prefix
        self.expires = expires
    }

    /// `base64url(bucket NUL prefix NUL expires) . base64url(HMAC-SHA256)`.
    public func encode(key: [UInt8]) -> String {
        let payload = Array("\(bucket)\u{0}\(prefix)\u{0}\(expires)".utf8)
        return Base64URL.encode(payload) + "." + Base64URL.encode(Self.mac(payload, key: key))
    }

    static func mac(_ payload: [UInt8], key: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array("playback:".utf8) + payload, using: SymmetricKey(data: key)))
    }

    public enum Failure: Error, Equatable { case malformed, badSignature, expired }

    /// Checks the signature first, then the expiry.
    public static func decode(_ token: String, key: [UInt8], now: Int64) throws(Failure) -> PlaybackToken {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = Base64URL.decode(String(parts[0])), let signature = Base64URL.decode(String(parts[1])) else {
            throw .malformed
        }
        guard ConstantTime.equals(signature, mac(payload, key: key)) else { throw .badSignature }
        let fields = payload.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        guard fields.count == 3, let expires = Int64(fields[2]) else { throw .malformed }
        guard now <= expires else { throw .expired }
        return PlaybackToken(bucket: fields[0], prefix: fields[1], expires: expires)
    }
}
