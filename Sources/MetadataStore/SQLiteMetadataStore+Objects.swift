import Foundation
import MagpieCore
import SQLKit

extension SQLiteMetadataStore {
    public func currentObject(bucket: String, key: String) async throws -> ObjectRecord? {
        try await Self.current(reader, bucket: bucket, key: key)
    }

    static func current(_ db: any SQLDatabase, bucket: String, key: String) async throws -> ObjectRecord? {
        try await db.raw(
            "SELECT * FROM objects WHERE bucket = \(bind: bucket) AND key = \(bind: Data(key.utf8)) AND is_latest = 1"
        ).first().map(Self.decodeObject)
    }

    public func putObject(_ record: ObjectRecord, condition: WriteCondition) async throws -> [String] {
        try await transaction { db in try await Self.replaceCurrent(db, with: record, condition: condition) }
    }

    /// Inside a write transaction: checks the bucket and `condition`, then makes `record` the current
    /// object. Returns the blob ids the replaced version no longer needs.
    static func replaceCurrent(_ db: any SQLDatabase, with record: ObjectRecord, condition: WriteCondition) async throws -> [String] {
        guard try await db.raw("SELECT 1 AS one FROM buckets WHERE name = \(bind: record.bucket)").first() != nil else {
            throw MagpieError(.noSuchBucket, details: [("BucketName", record.bucket)])
        }
        let existing = try await Self.current(db, bucket: record.bucket, key: record.key)
        try condition.check(against: existing, key: record.key)
        var released: [String] = []
        // The same version id (the `null` version of unversioned and suspended buckets) is replaced
        // wherever it sits in the history; every other version stays.
        if let same = existing?.versionId == record.versionId ? existing : try await Self.version(db, record.bucket, record.key, record.versionId) {
            if !same.blobId.isEmpty { released.append(same.blobId) }
            if let restored = same.restore?.blobId { released.append(restored) }
            try await Self.deleteRow(db, same)
        }
        try await db.raw(
            "UPDATE objects SET is_latest = 0 WHERE bucket = \(bind: record.bucket) AND key = \(bind: Data(record.key.utf8)) AND is_latest = 1"
        ).run()
        try await Self.insert(db, record)
        return released.filter { $0 != record.blobId }
    }

    static func version(_ db: any SQLDatabase, _ bucket: String, _ key: String, _ versionId: String) async throws -> ObjectRecord? {
        try await db.raw(
            "SELECT * FROM objects WHERE bucket = \(bind: bucket) AND key = \(bind: Data(key.utf8)) AND version_id = \(bind: versionId)"
        ).first().map(Self.decodeObject)
    }

    public func objectVersion(bucket: String, key: String, versionId: String) async throws -> ObjectRecord? {
        try await Self.version(reader, bucket, key, versionId)
    }

    public func deleteVersion(bucket: String, key: String, versionId: String) async throws -> ObjectRecord? {
        try await transaction { db in
            guard let removed = try await Self.version(db, bucket, key, versionId) else { return nil }
            try await Self.deleteRow(db, removed)
            if removed.isLatest {
                // The next newest version (or delete marker) becomes current again.
                try await db.raw(
                    """
                    UPDATE objects SET is_latest = 1 WHERE rowid = (SELECT rowid FROM objects WHERE bucket = \(bind: bucket)
                        AND key = \(bind: Data(key.utf8)) ORDER BY seq DESC LIMIT 1)
                    """
                ).run()
            }
            return removed
        }
    }

    public func listVersions(bucket: String, prefix: String, keyMarker: String?, versionIdMarker: String?, limit: Int) async throws
        -> [ObjectRecord]
    {
        var query = SQLQueryString("SELECT * FROM objects WHERE bucket = \(bind: bucket) AND key >= \(bind: Data(prefix.utf8))")
        if let upper = ListCursor.successor(of: Array(prefix.utf8)) {
            query.appendInterpolation(unsafeRaw: " AND key < ")
            query.appendInterpolation(bind: Data(upper))
        }
        if let keyMarker {
            let marker = Data(keyMarker.utf8)
            query.appendInterpolation(unsafeRaw: " AND (key > ")
            query.appendInterpolation(bind: marker)
            if let versionIdMarker {
                query.appendInterpolation(unsafeRaw: " OR (key = ")
                query.appendInterpolation(bind: marker)
                query.appendInterpolation(unsafeRaw: " AND seq < (SELECT seq FROM objects WHERE bucket = ")
                query.appendInterpolation(bind: bucket)
                query.appendInterpolation(unsafeRaw: " AND key = ")
                query.appendInterpolation(bind: marker)
                query.appendInterpolation(unsafeRaw: " AND version_id = ")
                query.appendInterpolation(bind: versionIdMarker)
                query.appendInterpolation(unsafeRaw: ")")
                query.appendInterpolation(unsafeRaw: ")")
            }
            query.appendInterpolation(unsafeRaw: ")")
        }
        query.appendInterpolation(unsafeRaw: " ORDER BY key, seq DESC LIMIT ")
        query.appendInterpolation(bind: limit)
        return try await reader.raw(query).all().map(Self.decodeObject)
    }

