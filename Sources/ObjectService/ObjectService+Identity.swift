import MagpieCore
import MetadataStore

extension ObjectService {
    public static let rootUserName = "root"

    /// Makes sure the root user exists and owns `accessKey`/`secretKey` (the configured root credentials).
    public func ensureRoot(accessKey: String, secretKey: String) async throws {
        let root: UserRecord
        if let existing = try await metadata.user(named: Self.rootUserName) {
            root = existing
        } else {
            root = UserRecord(canonicalId: Credentials.canonicalId(), name: Self.rootUserName, email: nil, isRoot: true, createdAt: Self.nowMillis())
            try await metadata.createUser(root)
        }
        if let key = try await metadata.accessKey(accessKey) {
            guard key.userId == root.canonicalId, key.secretKey == secretKey else {
                // The configured root key exists with another secret or owner: replace it, root wins.
                _ = try await metadata.deleteAccessKey(accessKey)
                return try await ensureRoot(accessKey: accessKey, secretKey: secretKey)
            }
            return
        }
        try await metadata.createAccessKey(AccessKeyRecord(accessKey: accessKey, secretKey: secretKey, userId: root.canonicalId, createdAt: Self.nowMillis()))
    }

    /// The secret and principal behind an access key, or nil when unknown.
    public func credentials(for accessKey: String) async throws -> (secretKey: String, principal: Principal)? {
        if let cached = credentialCache.get(accessKey) { return cached }
        let ticket = credentialCache.ticket()
        guard let key = try await metadata.accessKey(accessKey), let user = try await metadata.user(id: key.userId) else { return nil }
        let found = (secretKey: key.secretKey, principal: Principal(user: user, accessKey: key.accessKey))
        credentialCache.put(accessKey, found, ticket: ticket)
        return found
    }

    /// Removes an access key; false when there is none.
    public func deleteAccessKey(_ accessKey: String) async throws -> Bool {
        defer { credentialCache.invalidate(accessKey) }
        return try await metadata.deleteAccessKey(accessKey)
    }

    // MARK: Administration (root only; the admin API checks that)

    public func createUser(name: String, email: String?) async throws -> UserRecord {
        guard Self.isValidUserName(name) else {
            throw MagpieError(.invalidArgument, "User names are 1–64 characters of letters, digits and + = , . @ _ -.")
        }
        let user = UserRecord(canonicalId: Credentials.canonicalId(), name: name, email: email, isRoot: false, createdAt: Self.nowMillis())
        try await metadata.createUser(user)
        return user
    }

    public func deleteUser(name: String) async throws {
        guard name != Self.rootUserName else { throw MagpieError(.invalidArgument, "The root user cannot be deleted.") }
        defer { credentialCache.invalidateAll() }
        try await metadata.deleteUser(named: name)
    }

    public func createAccessKey(userName: String, accessKey: String?, secretKey: String?) async throws -> AccessKeyRecord {
        guard let user = try await metadata.user(named: userName) else { throw MagpieError(.noSuchUser, details: [("UserName", userName)]) }
        let access = accessKey ?? Credentials.newAccessKey()
        let secret = secretKey ?? Credentials.newSecretKey()
        guard Credentials.isValidAccessKey(access), Credentials.isValidSecretKey(secret) else {
            throw MagpieError(.invalidArgument, "Access keys are 3–128 characters of A-Z a-z 0-9 and . _ -; secret keys 8–128 printable characters.")
        }
        let record = AccessKeyRecord(accessKey: access, secretKey: secret, userId: user.canonicalId, createdAt: Self.nowMillis())
        try await metadata.createAccessKey(record)
        return record
    }

    static func isValidUserName(_ name: String) -> Bool {
        Credentials.isASCIIName(name, lengths: 1...64, punctuation: "+=,.@_-")
    }
}
