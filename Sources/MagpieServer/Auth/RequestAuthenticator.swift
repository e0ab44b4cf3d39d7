import Foundation
import HTTPTypes
import Hummingbird
import MagpieCore
import MetadataStore
import ObjectService
import S3Protocol

/// Authenticates a request with SigV4/SigV2 (header or query) against Magpie's access keys.
struct RequestAuthenticator: Sendable {
    let service: ObjectService

    struct Outcome: Sendable {
        let principal: Principal
        let payload: PayloadMode
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

    /// Anonymous requests are refused (bucket policies arrive later).
    func authenticate(_ request: Request, address: S3Address, undeclaredPayloadHash: String? = nil) async throws -> Outcome {
        let signable = Self.signable(request, address: address)
        guard let parsed = try S3RequestAuth.parse(signable) else {
            throw MagpieError(.accessDenied)
        }
        guard let (secret, principal) = try await service.credentials(for: parsed.accessKey) else {
            throw MagpieError(.invalidAccessKeyId, details: [("AWSAccessKeyId", parsed.accessKey)])
        }
        let payload = try S3RequestAuth.verify(parsed, request: signable, secretKey: secret, now: Date(), undeclaredPayloadHash: undeclaredPayloadHash)
        return Outcome(principal: principal, payload: payload)
    }
}
