import MagpieCore

/// The metadata boundary: SQLite embedded by default, PostgreSQL for scale-out later. The S3 layer
/// talks only to this protocol.
public protocol MetadataStore: JobQueueStore {
    // Users and keys
    func createUser(_ user: UserRecord) async throws
    func user(named name: String) async throws -> UserRecord?
    func user(id: String) async throws -> UserRecord?
    func listUsers() async throws -> [UserRecord]
    /// Removes the user and its keys; throws `UserHasResources` while it owns buckets.
    func deleteUser(named name: String) async throws
    func createAccessKey(_ key: AccessKeyRecord) async throws
    func accessKey(_ accessKey: String) async throws -> AccessKeyRecord?
    func listAccessKeys(userId: String?) async throws -> [AccessKeyRecord]
    /// Returns false when there was no such key.
    func deleteAccessKey(_ accessKey: String) async throws -> Bool

    // Buckets
    /// Throws `BucketAlreadyExists` when the name is taken (by anyone).
    func createBucket(_ bucket: BucketRecord) async throws
    func bucket(_ name: String) async throws -> BucketRecord?
    func listBuckets(ownerId: String?) async throws -> [BucketRecord]
    /// Throws `BucketNotEmpty` when objects remain.
    func deleteBucket(_ name: String) async throws
    /// Enables object lock (and versioning) on a bucket with this default retention.
    func setObjectLock(bucket: String, configuration: ObjectLock.Configuration) async throws
    /// Replaces a bucket's tags (nil removes them).
    func setBucketTags(bucket: String, tags: TagSet?) async throws
    /// Sets a bucket's versioning status (`Enabled` or `Suspended`).
    func setVersioning(bucket: String, status: String) async throws
    /// Sets (nil: removes) one access-control setting of a bucket; throws `NoSuchBucket`.
    func setBucketAccess(bucket: String, _ field: BucketAccessSettings.Field, value: String?) async throws

    // Objects
    func currentObject(bucket: String, key: String) async throws -> ObjectRecord?
    /// Commits `record` as the current version atomically, after checking `condition` in the same
    /// transaction. Returns the blob ids no longer referenced (the caller deletes them).
    func putObject(_ record: ObjectRecord, condition: WriteCondition) async throws -> [String]
    /// Removes the current object; returns the removed record (nil when there was none).
    func deleteObject(bucket: String, key: String) async throws -> ObjectRecord?
    /// Replaces the tags of the current version (or `versionId`); returns the updated record.
    func setTags(bucket: String, key: String, versionId: String?, tags: TagSet) async throws -> ObjectRecord
    /// Replaces the ACL of the current version (or `versionId`); returns the updated record.
    func setObjectACL(bucket: String, key: String, versionId: String?, acl: String?) async throws -> ObjectRecord
    /// Changes a version's retention or legal hold after `update.validate` accepted it, in one transaction.
    func setLock(bucket: String, key: String, versionId: String?, update: ObjectLockUpdate) async throws -> ObjectRecord
    /// One version of a key (delete markers included).
    func objectVersion(bucket: String, key: String, versionId: String) async throws -> ObjectRecord?
    /// Permanently removes one version; when it was the latest, the next newest becomes latest.
    /// Returns the removed record (nil when there was no such version).
    func deleteVersion(bucket: String, key: String, versionId: String) async throws -> ObjectRecord?
    /// All versions and delete markers in (key ascending, newest first) order, after the markers.
    func listVersions(bucket: String, prefix: String, keyMarker: String?, versionIdMarker: String?, limit: Int) async throws -> [ObjectRecord]
    /// Current objects in UTF-8 binary key order, from `cursor` on, starting with `prefix`.
    func listObjects(bucket: String, prefix: String, from cursor: ListCursor?, limit: Int) async throws -> [ObjectRecord]
    // Multipart uploads
    func createUpload(_ upload: UploadRecord) async throws
    func upload(_ uploadId: String) async throws -> UploadRecord?
    /// Stores a part (replacing one with the same number); returns the released blob id, if any.
    /// Throws `NoSuchUpload` when the upload was completed or aborted meanwhile.
    func putPart(_ part: PartRecord) async throws -> [String]
    /// All parts of an upload in part-number order.
    func parts(uploadId: String) async throws -> [PartRecord]
    /// Uploads in (key, initiation) order, after the given key and upload id markers.
    func listUploads(bucket: String, prefix: String, keyMarker: String?, uploadIdMarker: String?, limit: Int) async throws -> [UploadRecord]
    /// Atomically ends the upload and commits `record` as the current object (checking `condition`);
    /// returns every blob id no longer referenced (all part blobs and a replaced object's blob).
    func completeUpload(_ uploadId: String, record: ObjectRecord, condition: WriteCondition) async throws -> [String]
    /// Ends the upload; returns its part blob ids. Throws `NoSuchUpload`.
    func abortUpload(_ uploadId: String) async throws -> [String]

