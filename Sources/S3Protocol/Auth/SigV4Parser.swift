import Foundation
import MagpieCore

/// Parses SigV4 from the `Authorization` header or from presigned-URL query parameters.
enum SigV4Parser {
    static let algorithm = "AWS4-HMAC-SHA256"
    /// Presigned URLs may live at most a week.
    static let maxExpires = 604_800
    static let queryMarkers = ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature"]

    /// `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` (`value` starts with the algorithm).
    static func parseHeader(_ value: String, request: SignableRequest) throws -> ParsedAuthorization {
        var fields: [String: String] = [:]
        for component in value.dropFirst(algorithm.count).split(separator: ",") {
            let part = AuthText.trim(component)
            guard let equals = part.firstIndex(of: "=") else { continue }
            fields[String(part[..<equals])] = String(part[part.index(after: equals)...])
        }
        guard let credentialText = fields["Credential"], let signedText = fields["SignedHeaders"],
            let signature = fields["Signature"], !signedText.isEmpty, !signature.isEmpty
        else {
            throw AuthError.headerMalformed(
                "the authorization header requires three components: Credential, SignedHeaders, and Signature."
            )
        }
        let credential: SigV4Credential
        do {
            credential = try SigV4Credential.parse(credentialText)
        } catch {
            throw AuthError.headerMalformed(SigV4Credential.message(for: error))
        }
        let (timestamp, date) = try headerTimestamp(request)
        guard timestamp.hasPrefix(credential.date) else {
            throw AuthError.headerMalformed(
                "Invalid credential date \"\(credential.date)\". This date is not the same as X-Amz-Date: \"\(timestamp.prefix(8))\"."
            )
        }
        let v4 = SigV4Authorization(
            credential: credential, signedHeaders: signedHeaderList(signedText), signature: signature.lowercased(),
            timestamp: timestamp, date: date, expires: nil)
        return ParsedAuthorization(accessKey: credential.accessKey, scheme: .v4(v4))
    }

    /// `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`, `X-Amz-SignedHeaders`, `X-Amz-Signature`.
    static func parseQuery(_ request: SignableRequest) throws -> ParsedAuthorization {
        guard let algorithmValue = request.queryValue("X-Amz-Algorithm"),
            let credentialText = request.queryValue("X-Amz-Credential"),
            let signature = request.queryValue("X-Amz-Signature"), let timestamp = request.queryValue("X-Amz-Date"),
            let signedText = request.queryValue("X-Amz-SignedHeaders"), let expiresText = request.queryValue("X-Amz-Expires")
        else { throw AuthError.missingV4QueryParameters }
        guard algorithmValue == algorithm else {
            throw AuthError.queryError("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"")
        }
        let credential: SigV4Credential
        do {
            credential = try SigV4Credential.parse(credentialText)
        } catch {
            throw AuthError.queryError("Error parsing the X-Amz-Credential parameter; " + SigV4Credential.message(for: error))
        }
        guard let date = AuthDate.parseISO8601Basic(timestamp) else {
            throw AuthError.queryError("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"")
        }
        guard let expires = Int(expiresText) else { throw AuthError.queryError("X-Amz-Expires should be a number") }
        guard expires >= 0 else { throw AuthError.queryError("X-Amz-Expires must be non-negative") }
        guard expires > 0 else { throw AuthError.queryError("X-Amz-Expires must be at least 1 second") }
        guard expires <= maxExpires else {
            throw AuthError.queryError("X-Amz-Expires must be less than a week (in seconds) that is 604800")
        }
        guard timestamp.hasPrefix(credential.date) else {
            throw AuthError.queryError(
                "Invalid credential date \"\(credential.date)\". This date is not the same as X-Amz-Date: \"\(timestamp.prefix(8))\"."
            )
        }
        guard !signedText.isEmpty, !signature.isEmpty else { throw AuthError.missingV4QueryParameters }
        let v4 = SigV4Authorization(
            credential: credential, signedHeaders: signedHeaderList(signedText), signature: signature.lowercased(),
            timestamp: timestamp, date: date, expires: expires)
        return ParsedAuthorization(accessKey: credential.accessKey, scheme: .v4(v4))
    }

    /// The request time: `X-Amz-Date` (ISO 8601 basic) or else `Date` (RFC 1123), as the string-to-sign timestamp.
    static func headerTimestamp(_ request: SignableRequest) throws -> (String, Date) {
        if let amzDate = request.header("x-amz-date") {
            guard let date = AuthDate.parseISO8601Basic(amzDate) else { throw AuthError.missingDate }
            return (amzDate, date)
        }
        guard let httpDate = request.header("date"), let date = AuthDate.parseRFC1123(httpDate) else {
            throw AuthError.missingDate
        }
        return (AuthDate.formatISO8601Basic(date), date)
    }

    private static func signedHeaderList(_ text: String) -> [String] {
        Array(Set(text.split(separator: ";").map { AuthText.trim($0).lowercased() }.filter { !$0.isEmpty })).sorted()
    }
}
