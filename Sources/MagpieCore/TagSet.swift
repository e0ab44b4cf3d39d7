/// S3 object or bucket tags, validated with AWS's limits.
public struct TagSet: Sendable, Equatable, Codable {
    public struct Tag: Sendable, Equatable, Codable {
        public var key: String
        public var value: String
        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    public var tags: [Tag]

    public init(_ tags: [Tag] = []) { self.tags = tags }

    public var isEmpty: Bool { tags.isEmpty }

    /// Object tags: at most 10; bucket tags: at most 50. Keys 1–128 and values 0–256 characters, keys unique.
    public func validated(limit: Int) throws(MagpieError) -> TagSet {
        guard tags.count <= limit else {
            throw MagpieError(.badRequest, limit == 10 ? "Object tags cannot be greater than 10" : "Bucket tag count cannot be greater than \(limit)")
        }
        var seen = Set<String>()
        for tag in tags {
            guard (1...128).contains(tag.key.count) else { throw MagpieError(.invalidTag, "The TagKey you have provided is invalid") }
            guard tag.value.count <= 256 else { throw MagpieError(.invalidTag, "The TagValue you have provided is invalid") }
            guard seen.insert(tag.key).inserted else { throw MagpieError(.invalidTag, "Cannot provide multiple Tags with the same key") }
        }
        return self
    }
}
