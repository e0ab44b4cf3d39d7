import Foundation
import MagpieCore

/// Checks a parsed SigV4 request: time window, payload declaration, signed headers, signature.
enum SigV4Verifier {
    static func verify(_ v4: SigV4Authorization, request: SignableRequest, secretKey: String, now: Date, undeclaredPayloadHash: String? = nil) throws
        -> PayloadMode
    {
        let payloadHash: String
        let mode: PayloadMode?
        if let expires = v4.expires {
            // A presigned URL may be used from (almost) its signing time until it expires; a small
            // allowance for clocks that run ahead, as for header authentication.
            if v4.date.timeIntervalSince(now) > AuthError.maxSkew { throw AuthError.notYetValid }
            if now.timeIntervalSince(v4.date) > TimeInterval(expires) { throw AuthError.expired }
            payloadHash = request.queryValue("X-Amz-Content-Sha256") ?? PayloadHash.unsigned
            mode = AuthCrypto.isSHA256Hex(payloadHash) ? .sha256(payloadHash.lowercased()) : .unsigned
        } else {
            try AuthError.checkSkew(v4.date, now: now)
            guard let declared = request.header("x-amz-content-sha256") ?? undeclaredPayloadHash else {
                throw MagpieError(.invalidRequest, "Missing required header for this request: x-amz-content-sha256")
            }
            payloadHash = declared
            mode = try headerPayloadMode(declared)
        }
        try checkSignedHeaders(v4, request: request)

        let signingKey = AuthCrypto.signingKey(
            secretKey: secretKey, date: v4.credential.date, region: v4.credential.region, service: v4.credential.service)
        let canonical = SigV4Canonical.request(
            method: request.method, rawPath: request.rawPath, rawQuery: request.rawQuery, headers: request.headers,
            signed: v4.signedHeaders, payloadHash: payloadHash)
        let expected = SigV4Canonical.signature(
            canonicalRequest: canonical, timestamp: v4.timestamp, scope: v4.credential.scope, signingKey: signingKey)
        guard ConstantTime.equals(expected, v4.signature) else { throw AuthError.signatureDoesNotMatch }

        if let mode { return mode }
        let context = ChunkSigningContext(
            signingKey: signingKey, timestamp: v4.timestamp, scope: v4.credential.scope, seedSignature: v4.signature)
        return .streamingSigned(context, trailer: payloadHash == PayloadHash.streamingSignedTrailer)
    }

    /// The body handling an `x-amz-content-sha256` value asks for; nil = signed streaming (needs the key).
    static func headerPayloadMode(_ value: String) throws -> PayloadMode? {
        switch value {
        case PayloadHash.unsigned: return .unsigned
        case PayloadHash.streamingSigned, PayloadHash.streamingSignedTrailer: return nil
        case PayloadHash.streamingUnsignedTrailer: return .streamingUnsigned
        case "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD", "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER":
            throw MagpieError(.notImplemented, "A header you provided implies functionality that is not implemented.")
        default:
            guard AuthCrypto.isSHA256Hex(value) else {
                throw MagpieError(
                    .invalidArgument,
                    "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, "
                        + "STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, "
                        + "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.",
                    details: [("ArgumentName", "x-amz-content-sha256"), ("ArgumentValue", value)])
            }
            return .sha256(value.lowercased())
        }
    }

    /// S3 requires `host` and every `x-amz-*` header present to be signed: otherwise anyone holding
    /// a signed request could add, say, `x-amz-acl: public-read` to it.
    static func checkSignedHeaders(_ v4: SigV4Authorization, request: SignableRequest) throws {
        let signed = Set(v4.signedHeaders)
        var unsigned: [String] = signed.contains("host") ? [] : ["host"]
        for (name, _) in request.headers {
            let lower = name.lowercased()
            if lower.hasPrefix("x-amz-"), !signed.contains(lower), !unsigned.contains(lower) { unsigned.append(lower) }
        }
        if !unsigned.isEmpty { throw AuthError.headersNotSigned(unsigned.sorted()) }
    }
}
