import Foundation
import MagpieCore

/// Authenticates S3 requests: SigV4 (header and presigned URL) and the legacy SigV2, as AWS S3 does.
///
/// Two steps, so the caller can look the secret up in between:
/// ```swift
/// guard let parsed = try S3RequestAuth.parse(request) else { /* anonymous */ }
/// let secret = try keys.secret(for: parsed.accessKey)        // InvalidAccessKeyId if unknown
/// let payload = try S3RequestAuth.verify(parsed, request: request, secretKey: secret, now: clock.now)
/// ```
public enum S3RequestAuth {
    /// Reads the authentication a request carries; nil means anonymous (no `Authorization` header
    /// and no authentication query parameters).
    ///
    /// Throws for malformed authentication: `AuthorizationHeaderMalformed`,
    /// `AuthorizationQueryParametersError`, `InvalidArgument` or `AccessDenied`, as AWS does.
    public static func parse(_ request: SignableRequest) throws -> ParsedAuthorization? {
        let names = Set(request.queryItems.map(\.name))
        let v4Query = SigV4Parser.queryMarkers.contains { names.contains($0) }
        let v2Query = names.contains("AWSAccessKeyId") || names.contains("Signature")
        let authorization = request.header("authorization")
        if (authorization != nil && (v4Query || v2Query)) || (v4Query && v2Query) {
            throw AuthError.conflictingMechanisms
        }
        if let authorization {
            if authorization.hasPrefix(SigV4Parser.algorithm + " ") {
                return try SigV4Parser.parseHeader(authorization, request: request)
            }
            if authorization.hasPrefix("AWS ") {
                return try SigV2Parser.parseHeader(authorization)
            }
            throw AuthError.unsupportedAuthorizationType
        }
        if v4Query { return try SigV4Parser.parseQuery(request) }
        if v2Query { return try SigV2Parser.parseQuery(request) }
        return nil
    }

    /// Verifies the signature with `secretKey` at time `now` and says how the body must be read.
    ///
    /// Enforces a 15-minute clock skew for header authentication (`RequestTimeTooSkewed`), the
    /// validity window of presigned URLs (`AccessDenied` "Request has expired"), and that the
    /// headers S3 requires to be signed were. Signatures are compared in constant time.
    /// `undeclaredPayloadHash`: for Magpie's JSON API only, the SHA-256 of an already-read body to
    /// sign with when the client sent no `x-amz-content-sha256` (generic SigV4 signers such as
    /// `curl --aws-sigv4` sign the body's hash without sending it); S3 itself requires the header.
    public static func verify(_ parsed: ParsedAuthorization, request: SignableRequest, secretKey: String, now: Date, undeclaredPayloadHash: String? = nil) throws
        -> PayloadMode
    {
        switch parsed.scheme {
        case .v4(let v4):
            return try SigV4Verifier.verify(v4, request: request, secretKey: secretKey, now: now, undeclaredPayloadHash: undeclaredPayloadHash)
        case .v2Header(let signature):
            return try SigV2Verifier.verifyHeader(signature: signature, request: request, secretKey: secretKey, now: now)
        case .v2Query(let signature, let expires):
            return try SigV2Verifier.verifyQuery(
                signature: signature, expires: expires, request: request, secretKey: secretKey, now: now)
        }
    }
}
