/// A principal a bucket policy names. Magpie's forms (documented in the README):
/// `"*"` or `{"AWS": "*"}` — everyone, anonymous requests included;
/// `arn:aws:iam::magpie:user/NAME` — every key of user NAME; `arn:aws:iam::magpie:root` — root;
/// a bare access key id — that one key; `{"CanonicalUser": "<64 hex>"}` — a user by canonical id.
public enum PolicyPrincipal: Sendable, Hashable {
    case anyone
    case user(String)
    case root
    case accessKey(String)
    case canonicalUser(String)

    public static let userARNPrefix = "arn:aws:iam::magpie:user/"
    public static let rootARN = "arn:aws:iam::magpie:root"

    public func matches(_ identity: AccessIdentity) -> Bool {
        switch self {
        case .anyone: return true
        case .user(let name): return identity.userName == name
        case .root: return identity.isRoot
        case .accessKey(let key): return identity.accessKey == key
        case .canonicalUser(let id): return identity.canonicalId == id
        }
    }

    static func parseAWS(_ text: String) -> PolicyPrincipal? {
        if text == "*" { return .anyone }
        if text == rootARN { return .root }
        if text.hasPrefix(userARNPrefix) {
            let name = String(text.dropFirst(userARNPrefix.count))
            guard !name.isEmpty, !name.contains("/"), !Wildcard.isPattern(name) else { return nil }
            return .user(name)
        }
        // Anything else must look like an access key id: 1–128 of A-Z a-z 0-9 . _ -
        let keyCharacter = { (c: Unicode.Scalar) in c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || "._-".unicodeScalars.contains(c)) }
        guard !text.isEmpty, text.utf8.count <= 128, text.unicodeScalars.allSatisfy(keyCharacter) else { return nil }
        return .accessKey(text)
    }

    static func parseCanonical(_ text: String) -> PolicyPrincipal? {
        guard text.utf8.count == 64, text.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || ("a"..."f").contains($0) }) else { return nil }
        return .canonicalUser(text)
    }
}