    /// Inside a transaction: `versionId` (or the current version), which must exist and not be a delete marker.
    static func liveVersion(_ db: any SQLDatabase, _ bucket: String, _ key: String, _ versionId: String?) async throws -> ObjectRecord {
        let found = if let versionId { try await Self.version(db, bucket, key, versionId) } else { try await Self.current(db, bucket: bucket, key: key) }
        guard let record = found, !record.isDeleteMarker else {
            throw MagpieError(versionId == nil ? .noSuchKey : .noSuchVersion, details: [("Key", key)])
        }
        return record
    }

    public func setTags(bucket: String, key: String, versionId: String?, tags: TagSet) async throws -> ObjectRecord {
        let encoded = tags.isEmpty ? nil : String(decoding: try JSONEncoder().encode(tags), as: UTF8.self)
        return try await transaction { db in
            var record = try await Self.liveVersion(db, bucket, key, versionId)
            try await db.raw(
                """
                UPDATE objects SET tags = \(bind: encoded) WHERE bucket = \(bind: bucket) AND key = \(bind: Data(key.utf8))
                AND version_id = \(bind: record.versionId)
                """
            ).run()
            record.tags = tags
            return record
        }
    }

    public func setObjectACL(bucket: String, key: String, versionId: String?, acl: String?) async throws -> ObjectRecord {
        try await transaction { db in
            var record = try await Self.liveVersion(db, bucket, key, versionId)
            try await db.raw(
                """
                UPDATE objects SET acl = \(bind: acl) WHERE bucket = \(bind: bucket) AND key = \(bind: Data(key.utf8))
                AND version_id = \(bind: record.versionId)
                """
            ).run()
            record.acl = acl
            return record
        }
    }

    public func setLock(bucket: String, key: String, versionId: String?, update: ObjectLockUpdate) async throws -> ObjectRecord {
        try await transaction { db in
            var record = try await Self.liveVersion(db, bucket, key, versionId)
            try update.validate(record)
            switch update.change {
            case .retention(let retention):
                record.retention = retention
                let encoded = try retention.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
                try await db.raw(
                    "UPDATE objects SET retention = \(bind: encoded) WHERE bucket = \(bind: bucket) AND key = \(bind: Data(key.utf8)) AND version_id = \(bind: record.versionId)"
                ).run()
            case .legalHold(let on):
                record.legalHold = on
                try await db.raw(
                    "UPDATE objects SET legal_hold = \(bind: on) WHERE bucket = \(bind: bucket) AND key = \(bind: Data(key.utf8)) AND version_id = \(bind: record.versionId)"
                ).run()
            }
            return record
        }
    }

    public func deleteObject(bucket: String, key: String) async throws -> ObjectRecord? {
        try await transaction { db in
            guard let existing = try await Self.current(db, bucket: bucket, key: key) else { return nil }
            try await Self.deleteRow(db, existing)
            return existing
        }
    }

    public func listObjects(bucket: String, prefix: String, from cursor: ListCursor?, limit: Int) async throws -> [ObjectRecord] {
        let prefixBytes = Array(prefix.utf8)
        var lower = ListCursor(bytes: prefixBytes, inclusive: true)
        if let cursor, !cursor.bytes.lexicographicallyPrecedes(prefixBytes) { lower = cursor }
        var query = SQLQueryString("SELECT * FROM objects WHERE bucket = \(bind: bucket) AND is_latest = 1 AND is_delete_marker = 0")
        query.appendInterpolation(unsafeRaw: lower.inclusive ? " AND key >= " : " AND key > ")
        query.appendInterpolation(bind: Data(lower.bytes))
        if let upper = ListCursor.successor(of: prefixBytes) {
            query.appendInterpolation(unsafeRaw: " AND key < ")
            query.appendInterpolation(bind: Data(upper))
        }
        query.appendInterpolation(unsafeRaw: " ORDER BY key LIMIT ")
        query.appendInterpolation(bind: limit)
        return try await reader.raw(query).all().map(Self.decodeObject)
    }

    public func referencedBlobIds(_ blobIds: [String]) async throws -> Set<String> {
        var found = Set<String>()
        for batch in stride(from: 0, to: blobIds.count, by: 200).map({ Array(blobIds[$0..<min($0 + 200, blobIds.count)]) }) {
            for table in ["objects", "parts"] {
                let rows = try await reader.select().column("blob_id").from(table).where("blob_id", .in, batch).all()
                for row in rows { found.insert(try row.decode(column: "blob_id", as: String.self)) }
            }
            // Restored copies of archived versions are referenced too.
            let rows = try await reader.select().column("restored_blob_id").from("objects").where("restored_blob_id", .in, batch).all()
            for row in rows { found.insert(try row.decode(column: "restored_blob_id", as: String.self)) }
        }
        return found
    }

