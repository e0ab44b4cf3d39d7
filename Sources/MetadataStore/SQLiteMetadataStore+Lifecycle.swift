import Foundation
import MagpieCore
import SQLKit

extension SQLiteMetadataStore {
    public func setLifecycle(bucket: String, configuration: String?) async throws {
        try await transaction { db in
            guard try await db.raw("SELECT 1 AS one FROM buckets WHERE name = \(bind: bucket)").first() != nil else {
                throw MagpieError(.noSuchBucket, details: [("BucketName", bucket)])
            }
            try await db.raw("UPDATE buckets SET lifecycle = \(bind: configuration) WHERE name = \(bind: bucket)").run()
        }
    }

    public func bucketsWithLifecycle() async throws -> [BucketRecord] {
        try await reader.raw("SELECT * FROM buckets WHERE lifecycle IS NOT NULL ORDER BY name").all().map(Self.decodeBucket)
    }

    public func versionsOfKeys(bucket: String, after afterKey: String?, keyLimit: Int) async throws -> [ObjectRecord] {
        let after = Data((afterKey ?? "").utf8)
        return try await reader.raw(
            """
            SELECT * FROM objects WHERE bucket = \(bind: bucket) AND key IN (
                SELECT key FROM objects WHERE bucket = \(bind: bucket) AND is_latest = 1 AND key \(unsafeRaw: afterKey == nil ? ">=" : ">") \(bind: after)
                ORDER BY key LIMIT \(bind: keyLimit))
            ORDER BY key, seq DESC
            """
        ).all().map(Self.decodeObject)
    }

    /// Inside a transaction: the version as stored now, if it still is `expected` (same blob, time, kind).
    static func unchanged(_ db: any SQLDatabase, _ expected: ObjectRecord) async throws -> ObjectRecord? {
        guard let now = try await version(db, expected.bucket, expected.key, expected.versionId), now.blobId == expected.blobId,
            now.lastModified == expected.lastModified, now.isDeleteMarker == expected.isDeleteMarker,
            now.legalHold == expected.legalHold, now.retention == expected.retention
        else { return nil }
        return now
    }

    public func switchBlob(_ expected: ObjectRecord, to newBlobId: String, tier: String, storageClass: String) async throws -> Bool {
        try await transaction { db in
            guard try await Self.unchanged(db, expected) != nil else { return false }
            try await db.raw(
                """
                UPDATE objects SET blob_id = \(bind: newBlobId), tier = \(bind: tier), storage_class = \(bind: storageClass)
                WHERE bucket = \(bind: expected.bucket) AND key = \(bind: Data(expected.key.utf8)) AND version_id = \(bind: expected.versionId)
                """
            ).run()
            return true
        }
    }

    public func expireCurrent(_ expected: ObjectRecord, marker: ObjectRecord?) async throws -> [String]? {
        try await transaction { db in
            guard let current = try await Self.current(db, bucket: expected.bucket, key: expected.key), current.versionId == expected.versionId,
                try await Self.unchanged(db, expected) != nil
            else { return nil }
            guard let marker else {
                try await Self.deleteRow(db, current)
                return [current.blobId] + (current.restore?.blobId.map { [$0] } ?? [])
            }
            return try await Self.replaceCurrent(db, with: marker, condition: .none)
        }
    }

    public func removeVersion(_ expected: ObjectRecord) async throws -> [String]? {
        try await transaction { db in
            guard let removed = try await Self.unchanged(db, expected) else { return nil }
            try await Self.deleteRow(db, removed)
            if removed.isLatest {
                try await db.raw(
                    """
                    UPDATE objects SET is_latest = 1 WHERE rowid = (SELECT rowid FROM objects WHERE bucket = \(bind: removed.bucket)
                        AND key = \(bind: Data(removed.key.utf8)) ORDER BY seq DESC LIMIT 1)
                    """
                ).run()
            }
            return (removed.isDeleteMarker ? [] : [removed.blobId]) + (removed.restore?.blobId.map { [$0] } ?? [])
        }
    }

    public func updateRestore(bucket: String, key: String, versionId: String?, update: RestoreUpdate) async throws
        -> (before: ObjectRecord, after: ObjectRecord)
    {
        try await transaction { db in
            let before = try await Self.liveVersion(db, bucket, key, versionId)
            var after = before
            after.restore = try update.decide(before)
            let encoded = try after.restore.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
            try await db.raw(
                """
                UPDATE objects SET restore = \(bind: encoded), restore_due = \(bind: after.restore?.due),
                    restored_blob_id = \(bind: after.restore?.blobId)
                WHERE bucket = \(bind: bucket) AND key = \(bind: Data(key.utf8)) AND version_id = \(bind: before.versionId)
                """
            ).run()
            return (before, after)
        }
    }

    public func restoresDue(by now: Int64, limit: Int) async throws -> [ObjectRecord] {
        try await reader.raw(
            "SELECT * FROM objects WHERE restore_due IS NOT NULL AND restore_due <= \(bind: now) ORDER BY restore_due LIMIT \(bind: limit)"
        ).all().map(Self.decodeObject)
    }

    public func lifecycleProgress(_ name: String) async throws -> String? {
        try await reader.raw("SELECT value FROM lifecycle_progress WHERE name = \(bind: name)").first()
            .map { try $0.decode(column: "value", as: String.self) }
    }

    public func setLifecycleProgress(_ name: String, value: String?) async throws {
        try await transaction { db in
            if let value {
                try await db.raw(
                    "INSERT INTO lifecycle_progress (name, value) VALUES (\(bind: name), \(bind: value)) ON CONFLICT (name) DO UPDATE SET value = excluded.value"
                ).run()
            } else {
                try await db.raw("DELETE FROM lifecycle_progress WHERE name = \(bind: name)").run()
            }
        }
    }

    public func usage() async throws -> [UsageRecord] {
        let stored = try await reader.raw(
            """
            SELECT bucket, storage_class, COUNT(*) AS objects, SUM(size) AS bytes FROM objects WHERE is_delete_marker = 0
            GROUP BY bucket, storage_class ORDER BY bucket, storage_class
            """
        ).all().map { row in
            UsageRecord(
                bucket: try row.decode(column: "bucket", as: String.self), storageClass: try row.decode(column: "storage_class", as: String.self),
                objects: try row.decode(column: "objects", as: Int64.self), bytes: try row.decode(column: "bytes", as: Int64?.self) ?? 0
            )
        }
        let restored = try await reader.raw(
            """
            SELECT bucket, COUNT(*) AS objects, SUM(size) AS bytes FROM objects WHERE restored_blob_id IS NOT NULL
            GROUP BY bucket ORDER BY bucket
            """
        ).all().map { row in
            UsageRecord(
                bucket: try row.decode(column: "bucket", as: String.self), storageClass: "STANDARD",
                objects: try row.decode(column: "objects", as: Int64.self), bytes: try row.decode(column: "bytes", as: Int64?.self) ?? 0,
                restoredCopies: true
            )
        }
        return stored + restored
    }

    public func tiersInUse() async throws -> Set<String> {
        var tiers = Set(try await reader.raw("SELECT DISTINCT tier FROM objects").all().map { try $0.decode(column: "tier", as: String.self) })
        for row in try await reader.raw("SELECT restore FROM objects WHERE restored_blob_id IS NOT NULL").all() {
            if let json = try row.decode(column: "restore", as: String?.self),
                let tier = try JSONDecoder().decode(RestoreState.self, from: Data(json.utf8)).tier
            {
                tiers.insert(tier)
            }
        }
        return tiers
    }
}
