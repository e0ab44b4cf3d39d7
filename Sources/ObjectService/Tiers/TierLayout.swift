import BlobStore
import Foundation
import Logging
import MagpieCore
import MetadataStore
import S3Protocol

/// Where each storage tier lives and which storage classes write to it. A tier is a directory —
/// usually another disk — holding `blobs/` and `tmp/` (same filesystem, so commits are atomic
/// renames). By default every class has its own tier under the data directory (`standard` is the
/// data directory itself, `glacier` is `<data-dir>/tiers/glacier`, …), so a transition always
/// moves bytes; `--tier NAME=PATH` adds or moves a tier and `--tier-class CLASS=NAME` points a
/// class at it.
public struct TierLayout: Sendable, Equatable {
    /// Tier name → directory.
    public var paths: [String: String]
    /// Storage class → tier name.
    public var classTiers: [StorageClass: String]

    /// `standard` for STANDARD; otherwise the class in lower case with dashes (`deep-archive`).
    public static func defaultTierName(for storageClass: StorageClass) -> String {
        storageClass == .standard ? StorageTiers.defaultTier : storageClass.rawValue.lowercased().replacingOccurrences(of: "_", with: "-")
    }

    public static var defaultClassTiers: [StorageClass: String] {
        Dictionary(uniqueKeysWithValues: StorageClass.all.map { ($0, defaultTierName(for: $0)) })
    }

    public static func defaults(dataDirectory: String) -> TierLayout {
        var paths: [String: String] = [:]
        for storageClass in StorageClass.all {
            let name = defaultTierName(for: storageClass)
            paths[name] = name == StorageTiers.defaultTier ? dataDirectory : "\(dataDirectory)/tiers/\(name)"
        }
        return TierLayout(paths: paths, classTiers: defaultClassTiers)
    }

    /// `NAME=PATH`: adds a tier or moves a default one.
    public mutating func addTier(_ spec: String) throws {
        let (name, path) = try Self.split(spec, what: "--tier NAME=PATH")
        guard Self.isValidName(name) else { throw TierLayoutError("invalid tier name '\(name)': use 1–63 of a-z, 0-9 and -") }
        guard !path.isEmpty else { throw TierLayoutError("tier '\(name)' needs a directory") }
        paths[name] = path
    }

    /// `CLASS=NAME`: the storage class writes to (and transitions into) that tier.
    public mutating func mapClass(_ spec: String) throws {
        let (className, name) = try Self.split(spec, what: "--tier-class CLASS=NAME")
        guard let storageClass = StorageClass(header: className.uppercased()) else {
            throw TierLayoutError("unknown storage class '\(className)' (one of \(StorageClass.all.map(\.rawValue).joined(separator: ", ")))")
        }
        classTiers[storageClass] = name
    }

    public func validate() throws {
        for (storageClass, name) in classTiers where paths[name] == nil {
            throw TierLayoutError("storage class \(storageClass) maps to tier '\(name)', which has no directory (add --tier \(name)=PATH)")
        }
        guard paths[StorageTiers.defaultTier] != nil else { throw TierLayoutError("the standard tier needs a directory") }
    }

    /// The tier a class writes to.
    public func tier(for storageClass: StorageClass) -> String { classTiers[storageClass] ?? StorageTiers.defaultTier }

    static func split(_ spec: String, what: String) throws -> (String, String) {
        guard let equals = spec.firstIndex(of: "=") else { throw TierLayoutError("expected \(what), got '\(spec)'") }
        return (
            String(spec[..<equals]).trimmingCharacters(in: .whitespaces),
            String(spec[spec.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
        )
    }

    static func isValidName(_ name: String) -> Bool {
        (1...63).contains(name.utf8.count) && name.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
    }
}

public struct TierLayoutError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