    static func deleteRow(_ db: any SQLDatabase, _ record: ObjectRecord) async throws {
        try await db.raw(
            """
            DELETE FROM objects WHERE bucket = \(bind: record.bucket) AND key = \(bind: Data(record.key.utf8))
            AND version_id = \(bind: record.versionId)
            """
        ).run()
    }

    static func insert(_ db: any SQLDatabase, _ r: ObjectRecord) async throws {
        let headers = String(decoding: try JSONEncoder().encode(r.headers), as: UTF8.self)
        let partSizes = try r.partSizes.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        let partChecksums = try r.partChecksums.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        let retention = try r.retention.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        let tags = r.tags.isEmpty ? nil : String(decoding: try JSONEncoder().encode(r.tags), as: UTF8.self)
        let restore = try r.restore.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        let encryption = try r.encryption.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        try await db.raw(
            """
            INSERT INTO objects (bucket, key, version_id, is_latest, is_delete_marker, size, etag, last_modified, headers,
                blob_id, checksum_algorithm, checksum_value, integrity_crc32c, storage_class, owner_id, part_sizes, tags, part_checksums,
                retention, legal_hold, acl, tier, restore, restore_due, restored_blob_id, encryption)
            VALUES (\(bind: r.bucket), \(bind: Data(r.key.utf8)), \(bind: r.versionId), \(bind: r.isLatest), \(bind: r.isDeleteMarker),
                \(bind: r.size), \(bind: r.etag), \(bind: r.lastModified), \(bind: headers), \(bind: r.blobId),
                \(bind: r.checksumAlgorithm), \(bind: r.checksumValue), \(bind: Int64(r.integrityCRC32C)), \(bind: r.storageClass),
                \(bind: r.ownerId), \(bind: partSizes), \(bind: tags), \(bind: partChecksums),
                \(bind: retention), \(bind: r.legalHold), \(bind: r.acl), \(bind: r.tier), \(bind: restore), \(bind: r.restore?.due),
                \(bind: r.restore?.blobId), \(bind: encryption))
            """
        ).run()
        // Versions are ordered newest-first by `seq`; SQLite's rowid already grows with every insert.
        try await db.raw("UPDATE objects SET seq = rowid WHERE rowid = last_insert_rowid()").run()
    }

    static func decodeObject(_ row: any SQLRow) throws -> ObjectRecord {
        let headersJSON = try row.decode(column: "headers", as: String.self)
        var record = ObjectRecord(
            bucket: try row.decode(column: "bucket", as: String.self),
            key: String(decoding: try row.decode(column: "key", as: Data.self), as: UTF8.self),
            versionId: try row.decode(column: "version_id", as: String.self),
            isLatest: try row.decode(column: "is_latest", as: Bool.self),
            isDeleteMarker: try row.decode(column: "is_delete_marker", as: Bool.self),
            size: try row.decode(column: "size", as: Int64.self),
            etag: try row.decode(column: "etag", as: String.self),
            lastModified: try row.decode(column: "last_modified", as: Int64.self),
            headers: try JSONDecoder().decode([String: String].self, from: Data(headersJSON.utf8)),
            blobId: try row.decode(column: "blob_id", as: String.self),
            checksumAlgorithm: try row.decode(column: "checksum_algorithm", as: String?.self),
            checksumValue: try row.decode(column: "checksum_value", as: String?.self),
            integrityCRC32C: UInt32(truncatingIfNeeded: try row.decode(column: "integrity_crc32c", as: Int64.self)),
            storageClass: try row.decode(column: "storage_class", as: String.self),
            ownerId: try row.decode(column: "owner_id", as: String.self),
            partSizes: try row.decode(column: "part_sizes", as: String?.self).map { try JSONDecoder().decode([Int64].self, from: Data($0.utf8)) },
            tags: try row.decode(column: "tags", as: String?.self).map { try JSONDecoder().decode(TagSet.self, from: Data($0.utf8)) } ?? TagSet()
        )
        record.retention = try row.decode(column: "retention", as: String?.self).map {
            try JSONDecoder().decode(ObjectLock.Retention.self, from: Data($0.utf8))
        }
        record.legalHold = try row.decode(column: "legal_hold", as: Bool.self)
        record.acl = try row.decode(column: "acl", as: String?.self)
        record.tier = try row.decode(column: "tier", as: String.self)
        record.restore = try row.decode(column: "restore", as: String?.self).map {
            try JSONDecoder().decode(RestoreState.self, from: Data($0.utf8))
        }
        record.partChecksums = try row.decode(column: "part_checksums", as: String?.self).map {
            try JSONDecoder().decode([String].self, from: Data($0.utf8))
        }
        record.encryption = try row.decode(column: "encryption", as: String?.self).map {
            try JSONDecoder().decode(StoredEncryption.self, from: Data($0.utf8))
        }
        return record
    }
}
