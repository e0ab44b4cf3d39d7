/// Generators and validators for account identifiers and keys.
public enum Credentials {
    static let upperAlnum = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    static let secretAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

    static func random(_ alphabet: [Character], count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// 20 characters, AWS-style (`MP…`).
    public static func newAccessKey() -> String { "MP" + random(upperAlnum, count: 18) }
    /// 40 characters, AWS-style.
    public static func newSecretKey() -> String { random(secretAlphabet, count: 40) }
    /// 64 lowercase hex characters, as S3 canonical user ids.
    public static func canonicalId() -> String { random(Array("0123456789abcdef"), count: 64) }

    /// Upload ids: 64 URL-safe characters, unguessable.
    public static func uploadId() -> String {
        random(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), count: 64)
    }

    static let versionAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    /// Version ids: 32 alphanumeric characters (URL-safe, never `null`).
    public static func versionId() -> String { random(versionAlphabet, count: 32) }

    static func isVersionIdByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    public static func isValidAccessKey(_ key: String) -> Bool { isASCIIName(key, lengths: 3...128, punctuation: "._-") }

    /// `lengths` bytes of ASCII letters, digits and the characters of `punctuation` (names of users,
    /// access keys, KMS keys).
    static func isASCIIName(_ text: String, lengths: ClosedRange<Int>, punctuation: String) -> Bool {
        lengths.contains(text.utf8.count)
            && text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || punctuation.unicodeScalars.contains($0)) }
    }

    public static func isValidSecretKey(_ key: String) -> Bool {
        (8...128).contains(key.utf8.count) && key.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F }
    }
}
