/// The rules of S3 versioning, without I/O: which version id a write gets, and what a DELETE does,
/// given the bucket's versioning state (nil: never versioned, `Enabled`, `Suspended`).
enum VersioningRules {
    enum VersionId: Equatable {
        case fresh
        case null
    }

    /// Enabled buckets give every write a new version; unversioned and suspended ones write the `null` version.
    static func forWrite(state: String?) -> VersionId { state == "Enabled" ? .fresh : .null }

    enum DeleteAction: Equatable {
        /// Permanently remove this version (the next newest becomes current).
        case removeVersion(String)
        /// Unversioned bucket: the object is gone.
        case removeObject
        /// Versioned bucket: a delete marker becomes the current version.
        case addDeleteMarker(VersionId)
    }

    static func forDelete(state: String?, versionId: String?) -> DeleteAction {
        if let versionId { return .removeVersion(versionId) }
        guard state != nil else { return .removeObject }
        return .addDeleteMarker(forWrite(state: state))
    }
}
