import Foundation
import MagpieCore

/// Authenticates a POST Object form: the signature is over the base64 `policy` field exactly as
/// sent (before any decoding, so a damaged policy is `SignatureDoesNotMatch`, as with S3).
///
/// - SigV4: `x-amz-algorithm=AWS4-HMAC-SHA256`, `x-amz-credential`, `x-amz-date`, `x-amz-signature`;
///   the signature is hex HMAC-SHA256 under the signing key of the credential's date and region.
/// - SigV2: `AWSAccessKeyId` and `signature`, base64 HMAC-SHA1 under the secret key.
///
/// Both read the fields under lowercased names (`PostFormFields.lowercased`).
public enum PostSignature {
    enum Scheme: Equatable {
        case v4(SigV4Credential, signature: String)
        case v2(accessKey: String, signature: String)
    }

    /// The access key that signed the form. Throws `InvalidArgument` naming a missing or malformed
    /// field, and `AccessDenied` for a form with no signature at all (anonymous uploads are refused).
    public static func accessKey(fields: [String: String]) throws -> String {
        switch try parse(fields: fields).scheme {
        case .v4(let credential, _): return credential.accessKey
        case .v2(let accessKey, _): return accessKey
        }
    }

    /// Verifies the signature with the secret of the key `accessKey(fields:)` named; throws
    /// `SignatureDoesNotMatch` on a mismatch. The comparison takes the same time wherever the first
    /// difference is.
    public static func verify(fields: [String: String], secretKey: String) throws {
        let (scheme, policy) = try parse(fields: fields)
        let matches: Bool
        switch scheme {
        case .v4(let credential, let signature):
            let key = AuthCrypto.signingKey(secretKey: secretKey, date: credential.date, region: credential.region, service: credential.service)
            matches = ConstantTime.equals(AuthCrypto.hex(AuthCrypto.hmacSHA256(key: key, policy)), signature.lowercased())
        case .v2(_, let signature):
            matches = ConstantTime.equals(Base64.encode(AuthCrypto.hmacSHA1(key: secretKey, policy)), signature)
        }
        guard matches else { throw AuthError.signatureDoesNotMatch }
    }

    /// The scheme and the policy text. Required fields are named in the order S3 reports them.
    static func parse(fields: [String: String]) throws -> (scheme: Scheme, policy: String) {
        let fields = PostFormFields.lowercasingNames(fields)
        func required(_ name: String) throws -> String {
            guard let value = fields[name.lowercased()], !value.isEmpty else { throw PostError.missingField(name) }
            return value
        }
        if fields["x-amz-algorithm"] != nil || fields["x-amz-credential"] != nil || fields["x-amz-signature"] != nil {
            let algorithm = try required("X-Amz-Algorithm")
            guard algorithm == "AWS4-HMAC-SHA256" else {
                throw MagpieError(
                    .invalidArgument, "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"",
                    details: [("ArgumentName", "X-Amz-Algorithm"), ("ArgumentValue", algorithm)])
            }
            let credentialText = try required("X-Amz-Credential")
            let credential: SigV4Credential
            do {
                credential = try SigV4Credential.parse(credentialText)
            } catch {
                throw MagpieError(
                    .invalidArgument, SigV4Credential.message(for: error),
                    details: [("ArgumentName", "X-Amz-Credential"), ("ArgumentValue", credentialText)])
            }
            let date = try required("X-Amz-Date")
            guard AuthDate.parseISO8601Basic(date) != nil else {
                throw MagpieError(
                    .invalidArgument, "X-Amz-Date must be formated via ISO8601 Long format",
                    details: [("ArgumentName", "X-Amz-Date"), ("ArgumentValue", date)])
            }
            let signature = try required("X-Amz-Signature")
            return (.v4(credential, signature: signature), try required("Policy"))
        }
        if fields["awsaccesskeyid"] != nil || fields["signature"] != nil {
            let accessKey = try required("AWSAccessKeyId")
            let signature = try required("Signature")
            return (.v2(accessKey: accessKey, signature: signature), try required("Policy"))
        }
        throw MagpieError(.accessDenied, "Access Denied")
    }
}
