import Foundation
import MagpieCore

/// The authentication failures, worded as AWS S3 words them.
///
/// Messages never carry the secret, the expected signature or the string-to-sign: those would help
/// an attacker and are of no use to an honest client whose SDK already knows them.
enum AuthError {
    static let maxSkew: TimeInterval = 15 * 60

    static var signatureDoesNotMatch: MagpieError {
        MagpieError(
            .signatureDoesNotMatch,
            "The request signature we calculated does not match the signature you provided. Check your key and signing method."
        )
    }

    static func headerMalformed(_ detail: String) -> MagpieError {
        MagpieError(.authorizationHeaderMalformed, "The authorization header is malformed; \(detail)")
    }

    static func queryError(_ message: String) -> MagpieError {
        MagpieError(.authorizationQueryParametersError, message)
    }

    static var missingV4QueryParameters: MagpieError {
        queryError(
            "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, "
                + "X-Amz-SignedHeaders, and X-Amz-Expires parameters."
        )
    }

    static var unsupportedAuthorizationType: MagpieError {
        MagpieError(.invalidArgument, "Unsupported Authorization Type", details: [("ArgumentName", "Authorization")])
    }

    static var conflictingMechanisms: MagpieError {
        MagpieError(
            .invalidArgument,
            "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter "
                + "or the Authorization header should be specified",
            details: [("ArgumentName", "Authorization")]
        )
    }

    static var missingDate: MagpieError {
        MagpieError(.accessDenied, "AWS authentication requires a valid Date or x-amz-date header")
    }

    static var expired: MagpieError {
        MagpieError(.accessDenied, "Request has expired")
    }

    static var notYetValid: MagpieError {
        MagpieError(.accessDenied, "Request is not valid yet")
    }

    static func tooSkewed(requestTime: Date, now: Date) -> MagpieError {
        MagpieError(
            .requestTimeTooSkewed,
            "The difference between the request time and the current time is too large.",
            details: [
                ("RequestTime", AuthDate.formatISO8601Basic(requestTime)),
                ("ServerTime", AuthDate.formatISO8601Basic(now)),
                ("MaxAllowedSkewMilliseconds", "900000"),
            ]
        )
    }

    static func headersNotSigned(_ names: [String]) -> MagpieError {
        MagpieError(
            .accessDenied,
            "There were headers present in the request which were not signed",
            details: [("HeadersNotSigned", names.joined(separator: ", "))]
        )
    }

    /// Throws `RequestTimeTooSkewed` when `date` is more than 15 minutes away from `now`.
    static func checkSkew(_ date: Date, now: Date) throws {
        if abs(date.timeIntervalSince(now)) > maxSkew {
            throw tooSkewed(requestTime: date, now: now)
        }
    }
}
