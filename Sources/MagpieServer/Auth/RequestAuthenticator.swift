import Foundation
import HTTPTypes
import Hummingbird
import MagpieCore
import MetadataStore
import ObjectService
import S3Protocol

/// Authenticates a request with SigV4/SigV2 (header or query) against Magpie's access keys. A request
/// without any authentication is anonymous: it reaches policy and ACL evaluation, which refuse it unless
/// something grants everyone access.
struct RequestAuthenticator: Sendable {
    let service: ObjectService

    struct Outcome: Sendable {
        let principal: Principal
        let payload: PayloadMode
        /// `s3:authType`: `REST-HEADER`, `REST-QUERY-STRING` (nil when anonymous).
        var authType: String?
        /// `s3:signatureversion`: `AWS4-HMAC-SHA256` or `AWS`.
        var signatureVersion: String?
    }

    static func signable(_ request: Request, address: S3Address) -> SignableRequest {
        var headers = request.headers.map { ($0.name.canonicalName, $0.value) }
        // HTTPTypes moves Host into the authority pseudo-header; clients sign it as `host`.
        if let authority = request.head.authority, !headers.contains(where: { $0.0 == "host" }) { headers.append(("host", authority)) }
        return SignableRequest(
            method: request.method.rawValue,
            rawPath: address.rawPath,
            rawQuery: address.rawQuery,
            headers: headers,
            virtualHostBucket: address.virtualHostBucket
        )
    }

    func authenticate(_ request: Request, address: S3Address, undeclaredPayloadHash: String? = nil) async throws -> Outcome {
        let signable = Self.signable(request, address: address)
        guard let parsed = try S3RequestAuth.parse(signable) else {
            return Outcome(principal: .anonymous, payload: try Self.anonymousPayload(request.headers[named: "x-amz-content-sha256"]))
        }
        guard let (secret, principal) = try await service.credentials(for: parsed.accessKey) else {
            throw MagpieError(.invalidAccessKeyId, details: [("AWSAccessKeyId", parsed.accessKey)])
        }
        let payload = try S3RequestAuth.verify(parsed, request: signable, secretKey: secret, now: Date(), undeclaredPayloadHash: undeclaredPayloadHash)
        return Outcome(
            principal: principal, payload: payload, authType: parsed.isPresigned ? "REST-QUERY-STRING" : "REST-HEADER",
            signatureVersion: parsed.signatureVersion == 4 ? "AWS4-HMAC-SHA256" : "AWS"
        )
    }

    /// How an anonymous body is read: nothing is signed, but a declared SHA-256 is still checked and an
    /// unsigned aws-chunked body (with a trailing checksum) is still decoded. Signed streaming needs a
    /// signature, so anonymous requests cannot use it (as in S3).
    static func anonymousPayload(_ declared: String?) throws -> PayloadMode {
        guard let declared else { return .unsigned }
        switch declared {
        case "UNSIGNED-PAYLOAD": return .unsigned
        case "STREAMING-UNSIGNED-PAYLOAD-TRAILER": return .streamingUnsigned
        default:
            if declared.count == 64, declared.allSatisfy(\.isHexDigit) { return .sha256(declared.lowercased()) }
            throw MagpieError(
                .invalidRequest,
                "Anonymous requests don't support this x-amz-content-sha256 value. Please use UNSIGNED-PAYLOAD or STREAMING-UNSIGNED-PAYLOAD-TRAILER."
            )
        }
    }
}