    /// Which of `blobIds` some record still references (for start-up garbage collection).
    func referencedBlobIds(_ blobIds: [String]) async throws -> Set<String>
}

/// A precondition on a write, checked inside the committing transaction (conditional PUT).
public enum WriteCondition: Sendable, Equatable {
    case none
    /// `If-None-Match: *` — only if no current object exists.
    case ifNoneMatchAny
    /// `If-Match: etag` — only if the current object has this ETag.
    case ifMatch(String)

    /// Throws `PreconditionFailed` (or `NoSuchKey` for If-Match on a missing key) when `existing` fails it.
    public func check(against existing: ObjectRecord?, key: String) throws {
        let live = existing.flatMap { $0.isDeleteMarker ? nil : $0 }
        switch self {
        case .none: return
        case .ifNoneMatchAny:
            if live != nil { throw MagpieError(.preconditionFailed, details: [("Condition", "If-None-Match")]) }
        case .ifMatch(let tag):
            guard let live else { throw MagpieError(.noSuchKey, details: [("Key", key)]) }
            if !ETag(live.etag).matches(list: tag) { throw MagpieError(.preconditionFailed, details: [("Condition", "If-Match")]) }
        }
    }
}

/// Where a listing resumes, as raw key bytes (the successor of a common prefix need not be valid UTF-8).
public struct ListCursor: Sendable, Equatable {
    public var bytes: [UInt8]
    public var inclusive: Bool
    public init(bytes: [UInt8], inclusive: Bool) {
        self.bytes = bytes
        self.inclusive = inclusive
    }
    /// Strictly after `key`.
    public static func after(_ key: String) -> ListCursor { ListCursor(bytes: Array(key.utf8), inclusive: false) }
    /// At the first key that does not start with `prefix` (nil when no such bound exists).
    public static func past(prefix: String) -> ListCursor? {
        successor(of: Array(prefix.utf8)).map { ListCursor(bytes: $0, inclusive: true) }
    }

    /// The smallest byte string greater than every string starting with `prefix` (nil: no bound).
    public static func successor(of prefix: [UInt8]) -> [UInt8]? {
        var bytes = prefix
        while let last = bytes.last {
            if last < 0xFF {
                bytes[bytes.count - 1] = last + 1
                return bytes
            }
            bytes.removeLast()
        }
        return nil
    }
}

/// A change to a version's lock, with the rule that decides whether it is allowed (checked inside the
/// transaction against the version as it is then).
public struct ObjectLockUpdate: Sendable {
    public enum Change: Sendable {
        case retention(ObjectLock.Retention?)
        case legalHold(Bool)
    }

    public var change: Change
    public var validate: @Sendable (ObjectRecord) throws -> Void

    public init(change: Change, validate: @escaping @Sendable (ObjectRecord) throws -> Void) {
        self.change = change
        self.validate = validate
    }
}
