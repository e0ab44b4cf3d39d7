import Foundation

/// A bucket's processing rules: a new object whose key starts with `prefix` and whose Content-Type
/// matches one of `contentTypes` enqueues a job with `outputs` automatically.
public struct ProcessingRule: Sendable, Equatable, Codable {
    public var id: String
    public var prefix: String?
    /// Exact types or `type/*`; default `video/*` and `audio/*`.
    public var contentTypes: [String]?
    public var outputs: [OutputSpec]
    /// Where outputs go; `{key}` is the source key, `{stem}` the key without its extension. Default
    /// `s3://<bucket>/media/{stem}/`.
    public var destination: String?
    public var webhook: String?

    public init(
        id: String, prefix: String? = nil, contentTypes: [String]? = nil, outputs: [OutputSpec], destination: String? = nil, webhook: String? = nil
    ) {
        self.id = id
        self.prefix = prefix
        self.contentTypes = contentTypes
        self.outputs = outputs
        self.destination = destination
        self.webhook = webhook
    }

    public var effectiveContentTypes: [String] { contentTypes ?? ["video/*", "audio/*"] }

    public func matches(key: String, contentType: String?) -> Bool {
        guard key.hasPrefix(prefix ?? "") else { return false }
        let type = (contentType ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return effectiveContentTypes.contains { pattern in
            let pattern = pattern.lowercased()
            if pattern == "*/*" || pattern == "*" { return true }
            if pattern.hasSuffix("/*") { return type.hasPrefix(String(pattern.dropLast())) }
            return type == pattern
        }
    }

    /// The job this rule makes for a new object.
    public func job(bucket: String, key: String) throws(JobError) -> JobSpec {
        let stem: String = {
            let last = key.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? key
            guard let dot = last.lastIndex(of: "."), dot != last.startIndex else { return key }
            return String(key.dropLast(last.distance(from: dot, to: last.endIndex)))
        }()
        let template = destination ?? "s3://\(bucket)/media/{stem}/"
        let resolved = template.replacingOccurrences(of: "{stem}", with: stem).replacingOccurrences(of: "{key}", with: key)
        var spec = JobSpec(
            source: S3Location(bucket: bucket, key: key), destination: try S3Location.parse(resolved, requireKey: false), outputs: outputs,
            webhook: webhook)
        if spec.destination.key.isEmpty { spec.destination.key = "" }
        try spec.validate()
        return spec
    }
}

/// `PUT /-/api/v1/buckets/{bucket}/rules` body: `{"rules": [...]}`.
public struct RuleSet: Sendable, Equatable, Codable {
    public var rules: [ProcessingRule]

    public init(rules: [ProcessingRule]) { self.rules = rules }

    public static func decode(_ bytes: [UInt8], bucket: String) throws(JobError) -> RuleSet {
        let set: RuleSet
        do {
            set = try JSONDecoder().decode(RuleSet.self, from: Data(bytes))
        } catch let error as JobError {
            throw error
        } catch {
            throw .invalidSpec(JobSpec.explain(error))
        }
        try set.validate(bucket: bucket)
        return set
    }

    public func validate(bucket: String) throws(JobError) {
        try check(rules.count <= 20, "A bucket has at most 20 rules.")
        var ids = Set<String>()
        for rule in rules {
            try check(!rule.id.isEmpty && rule.id.count <= 64, "A rule id is 1…64 characters.")
            try check(ids.insert(rule.id).inserted, "Two rules have the id \"\(rule.id)\".")
            try check((rule.prefix ?? "").utf8.count <= 1024, "A rule prefix is at most 1024 bytes.")
            try check(!rule.effectiveContentTypes.isEmpty, "A rule's contentTypes lists at least one type.")
            if let destination = rule.destination {
                let location = try S3Location.parse(
                    destination.replacingOccurrences(of: "{stem}", with: "x").replacingOccurrences(of: "{key}", with: "x"), requireKey: false)
                try check(location.bucket == bucket || !destination.isEmpty, "A rule destination names a bucket.")
            }
            // A trial job checks outputs and webhook once, now.
            _ = try rule.job(bucket: bucket, key: (rule.prefix ?? "") + "example.mp4")
        }
    }

    /// The first matching rule per id, in order.
    public func matching(key: String, contentType: String?) -> [ProcessingRule] {
        rules.filter { $0.matches(key: key, contentType: contentType) }
    }
}
