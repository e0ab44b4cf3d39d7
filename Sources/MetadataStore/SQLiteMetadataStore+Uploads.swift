import Foundation
import MagpieCore
import SQLKit

extension SQLiteMetadataStore {
    public func createUpload(_ upload: UploadRecord) async throws {
        let headers = String(decoding: try JSONEncoder().encode(upload.headers), as: UTF8.self)
        let tags = upload.tags.isEmpty ? nil : String(decoding: try JSONEncoder().encode(upload.tags), as: UTF8.self)
        let encryption = try upload.encryption.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        try await transaction { db in
            guard try await db.raw("SELECT 1 AS one FROM buckets WHERE name = \(bind: upload.bucket)").first() != nil else {
                throw MagpieError(.noSuchBucket, details: [("BucketName", upload.bucket)])
            }
            try await db.raw(
                """
                INSERT INTO uploads (upload_id, bucket, key, initiated, owner_id, headers, checksum_algorithm, checksum_type, storage_class, tags, acl,
                    encryption)
                VALUES (\(bind: upload.uploadId), \(bind: upload.bucket), \(bind: Data(upload.key.utf8)), \(bind: upload.initiated),
                    \(bind: upload.ownerId), \(bind: headers), \(bind: upload.checksumAlgorithm), \(bind: upload.checksumType),
                    \(bind: upload.storageClass), \(bind: tags), \(bind: upload.acl), \(bind: encryption))
                """
            ).run()
        }
    }

    public func upload(_ uploadId: String) async throws -> UploadRecord? {
        try await reader.raw("SELECT * FROM uploads WHERE upload_id = \(bind: uploadId)").first().map(Self.decodeUpload)
    }

    public func putPart(_ part: PartRecord) async throws -> [String] {
        let sealing = try part.sealing.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        return try await transaction { db in
            guard try await db.raw("SELECT 1 AS one FROM uploads WHERE upload_id = \(bind: part.uploadId)").first() != nil else {
                throw MagpieError(.noSuchUpload, details: [("UploadId", part.uploadId)])
            }
            let old = try await db.raw(
                "SELECT blob_id FROM parts WHERE upload_id = \(bind: part.uploadId) AND part_number = \(bind: part.partNumber)"
            ).first().map { try $0.decode(column: "blob_id", as: String.self) }
            try await db.raw(
                """
                INSERT OR REPLACE INTO parts (upload_id, part_number, size, etag, blob_id, checksum_value, crc32c, last_modified, sealing)
                VALUES (\(bind: part.uploadId), \(bind: part.partNumber), \(bind: part.size), \(bind: part.etag), \(bind: part.blobId),
                    \(bind: part.checksumValue), \(bind: Int64(part.crc32c)), \(bind: part.lastModified), \(bind: sealing))
                """
            ).run()
            return old.map { [$0] } ?? []
        }
    }

    public func parts(uploadId: String) async throws -> [PartRecord] {
        try await reader.raw("SELECT * FROM parts WHERE upload_id = \(bind: uploadId) ORDER BY part_number").all().map(Self.decodePart)
    }

    public func listUploads(bucket: String, prefix: String, keyMarker: String?, uploadIdMarker: String?, limit: Int) async throws
        -> [UploadRecord]
    {
        let prefixBytes = Data(prefix.utf8)
        var query = SQLQueryString("SELECT * FROM uploads WHERE bucket = \(bind: bucket) AND key >= \(bind: prefixBytes)")
        if let upper = ListCursor.successor(of: Array(prefix.utf8)) {
            query.appendInterpolation(unsafeRaw: " AND key < ")
            query.appendInterpolation(bind: Data(upper))
        }
        if let keyMarker {
            let marker = Data(keyMarker.utf8)
            if let uploadIdMarker {
                query.appendInterpolation(unsafeRaw: " AND (key > ")
                query.appendInterpolation(bind: marker)
                query.appendInterpolation(unsafeRaw: " OR (key = ")
                query.appendInterpolation(bind: marker)
                query.appendInterpolation(unsafeRaw: " AND upload_id > ")
                query.appendInterpolation(bind: uploadIdMarker)
                query.appendInterpolation(unsafeRaw: "))")
            } else {
                query.appendInterpolation(unsafeRaw: " AND key > ")
                query.appendInterpolation(bind: marker)
            }
        }
        query.appendInterpolation(unsafeRaw: " ORDER BY key, upload_id LIMIT ")
        query.appendInterpolation(bind: limit)
        return try await reader.raw(query).all().map(Self.decodeUpload)
    }

