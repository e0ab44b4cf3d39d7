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

    // Lifecycle, storage tiers and restores
    /// Replaces a bucket's lifecycle configuration (stored JSON; nil removes it).
    func setLifecycle(bucket: String, configuration: String?) async throws
    /// Every bucket that has a lifecycle configuration, in name order.
    func bucketsWithLifecycle() async throws -> [BucketRecord]
    /// All versions of the next `keyLimit` keys after `afterKey` (nil: from the first), key ascending
    /// and newest first within a key — one bounded batch of the lifecycle scanner.
    func versionsOfKeys(bucket: String, after afterKey: String?, keyLimit: Int) async throws -> [ObjectRecord]
    /// Points a version at another blob, tier and class if it still has `expectedBlobId` (a
    /// transition's single switching transaction). False when the version changed or is gone.
    func switchBlob(_ expected: ObjectRecord, to newBlobId: String, tier: String, storageClass: String) async throws -> Bool
    /// Expires the current version if it is still exactly `expected`: removes it, or makes `marker`
    /// the current version. Returns the released blob ids; nil when the object changed meanwhile.
    func expireCurrent(_ expected: ObjectRecord, marker: ObjectRecord?) async throws -> [String]?
    /// Removes a version for good if it is still exactly `expected` (the next newest becomes latest).
    /// Returns the released blob ids; nil when it changed meanwhile.
    func removeVersion(_ expected: ObjectRecord) async throws -> [String]?
    /// Changes the restore state of a version (nil: the current one) in one transaction, after
    /// `update` decided the new state from the version as it is then.
    func updateRestore(bucket: String, key: String, versionId: String?, update: RestoreUpdate) async throws -> (before: ObjectRecord, after: ObjectRecord)
    /// Versions whose restore needs attention by `now`: ongoing and ready, or restored and expired.
    func restoresDue(by now: Int64, limit: Int) async throws -> [ObjectRecord]
    /// The lifecycle scanner's saved progress under `name` (nil: none).
    func lifecycleProgress(_ name: String) async throws -> String?
    func setLifecycleProgress(_ name: String, value: String?) async throws
    /// Bytes and counts of stored versions (delete markers excluded) per bucket and storage class,
    /// and of restored copies.
    func usage() async throws -> [UsageRecord]
    /// Every tier some blob is recorded in (checked against the configured tiers at start-up).
    func tiersInUse() async throws -> Set<String>

    // Encryption at rest
    /// Replaces a bucket's default encryption (nil removes it). Throws `NoSuchBucket`.
    func setBucketEncryption(bucket: String, encryption: ServerSideEncryption?) async throws
    /// Adds a keyring key; throws `KMSKeyExists` when the name is taken.
    func createKMSKey(_ key: KMSKeyRecord) async throws
    func kmsKey(named name: String) async throws -> KMSKeyRecord?
    func listKMSKeys() async throws -> [KMSKeyRecord]
    /// Enables or disables a key (a disabled key decrypts nothing). False when there is no such key.
    func setKMSKeyEnabled(_ name: String, enabled: Bool) async throws -> Bool
}

/// A keyring key of that name exists already.
public struct KMSKeyExists: Error, Sendable {
    public let name: String
}

/// Decides a version's new restore state from its current record (throwing refuses the change).
public struct RestoreUpdate: Sendable {
    public var decide: @Sendable (ObjectRecord) throws -> RestoreState?
    public init(_ decide: @escaping @Sendable (ObjectRecord) throws -> RestoreState?) { self.decide = decide }
}

/// One line of `magpie admin usage`.
public struct UsageRecord: Sendable, Equatable {
    public var bucket: String
    public var storageClass: String
    public var objects: Int64
    public var bytes: Int64
    /// True for the line counting restored copies of archived versions.
    public var restoredCopies: Bool

    public init(bucket: String, storageClass: String, objects: Int64, bytes: Int64, restoredCopies: Bool = false) {
        self.bucket = bucket
        self.storageClass = storageClass
        self.objects = objects
        self.bytes = bytes
        self.restoredCopies = restoredCopies
    }
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
