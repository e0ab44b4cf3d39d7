/// The four HTTP preconditions of GET/HEAD (and their `x-amz-copy-source-if-*` twins), evaluated with
/// S3's precedence rules.
public struct Conditions: Sendable, Equatable {
    public var ifMatch: String?
    public var ifNoneMatch: String?
    public var ifModifiedSince: Int64?   // seconds since epoch
    public var ifUnmodifiedSince: Int64?

    public init(ifMatch: String? = nil, ifNoneMatch: String? = nil, ifModifiedSince: Int64? = nil, ifUnmodifiedSince: Int64? = nil) {
        self.ifMatch = ifMatch
        self.ifNoneMatch = ifNoneMatch
        self.ifModifiedSince = ifModifiedSince
        self.ifUnmodifiedSince = ifUnmodifiedSince
    }

    public enum Outcome: Sendable, Equatable { case proceed, notModified, preconditionFailed }

    /// S3's rules (RFC 7232 §6): If-Match, else If-Unmodified-Since; then If-None-Match, else If-Modified-Since.
    /// If-Match true overrides a false If-Unmodified-Since; If-None-Match false → 304 overrides If-Modified-Since.
    /// `forWrite` (copy sources) turns "not modified" into "precondition failed", as S3 does for copies.
    public func evaluate(etag: ETag, lastModified: Int64, forWrite: Bool = false) -> Outcome {
        if let ifMatch {
            if !etag.matches(list: ifMatch) { return .preconditionFailed }
        } else if let ifUnmodifiedSince, lastModified > ifUnmodifiedSince {
            return .preconditionFailed
        }
        if let ifNoneMatch {
            if etag.matches(list: ifNoneMatch) { return forWrite ? .preconditionFailed : .notModified }
        } else if let ifModifiedSince, lastModified <= ifModifiedSince {
            return forWrite ? .preconditionFailed : .notModified
        }
        return .proceed
    }

    public var isEmpty: Bool { ifMatch == nil && ifNoneMatch == nil && ifModifiedSince == nil && ifUnmodifiedSince == nil }
}
