import MagpieCore
import SQLKit

extension SQLiteMetadataStore {
    public func createUser(_ user: UserRecord) async throws {
        try await transaction { db in
            let existing = try await db.raw("SELECT 1 AS one FROM users WHERE name = \(bind: user.name)").first()
            if existing != nil { throw MagpieError(.userAlreadyExists, details: [("UserName", user.name)]) }
            try await db.raw(
                """
                INSERT INTO users (canonical_id, name, email, is_root, created_at)
                VALUES (\(bind: user.canonicalId), \(bind: user.name), \(bind: user.email), \(bind: user.isRoot), \(bind: user.createdAt))
                """
            ).run()
        }
    }

    public func user(named name: String) async throws -> UserRecord? {
        try await reader.raw("SELECT * FROM users WHERE name = \(bind: name)").first().map(Self.decodeUser)
    }

    public func user(id: String) async throws -> UserRecord? {
        try await reader.raw("SELECT * FROM users WHERE canonical_id = \(bind: id)").first().map(Self.decodeUser)
    }

    public func listUsers() async throws -> [UserRecord] {
        try await reader.raw("SELECT * FROM users ORDER BY name").all().map(Self.decodeUser)
    }

    public func deleteUser(named name: String) async throws {
        try await transaction { db in
            guard let row = try await db.raw("SELECT canonical_id FROM users WHERE name = \(bind: name)").first() else {
                throw MagpieError(.noSuchUser, details: [("UserName", name)])
            }
            let id = try row.decode(column: "canonical_id", as: String.self)
            if try await db.raw("SELECT 1 AS one FROM buckets WHERE owner_id = \(bind: id) LIMIT 1").first() != nil {
                throw MagpieError(.userHasResources)
            }
            try await db.raw("DELETE FROM access_keys WHERE user_id = \(bind: id)").run()
            try await db.raw("DELETE FROM users WHERE canonical_id = \(bind: id)").run()
        }
    }

    public func createAccessKey(_ key: AccessKeyRecord) async throws {
        try await transaction { db in
            if try await db.raw("SELECT 1 AS one FROM access_keys WHERE access_key = \(bind: key.accessKey)").first() != nil {
                throw MagpieError(.accessKeyAlreadyExists)
            }
            guard try await db.raw("SELECT 1 AS one FROM users WHERE canonical_id = \(bind: key.userId)").first() != nil else {
                throw MagpieError(.noSuchUser)
            }
            try await db.raw(
                """
                INSERT INTO access_keys (access_key, secret_key, user_id, created_at)
                VALUES (\(bind: key.accessKey), \(bind: key.secretKey), \(bind: key.userId), \(bind: key.createdAt))
                """
            ).run()
        }
    }

    public func accessKey(_ accessKey: String) async throws -> AccessKeyRecord? {
        try await reader.raw("SELECT * FROM access_keys WHERE access_key = \(bind: accessKey)").first().map(Self.decodeKey)
    }

    public func listAccessKeys(userId: String?) async throws -> [AccessKeyRecord] {
        if let userId {
            return try await reader.raw("SELECT * FROM access_keys WHERE user_id = \(bind: userId) ORDER BY access_key").all().map(Self.decodeKey)
        }
        return try await reader.raw("SELECT * FROM access_keys ORDER BY access_key").all().map(Self.decodeKey)
    }

    public func deleteAccessKey(_ accessKey: String) async throws -> Bool {
        try await transaction { db in
            let found = try await db.raw("SELECT 1 AS one FROM access_keys WHERE access_key = \(bind: accessKey)").first() != nil
            if found { try await db.raw("DELETE FROM access_keys WHERE access_key = \(bind: accessKey)").run() }
            return found
        }
    }

    static func decodeUser(_ row: any SQLRow) throws -> UserRecord {
        UserRecord(
            canonicalId: try row.decode(column: "canonical_id", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            email: try row.decode(column: "email", as: String?.self),
            isRoot: try row.decode(column: "is_root", as: Bool.self),
            createdAt: try row.decode(column: "created_at", as: Int64.self)
        )
    }

    static func decodeKey(_ row: any SQLRow) throws -> AccessKeyRecord {
        AccessKeyRecord(
            accessKey: try row.decode(column: "access_key", as: String.self),
            secretKey: try row.decode(column: "secret_key", as: String.self),
            userId: try row.decode(column: "user_id", as: String.self),
            createdAt: try row.decode(column: "created_at", as: Int64.self)
        )
    }
}
