import MagpieCore

/// Parses the legacy SigV2: `Authorization: AWS AKID:signature`, or the `AWSAccessKeyId`,
/// `Expires` and `Signature` query parameters.
enum SigV2Parser {
    static func parseHeader(_ value: String) throws -> ParsedAuthorization {
        let credentials = AuthText.trim(value.dropFirst("AWS ".count))
        guard let colon = credentials.lastIndex(of: ":"), colon != credentials.startIndex,
            credentials.index(after: colon) != credentials.endIndex
        else {
            throw MagpieError(
                .invalidArgument, "AWS authorization header is invalid.  Expected AwsAccessKeyId:signature",
                details: [("ArgumentName", "Authorization")])
        }
        return ParsedAuthorization(
            accessKey: String(credentials[..<colon]),
            scheme: .v2Header(signature: String(credentials[credentials.index(after: colon)...])))
    }

    static func parseQuery(_ request: SignableRequest) throws -> ParsedAuthorization {
        guard let accessKey = request.queryValue("AWSAccessKeyId"), let signature = request.queryValue("Signature"),
            let expiresText = request.queryValue("Expires"), !accessKey.isEmpty, !signature.isEmpty
        else {
            throw MagpieError(
                .accessDenied, "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters")
        }
        guard let expires = Int64(expiresText) else {
            throw MagpieError(.accessDenied, "Invalid date (should be seconds since epoch): \(expiresText)")
        }
        return ParsedAuthorization(accessKey: accessKey, scheme: .v2Query(signature: signature, expires: expires))
    }
}
