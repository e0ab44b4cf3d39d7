import BlobStore
import MagpieCore
import MetadataStore

/// Versioning: which version id a write gets, reads and deletes by version, delete markers.
extension ObjectService {
    /// The version id a new write gets in `bucket`: a fresh id when versioning is enabled, else `null`.
    static func newVersionId(for bucket: BucketRecord) -> String {
        VersioningRules.forWrite(state: bucket.versioning) == .fresh ? Credentials.versionId() : "null"
    }

    /// `null` or one of Magpie's ids; anything else is `InvalidArgument`, as S3 answers.
    public static func validateVersionId(_ id: String) throws {
        guard id == "null" || (id.utf8.count == 32 && id.utf8.allSatisfy { Credentials.isVersionIdByte($0) }) else {
            throw MagpieError(.invalidArgument, "Invalid version id specified", details: [("ArgumentName", "versionId"), ("ArgumentValue", id)])
        }
    }

    public func setVersioning(_ bucket: BucketName, status: String, for principal: Principal) async throws {
        guard status == "Enabled" || status == "Suspended" else { throw MagpieError(.malformedXML) }
        let record = try await existingBucket(bucket, for: principal)
        if record.objectLock != nil, status == "Suspended" {
            throw MagpieError(.invalidBucketState, "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.")
        }
        defer { bucketChanged(bucket.rawValue) }
        try await metadata.setVersioning(bucket: bucket.rawValue, status: status)
    }

    /// A specific version; a delete marker answers 405 as S3 does, a missing one `NoSuchVersion`.
    func version(_ bucket: BucketName, _ key: ObjectKey, _ versionId: String) async throws -> ObjectRecord {
        try Self.validateVersionId(versionId)
        guard let record = try await metadata.objectVersion(bucket: bucket.rawValue, key: key.rawValue, versionId: versionId) else {
            throw MagpieError(.noSuchVersion, details: [("Key", key.rawValue), ("VersionId", versionId)])
        }
        if record.isDeleteMarker {
            var error = MagpieError(.methodNotAllowed, "The specified method is not allowed against this resource.")
            error.headers = [
                ("x-amz-delete-marker", "true"), ("x-amz-version-id", versionId),
                ("last-modified", HTTPDate.rfc1123(epochSeconds: record.lastModified / 1000)),
            ]
            throw error
        }
        return record
    }

    /// The current version, or `NoSuchKey` (with the delete-marker headers when a marker hides the key).
    func currentVersion(_ bucket: BucketName, _ key: ObjectKey) async throws -> ObjectRecord {
        guard let record = try await metadata.currentObject(bucket: bucket.rawValue, key: key.rawValue) else {
            throw MagpieError(.noSuchKey, details: [("Key", key.rawValue)])
        }
        if record.isDeleteMarker {
            var error = MagpieError(.noSuchKey, details: [("Key", key.rawValue)])
            error.headers = [("x-amz-delete-marker", "true"), ("x-amz-version-id", record.versionId)]
            throw error
        }
        return record
    }

    public struct DeleteResult: Sendable {
        public var deleteMarker = false
        public var versionId: String?
        public init(deleteMarker: Bool = false, versionId: String? = nil) {
            self.deleteMarker = deleteMarker
            self.versionId = versionId
        }
    }

    /// DeleteObject: by version it removes that version for good; without one it removes the object
    /// (unversioned), or adds a delete marker (enabled: a new version; suspended: the `null` version).
    public func deleteObject(
        _ bucket: BucketName, _ key: ObjectKey, versionId: String?, bypassGovernance: Bool = false, for principal: Principal
    ) async throws -> DeleteResult {
        let record = try await existingBucket(bucket, for: principal)
        switch VersioningRules.forDelete(state: record.versioning, versionId: versionId) {
        case .removeVersion(let versionId):
            try Self.validateVersionId(versionId)
            if record.objectLock != nil, let target = try await metadata.objectVersion(bucket: bucket.rawValue, key: key.rawValue, versionId: versionId) {
                try ObjectLock.checkDeletable(retention: target.retention, legalHold: target.legalHold, now: Self.nowMillis(), bypassGovernance: bypassGovernance)
            }
            guard let removed = try await metadata.deleteVersion(bucket: bucket.rawValue, key: key.rawValue, versionId: versionId) else {
                return DeleteResult(deleteMarker: false, versionId: versionId)
            }
            if !removed.isDeleteMarker { await blobs.delete(removed.blobId) }
            if let copy = removed.restore?.blobId { await blobs.delete(copy) }
            return DeleteResult(deleteMarker: removed.isDeleteMarker, versionId: versionId)
        case .removeObject:
            try await removeObject(bucket, key)
            return DeleteResult()
        case .addDeleteMarker:
            break
        }
        let marker = ObjectRecord(
            bucket: bucket.rawValue, key: key.rawValue, versionId: Self.newVersionId(for: record), isDeleteMarker: true, size: 0, etag: "",
            lastModified: Self.nowMillis(), headers: [:], blobId: "", integrityCRC32C: 0, ownerId: principal.canonicalId
        )
        for released in try await metadata.putObject(marker, condition: .none) { await blobs.delete(released) }
        return DeleteResult(deleteMarker: true, versionId: marker.versionId)
    }
}
