import MagpieCore
import MetadataStore

/// One page of a listing: objects and common prefixes in key order.
public struct ListPage: Sendable {
    public var objects: [ObjectRecord] = []
    public var commonPrefixes: [String] = []
    public var isTruncated = false
    /// The last key or common prefix returned (NextMarker / the continuation token's content).
    public var lastItem: String?
}

public struct ListRequest: Sendable {
    public var prefix: String
    public var delimiter: String?
    /// Resume strictly after this key or common prefix (marker, start-after, continuation token).
    public var after: String?
    public var maxKeys: Int

    public init(prefix: String = "", delimiter: String? = nil, after: String? = nil, maxKeys: Int = 1000) {
        self.prefix = prefix
        self.delimiter = delimiter
        self.after = after
        self.maxKeys = maxKeys
    }
}

extension ObjectService {
    /// ListObjects (V1 and V2): keys from the store in byte order, rolled up into common prefixes at the
    /// delimiter. An item is returned only when it sorts after `after`, so a common prefix used as a
    /// marker is never repeated; after each common prefix the scan jumps past all keys beneath it.
    public func listObjects(_ bucket: BucketName, _ request: ListRequest, for principal: Principal) async throws -> ListPage {
        _ = try await existingBucket(bucket, for: principal)
        var page = ListPage()
        guard request.maxKeys > 0 else { return page }
        let delimiter = request.delimiter.flatMap { $0.isEmpty ? nil : $0 }
        var cursor: ListCursor? = request.after.map { after in
            if let delimiter, after.hasSuffix(delimiter), after.hasPrefix(request.prefix) {
                return ListCursor.past(prefix: after) ?? .after(after)
            }
            return .after(after)
        }
        var count = 0
        let batchSize = min(1000, request.maxKeys + 1)
        scan: while true {
            let batch = try await metadata.listObjects(bucket: bucket.rawValue, prefix: request.prefix, from: cursor, limit: batchSize)
            for record in batch {
                var item = record.key
                var isPrefix = false
                if let delimiter, let end = Self.rollUp(record.key, prefixLength: request.prefix.utf8.count, delimiter: delimiter) {
                    item = end
                    isPrefix = true
                }
                if let after = request.after, !after.utf8.lexicographicallyPrecedes(item.utf8) {
                    cursor = .after(record.key)
                    continue
                }
                if count == request.maxKeys {
                    page.isTruncated = true
                    break scan
                }
                count += 1
                page.lastItem = item
                if isPrefix {
                    page.commonPrefixes.append(item)
                    guard let past = ListCursor.past(prefix: item) else { break scan }
                    cursor = past
                    continue scan
                }
                page.objects.append(record)
                cursor = .after(record.key)
            }
            if batch.count < batchSize { break }
        }
        return page
    }

    /// The common prefix `key` rolls up into: up to and including the first `delimiter` after the
    /// prefix, found by bytes (a character-level search would let combining marks hide a delimiter).
    static func rollUp(_ key: String, prefixLength: Int, delimiter: String) -> String? {
        let bytes = Array(key.utf8), needle = Array(delimiter.utf8)
        guard !needle.isEmpty, bytes.count >= prefixLength + needle.count else { return nil }
        var index = prefixLength
        while index + needle.count <= bytes.count {
            if bytes[index] == needle[0], bytes[index..<index + needle.count].elementsEqual(needle) {
                return String(decoding: bytes[..<(index + needle.count)], as: UTF8.self)
            }
            index += 1
        }
        return nil
    }
}
