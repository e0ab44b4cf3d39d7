import MagpieCore

/// A bucket's lifecycle configuration (PutBucketLifecycleConfiguration), parsed and validated as
/// AWS does. Stored as JSON by the metadata store; evaluated by the lifecycle scanner.
public struct LifecycleConfiguration: Sendable, Equatable, Codable {
    public var rules: [LifecycleRule]
    /// `x-amz-transition-default-minimum-object-size`: which small objects transitions skip.
    public var minimumObjectSize: TransitionMinimumSize

    public init(rules: [LifecycleRule], minimumObjectSize: TransitionMinimumSize = .allStorageClasses128K) {
        self.rules = rules
        self.minimumObjectSize = minimumObjectSize
    }

    /// S3 allows at most 1,000 rules per configuration.
    public static let maxRules = 1000
    /// Rule IDs are at most 255 characters.
    public static let maxIdLength = 255
}

/// AWS's default (since 2024) keeps objects under 128 KB from every transition; the other setting
/// lets them go to GLACIER and DEEP_ARCHIVE.
public enum TransitionMinimumSize: String, Sendable, Codable, CaseIterable {
    case allStorageClasses128K = "all_storage_classes_128K"
    case variesByStorageClass = "varies_by_storage_class"

    public static let smallObjectBytes: Int64 = 128 * 1024

    /// The smallest object size a transition to `target` applies to under this setting.
    public func minimumSize(for target: StorageClass) -> Int64 {
        switch self {
        case .allStorageClasses128K: Self.smallObjectBytes
        case .variesByStorageClass: target.isArchive ? 0 : Self.smallObjectBytes
        }
    }
}

public struct LifecycleRule: Sendable, Equatable, Codable {
    public var id: String
    public var enabled: Bool
    /// The legacy rule-level `<Prefix>` (Lifecycle V1); nil when the rule has a `<Filter>`.
    public var legacyPrefix: String?
    /// `<Filter>` (Lifecycle V2); nil when the rule uses the legacy prefix.
    public var filter: LifecycleFilter?
    public var expiration: LifecycleExpiration?
    public var transitions: [LifecycleTransition]
    public var noncurrentExpiration: NoncurrentExpiration?
    public var noncurrentTransitions: [NoncurrentTransition]
    /// `AbortIncompleteMultipartUpload/DaysAfterInitiation`.
    public var abortIncompleteUploadDays: Int?

    public init(
        id: String, enabled: Bool = true, legacyPrefix: String? = nil, filter: LifecycleFilter? = nil, expiration: LifecycleExpiration? = nil,
        transitions: [LifecycleTransition] = [], noncurrentExpiration: NoncurrentExpiration? = nil,
        noncurrentTransitions: [NoncurrentTransition] = [], abortIncompleteUploadDays: Int? = nil
    ) {
        self.id = id
        self.enabled = enabled
        self.legacyPrefix = legacyPrefix
        self.filter = filter
        self.expiration = expiration
        self.transitions = transitions
        self.noncurrentExpiration = noncurrentExpiration
        self.noncurrentTransitions = noncurrentTransitions
        self.abortIncompleteUploadDays = abortIncompleteUploadDays
    }

    /// The key prefix every object the rule applies to starts with ("" for all).
    public var prefix: String { legacyPrefix ?? filter?.prefix ?? "" }
}

/// `<Filter>`: exactly one predicate, or `<And>` of several, or nothing (every object).
public enum LifecycleFilter: Sendable, Equatable, Codable {
    case all
    case prefix(String)
    case tag(TagSet.Tag)
    case objectSizeGreaterThan(Int64)
    case objectSizeLessThan(Int64)
    case and(LifecycleAnd)

    public var prefix: String? {
        switch self {
        case .prefix(let prefix): prefix
        case .and(let and): and.prefix
        default: nil
        }
    }

    public var tags: [TagSet.Tag] {
        switch self {
        case .tag(let tag): [tag]
        case .and(let and): and.tags
        default: []
        }
    }

    public var sizeGreaterThan: Int64? {
        switch self {
        case .objectSizeGreaterThan(let size): size
        case .and(let and): and.objectSizeGreaterThan
        default: nil
        }
    }

    public var sizeLessThan: Int64? {
        switch self {
        case .objectSizeLessThan(let size): size
        case .and(let and): and.objectSizeLessThan
        default: nil
        }
    }
}

public struct LifecycleAnd: Sendable, Equatable, Codable {
    public var prefix: String?
    public var tags: [TagSet.Tag]
    public var objectSizeGreaterThan: Int64?
    public var objectSizeLessThan: Int64?

    public init(prefix: String? = nil, tags: [TagSet.Tag] = [], objectSizeGreaterThan: Int64? = nil, objectSizeLessThan: Int64? = nil) {
        self.prefix = prefix
        self.tags = tags
        self.objectSizeGreaterThan = objectSizeGreaterThan
        self.objectSizeLessThan = objectSizeLessThan
    }
}

/// `<Expiration>`: one of Days, Date (a midnight UTC, epoch seconds) or ExpiredObjectDeleteMarker.
public enum LifecycleExpiration: Sendable, Equatable, Codable {
    case days(Int)
    case date(Int64)
    case expiredObjectDeleteMarker(Bool)
}

/// `<Transition>`: after Days, or from Date on, current versions move to `storageClass`.
public struct LifecycleTransition: Sendable, Equatable, Codable {
    public var days: Int?
    public var date: Int64?
    public var storageClass: StorageClass

    public init(days: Int? = nil, date: Int64? = nil, storageClass: StorageClass) {
        self.days = days
        self.date = date
        self.storageClass = storageClass
    }
}

public struct NoncurrentExpiration: Sendable, Equatable, Codable {
    public var days: Int
    /// How many newer noncurrent versions are kept whatever their age.
    public var newerVersions: Int?

    public init(days: Int, newerVersions: Int? = nil) {
        self.days = days
        self.newerVersions = newerVersions
    }
}

public struct NoncurrentTransition: Sendable, Equatable, Codable {
    public var days: Int
    public var newerVersions: Int?
    public var storageClass: StorageClass

    public init(days: Int, newerVersions: Int? = nil, storageClass: StorageClass) {
        self.days = days
        self.newerVersions = newerVersions
        self.storageClass = storageClass
    }
}
