import Foundation
import MagpieCore
import SQLKit

extension SQLiteMetadataStore {
    public func createBucket(_ bucket: BucketRecord) async throws {
        try await transaction { db in
            if let row = try await db.raw("SELECT owner_id FROM buckets WHERE name = \(bind: bucket.name)").first() {
                let owner = try row.decode(column: "owner_id", as: String.self)
                throw MagpieError(owner == bucket.ownerId ? .bucketAlreadyOwnedByYou : .bucketAlreadyExists, details: [("BucketName", bucket.name)])
            }
            try await db.raw(
                """
                INSERT INTO buckets (name, owner_id, region, created_at, policy, cors, public_access_block, object_ownership, acl)
                VALUES (\(bind: bucket.name), \(bind: bucket.ownerId), \(bind: bucket.region), \(bind: bucket.createdAt),
                    \(bind: bucket.access.policy), \(bind: bucket.access.cors), \(bind: bucket.access.publicAccessBlock),
                    \(bind: bucket.access.objectOwnership), \(bind: bucket.access.acl))
                """
            ).run()
        }
    }

    public func bucket(_ name: String) async throws -> BucketRecord? {
        try await reader.raw("SELECT * FROM buckets WHERE name = \(bind: name)").first().map(Self.decodeBucket)
    }

    public func listBuckets(ownerId: String?) async throws -> [BucketRecord] {
        if let ownerId {
            return try await reader.raw("SELECT * FROM buckets WHERE owner_id = \(bind: ownerId) ORDER BY name").all().map(Self.decodeBucket)
        }
        return try await reader.raw("SELECT * FROM buckets ORDER BY name").all().map(Self.decodeBucket)
    }

    public func deleteBucket(_ name: String) async throws {
        try await transaction { db in
            guard try await db.raw("SELECT 1 AS one FROM buckets WHERE name = \(bind: name)").first() != nil else {
                throw MagpieError(.noSuchBucket, details: [("BucketName", name)])
            }
            if try await db.raw("SELECT 1 AS one FROM objects WHERE bucket = \(bind: name) LIMIT 1").first() != nil {
                throw MagpieError(.bucketNotEmpty, details: [("BucketName", name)])
            }
            try await db.raw("DELETE FROM buckets WHERE name = \(bind: name)").run()
        }
    }

    public func setVersioning(bucket: String, status: String) async throws {
        try await transaction { db in
            guard try await db.raw("SELECT 1 AS one FROM buckets WHERE name = \(bind: bucket)").first() != nil else {
                throw MagpieError(.noSuchBucket, details: [("BucketName", bucket)])
            }
            try await db.raw("UPDATE buckets SET versioning = \(bind: status) WHERE name = \(bind: bucket)").run()
        }
    }

    public func setBucketAccess(bucket: String, _ field: BucketAccessSettings.Field, value: String?) async throws {
        try await transaction { db in
            guard try await db.raw("SELECT 1 AS one FROM buckets WHERE name = \(bind: bucket)").first() != nil else {
                throw MagpieError(.noSuchBucket, details: [("BucketName", bucket)])
            }
            // The column name comes from a closed enum, never from the request.
            try await db.raw("UPDATE buckets SET \(unsafeRaw: field.rawValue) = \(bind: value) WHERE name = \(bind: bucket)").run()
        }
    }

    public func setBucketTags(bucket: String, tags: TagSet?) async throws {
        let encoded = try tags.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        try await transaction { db in
            try await db.raw("UPDATE buckets SET tags = \(bind: encoded) WHERE name = \(bind: bucket)").run()
        }
    }

    public func setObjectLock(bucket: String, configuration: ObjectLock.Configuration) async throws {
        let encoded = String(decoding: try JSONEncoder().encode(configuration), as: UTF8.self)
        try await transaction { db in
            try await db.raw("UPDATE buckets SET object_lock = \(bind: encoded), versioning = 'Enabled' WHERE name = \(bind: bucket)").run()
        }
    }

    static func decodeBucket(_ row: any SQLRow) throws -> BucketRecord {
        var bucket = BucketRecord(
            name: try row.decode(column: "name", as: String.self),
            ownerId: try row.decode(column: "owner_id", as: String.self),
            region: try row.decode(column: "region", as: String.self),
            createdAt: try row.decode(column: "created_at", as: Int64.self),
            versioning: try row.decode(column: "versioning", as: String?.self),
            tags: try row.decode(column: "tags", as: String?.self).map { try JSONDecoder().decode(TagSet.self, from: Data($0.utf8)) }
        )
        bucket.lifecycle = try row.decode(column: "lifecycle", as: String?.self)
        bucket.encryption = try row.decode(column: "encryption", as: String?.self).map {
            try JSONDecoder().decode(ServerSideEncryption.self, from: Data($0.utf8))
        }
        bucket.objectLock = try row.decode(column: "object_lock", as: String?.self).map {
            try JSONDecoder().decode(ObjectLock.Configuration.self, from: Data($0.utf8))
        }
        bucket.access = BucketAccessSettings(
            policy: try row.decode(column: "policy", as: String?.self), cors: try row.decode(column: "cors", as: String?.self),
            publicAccessBlock: try row.decode(column: "public_access_block", as: String?.self),
            objectOwnership: try row.decode(column: "object_ownership", as: String?.self), acl: try row.decode(column: "acl", as: String?.self)
        )
        return bucket
    }
}
