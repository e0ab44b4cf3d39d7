import Crypto
import MagpieCore
import Synchronization

/// The few primitives SigV4 and SigV2 are built from: HMAC, SHA-256, hex, constant-time compare.
enum AuthCrypto {
    static func hmacSHA256(key: some Sequence<UInt8>, _ message: String) -> [UInt8] {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: SymmetricKey(data: Array(key)))
        return Array(mac)
    }

    static func hmacSHA1(key: String, _ message: String) -> [UInt8] {
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Array(message.utf8), using: SymmetricKey(data: Array(key.utf8)))
        return Array(mac)
    }

    /// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").
    /// Signing keys recently derived, by secret, date, region and service: one derivation is four
    /// HMACs, and a client signs every request of a day with the same key. Bounded; cleared when full.
    static let signingKeys = Mutex<[String: [UInt8]]>([:])
    static let signingKeyCacheLimit = 1024

    static func signingKey(secretKey: String, date: String, region: String, service: String) -> [UInt8] {
        let cacheKey = "\(date)\u{0}\(region)\u{0}\(service)\u{0}\(secretKey)"
        if let cached = signingKeys.withLock({ $0[cacheKey] }) { return cached }
        let key = deriveSigningKey(secretKey: secretKey, date: date, region: region, service: service)
        signingKeys.withLock { cache in
            if cache.count >= signingKeyCacheLimit { cache.removeAll(keepingCapacity: true) }
            cache[cacheKey] = key
        }
        return key
    }

    static func deriveSigningKey(secretKey: String, date: String, region: String, service: String) -> [UInt8] {
        let kDate = hmacSHA256(key: Array(("AWS4" + secretKey).utf8), date)
        let kRegion = hmacSHA256(key: kDate, region)
        let kService = hmacSHA256(key: kRegion, service)
        return hmacSHA256(key: kService, "aws4_request")
    }

    static func sha256Hex(_ string: String) -> String {
        hex(SHA256.hash(data: Array(string.utf8)))
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        Array(bytes).hexString
    }


    /// True for exactly 64 hex digits (any case): the shape of a SHA-256 or SigV4 signature in hex.
    static func isSHA256Hex(_ value: String) -> Bool {
        value.utf8.count == 64 && value.utf8.allSatisfy { Hex.value($0) != nil }
    }
}
