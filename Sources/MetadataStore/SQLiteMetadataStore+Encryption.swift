import Foundation
import MagpieCore
import SQLKit

extension SQLiteMetadataStore {
    public func setBucketEncryption(bucket: String, encryption: ServerSideEncryption?) async throws {
        let encoded = try encryption.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        try await transaction { db in
            guard try await db.raw("SELECT 1 AS one FROM buckets WHERE name = \(bind: bucket)").first() != nil else {
                throw MagpieError(.noSuchBucket, details: [("BucketName", bucket)])
            }
            try await db.raw("UPDATE buckets SET encryption = \(bind: encoded) WHERE name = \(bind: bucket)").run()
        }
    }

    public func createKMSKey(_ key: KMSKeyRecord) async throws {
        try await transaction { db in
            guard try await db.raw("SELECT 1 AS one FROM kms_keys WHERE name = \(bind: key.name)").first() == nil else {
                throw KMSKeyExists(name: key.name)
            }
            try await db.raw(
                """
                INSERT INTO kms_keys (name, material, created_at, enabled)
                VALUES (\(bind: key.name), \(bind: key.material), \(bind: key.createdAt), \(bind: key.enabled))
                """
            ).run()
        }
    }

    public func kmsKey(named name: String) async throws -> KMSKeyRecord? {
        try await reader.raw("SELECT * FROM kms_keys WHERE name = \(bind: name)").first().map(Self.decodeKMSKey)
    }

    public func listKMSKeys() async throws -> [KMSKeyRecord] {
        try await reader.raw("SELECT * FROM kms_keys ORDER BY name").all().map(Self.decodeKMSKey)
    }

    public func setKMSKeyEnabled(_ name: String, enabled: Bool) async throws -> Bool {
        try await transaction { db in
            guard try await db.raw("SELECT 1 AS one FROM kms_keys WHERE name = \(bind: name)").first() != nil else { return false }
            try await db.raw("UPDATE kms_keys SET enabled = \(bind: enabled) WHERE name = \(bind: name)").run()
            return true
        }
    }

    static func decodeKMSKey(_ row: any SQLRow) throws -> KMSKeyRecord {
        KMSKeyRecord(
            name: try row.decode(column: "name", as: String.self), material: try row.decode(column: "material", as: String.self),
            createdAt: try row.decode(column: "created_at", as: Int64.self), enabled: try row.decode(column: "enabled", as: Bool.self)
        )
    }
}
