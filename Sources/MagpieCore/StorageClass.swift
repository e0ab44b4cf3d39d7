/// An S3 storage class. The set S3 accepts on writes is closed, but it is modelled as an open
/// `struct` (as `MagpieError.Code`) so that a stored value Magpie does not know still decodes.
public struct StorageClass: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let standard = Self("STANDARD")
    public static let reducedRedundancy = Self("REDUCED_REDUNDANCY")
    public static let standardIA = Self("STANDARD_IA")
    public static let onezoneIA = Self("ONEZONE_IA")
    public static let intelligentTiering = Self("INTELLIGENT_TIERING")
    public static let glacierIR = Self("GLACIER_IR")
    public static let glacier = Self("GLACIER")
    public static let deepArchive = Self("DEEP_ARCHIVE")

    /// Every class PutObject, CopyObject, CreateMultipartUpload and POST accept (AWS still takes
    /// REDUCED_REDUNDANCY on writes, though it no longer recommends it), coldest last.
    public static let all: [StorageClass] = [
        .standard, .reducedRedundancy, .standardIA, .intelligentTiering, .onezoneIA, .glacierIR, .glacier, .deepArchive,
    ]

    /// The classes a lifecycle Transition may name (AWS's `TransitionStorageClass` enumeration).
    public static let transitionTargets: Set<StorageClass> = [.standardIA, .onezoneIA, .intelligentTiering, .glacierIR, .glacier, .deepArchive]

    /// A class named in `x-amz-storage-class`; nil when S3 would answer `InvalidStorageClass`.
    public init?(header value: String) {
        guard let known = Self.all.first(where: { $0.rawValue == value }) else { return nil }
        self = known
    }

    /// Archive classes: objects must be restored (RestoreObject) before GET can read them.
    public var isArchive: Bool { self == .glacier || self == .deepArchive }

    /// S3's transition waterfall: lifecycle only moves objects to a later (colder) class.
    /// STANDARD and REDUCED_REDUNDANCY are both the top; unknown classes sort first.
    public var coldness: Int {
        switch self {
        case .standardIA: 1
        case .intelligentTiering: 2
        case .onezoneIA: 3
        case .glacierIR: 4
        case .glacier: 5
        case .deepArchive: 6
        default: 0
        }
    }

    /// Infrequent-access classes keep objects at least 30 days (AWS refuses earlier transitions).
    public var minimumTransitionDays: Int { self == .standardIA || self == .onezoneIA ? 30 : 0 }

    public static func < (lhs: StorageClass, rhs: StorageClass) -> Bool {
        lhs.coldness != rhs.coldness ? lhs.coldness < rhs.coldness : lhs.rawValue < rhs.rawValue
    }

    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