    public func completeUpload(_ uploadId: String, record: ObjectRecord, condition: WriteCondition) async throws -> [String] {
        try await transaction { db in
            let partBlobs = try await Self.endUpload(db, uploadId)
            return partBlobs + (try await Self.replaceCurrent(db, with: record, condition: condition))
        }
    }

    public func abortUpload(_ uploadId: String) async throws -> [String] {
        try await transaction { db in try await Self.endUpload(db, uploadId) }
    }

    /// Removes the upload and its parts inside a transaction; returns the part blob ids.
    static func endUpload(_ db: any SQLDatabase, _ uploadId: String) async throws -> [String] {
        guard try await db.raw("SELECT 1 AS one FROM uploads WHERE upload_id = \(bind: uploadId)").first() != nil else {
            throw MagpieError(.noSuchUpload, details: [("UploadId", uploadId)])
        }
        let blobs = try await db.raw("SELECT blob_id FROM parts WHERE upload_id = \(bind: uploadId)").all().map {
            try $0.decode(column: "blob_id", as: String.self)
        }
        try await db.raw("DELETE FROM parts WHERE upload_id = \(bind: uploadId)").run()
        try await db.raw("DELETE FROM uploads WHERE upload_id = \(bind: uploadId)").run()
        return blobs
    }

    static func decodeUpload(_ row: any SQLRow) throws -> UploadRecord {
        var upload = UploadRecord(
            uploadId: try row.decode(column: "upload_id", as: String.self),
            bucket: try row.decode(column: "bucket", as: String.self),
            key: String(decoding: try row.decode(column: "key", as: Data.self), as: UTF8.self),
            initiated: try row.decode(column: "initiated", as: Int64.self),
            ownerId: try row.decode(column: "owner_id", as: String.self),
            headers: try JSONDecoder().decode([String: String].self, from: Data(try row.decode(column: "headers", as: String.self).utf8)),
            checksumAlgorithm: try row.decode(column: "checksum_algorithm", as: String?.self),
            checksumType: try row.decode(column: "checksum_type", as: String?.self),
            storageClass: try row.decode(column: "storage_class", as: String.self)
        )
        if let tags = try row.decode(column: "tags", as: String?.self) { upload.tags = try JSONDecoder().decode(TagSet.self, from: Data(tags.utf8)) }
        upload.acl = try row.decode(column: "acl", as: String?.self)
        upload.encryption = try row.decode(column: "encryption", as: String?.self).map {
            try JSONDecoder().decode(ServerSideEncryption.self, from: Data($0.utf8))
        }
        return upload
    }

    static func decodePart(_ row: any SQLRow) throws -> PartRecord {
        var part = PartRecord(
            uploadId: try row.decode(column: "upload_id", as: String.self),
            partNumber: try row.decode(column: "part_number", as: Int.self),
            size: try row.decode(column: "size", as: Int64.self),
            etag: try row.decode(column: "etag", as: String.self),
            blobId: try row.decode(column: "blob_id", as: String.self),
            checksumValue: try row.decode(column: "checksum_value", as: String?.self),
            crc32c: UInt32(truncatingIfNeeded: try row.decode(column: "crc32c", as: Int64.self)),
            lastModified: try row.decode(column: "last_modified", as: Int64.self)
        )
        part.sealing = try row.decode(column: "sealing", as: String?.self).map {
            try JSONDecoder().decode(SealedSegment.self, from: Data($0.utf8))
        }
        return part
    }
}
