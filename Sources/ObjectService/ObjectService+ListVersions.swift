import MagpieCore
import MetadataStore

extension ObjectService {
    public struct VersionsPage: Sendable {
        public var versions: [ObjectRecord] = []
        public var commonPrefixes: [String] = []
        public var isTruncated = false
        public var nextKeyMarker: String?
        public var nextVersionIdMarker: String?
    }

    /// ListObjectVersions: every version and delete marker, keys ascending and newest first per key,
    /// rolled up at the delimiter, resumable at (key-marker, version-id-marker).
    public func listObjectVersions(
        _ bucket: BucketName, prefix: String, delimiter: String?, keyMarker: String?, versionIdMarker: String?, maxKeys: Int,
        for principal: Principal
    ) async throws -> VersionsPage {
        _ = try await existingBucket(bucket, for: principal)
        if let versionIdMarker { try Self.validateVersionId(versionIdMarker) }
        var page = VersionsPage()
        guard maxKeys > 0 else { return page }
        let delimiter = delimiter.flatMap { $0.isEmpty ? nil : $0 }
        var keyCursor = keyMarker, versionCursor = keyMarker == nil ? nil : versionIdMarker
        while true {
            let batch = try await metadata.listVersions(
                bucket: bucket.rawValue, prefix: prefix, keyMarker: keyCursor, versionIdMarker: versionCursor, limit: 1000
            )
            for record in batch {
                keyCursor = record.key
                versionCursor = record.versionId
                if let delimiter, let common = Self.rollUp(record.key, prefixLength: prefix.utf8.count, delimiter: delimiter) {
                    if page.commonPrefixes.last == common { continue }
                    if let marker = keyMarker, !marker.utf8.lexicographicallyPrecedes(common.utf8) { continue }
                    guard page.versions.count + page.commonPrefixes.count < maxKeys else { return truncated(page) }
                    page.commonPrefixes.append(common)
                    continue
                }
                guard page.versions.count + page.commonPrefixes.count < maxKeys else { return truncated(page) }
                page.versions.append(record)
            }
            if batch.count < 1000 { return page }
        }
    }

    private func truncated(_ page: VersionsPage) -> VersionsPage {
        var page = page
        page.isTruncated = true
        let lastVersion = page.versions.last
        let lastPrefix = page.commonPrefixes.last
        if let lastPrefix, lastVersion.map({ $0.key.utf8.lexicographicallyPrecedes(lastPrefix.utf8) }) ?? true {
            page.nextKeyMarker = lastPrefix
        } else if let lastVersion {
            page.nextKeyMarker = lastVersion.key
            page.nextVersionIdMarker = lastVersion.versionId
        }
        return page
    }
}
