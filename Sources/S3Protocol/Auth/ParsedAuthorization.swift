import Foundation

/// The authentication a request carries, parsed but not yet verified.
///
/// Returned by `S3RequestAuth.parse`; the caller looks up the secret of `accessKey` and hands both
/// back to `S3RequestAuth.verify`.
public struct ParsedAuthorization: Sendable {
    /// The access key the client claims to sign with.
    public let accessKey: String
    let scheme: Scheme

    enum Scheme: Sendable {
        case v4(SigV4Authorization)
        case v2Header(signature: String)
        case v2Query(signature: String, expires: Int64)
    }

    /// 4 for SigV4 (header or presigned), 2 for the legacy HMAC-SHA1 scheme.
    public var signatureVersion: Int {
        if case .v4 = scheme { return 4 }
        return 2
    }

    /// True for query-string authentication (presigned URLs).
    public var isPresigned: Bool {
        switch scheme {
        case .v4(let v4): return v4.expires != nil
        case .v2Header: return false
        case .v2Query: return true
        }
    }
}

/// The fields of a SigV4 `Authorization` header or of its presigned-URL query parameters.
struct SigV4Authorization: Sendable {
    let credential: SigV4Credential
    /// Lowercased and sorted.
    let signedHeaders: [String]
    /// Lowercase hex, as the client sent it.
    let signature: String
    /// `yyyyMMdd'T'HHmmss'Z'`, the timestamp of the string-to-sign.
    let timestamp: String
    let date: Date
    /// Seconds of validity for a presigned URL; nil for header authentication.
    let expires: Int?
}
