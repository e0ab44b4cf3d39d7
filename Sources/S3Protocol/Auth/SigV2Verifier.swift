import Foundation
import MagpieCore

/// Checks a legacy SigV2 request: base64 HMAC-SHA1 over `SigV2StringToSign`.
///
/// SigV2 clients disagree on a few details, so each plausible string-to-sign is tried: the bucket
/// root with or without its trailing `/`, and, with `x-amz-date`, an empty Date line (AWS's rule)
/// or the `x-amz-date` value in its place (AWS's own documented example).
enum SigV2Verifier {
    typealias Headers = [(name: String, value: String)]

    static func verifyHeader(signature: String, request: SignableRequest, secretKey: String, now: Date) throws -> PayloadMode {
        let amzDate = request.header("x-amz-date")
        guard let dateText = amzDate ?? request.header("date"), let date = AuthDate.parseAny(dateText) else {
            throw AuthError.missingDate
        }
        try AuthError.checkSkew(date, now: now)
        let amzHeaders = request.headers.filter { $0.name.lowercased().hasPrefix("x-amz-") }
        var variants: [(date: String, amzHeaders: Headers)] = [(amzDate == nil ? dateText : "", amzHeaders)]
        if let amzDate {
            variants.append((amzDate, amzHeaders.filter { $0.name.lowercased() != "x-amz-date" }))
        }
        try check(
            signature, request: request, secretKey: secretKey, variants: variants,
            contentMD5: request.header("content-md5") ?? "", contentType: request.header("content-type") ?? "")
        return .unsigned
    }

    /// Query authentication. A presigner (botocore's `HmacV1QueryAuth`) signs `Content-Type`,
    /// `Content-MD5` and `x-amz-*` headers and copies them into the query, so a client that then
    /// omits the headers is still checked against what was signed.
    static func verifyQuery(signature: String, expires: Int64, request: SignableRequest, secretKey: String, now: Date)
        throws -> PayloadMode
    {
        guard now.timeIntervalSince1970 <= TimeInterval(expires) else { throw AuthError.expired }
        let query = request.queryItems
        func fromQuery(_ name: String) -> String? { query.first { $0.name.lowercased() == name }?.value }
        var amzHeaders = request.headers.filter { $0.name.lowercased().hasPrefix("x-amz-") }
        let headerNames = Set(amzHeaders.map { $0.name.lowercased() })
        for item in query where item.name.lowercased().hasPrefix("x-amz-") && !headerNames.contains(item.name.lowercased()) {
            amzHeaders.append(item)
        }
        try check(
            signature, request: request, secretKey: secretKey,
            variants: [(request.queryValue("Expires") ?? String(expires), amzHeaders)],
            contentMD5: request.header("content-md5") ?? fromQuery("content-md5") ?? "",
            contentType: request.header("content-type") ?? fromQuery("content-type") ?? "")
        return .unsigned
    }

    private static func check(
        _ provided: String,
        request: SignableRequest,
        secretKey: String,
        variants: [(date: String, amzHeaders: Headers)],
        contentMD5: String,
        contentType: String
    ) throws {
        var matched = false
        for resource in SigV2StringToSign.canonicalResources(request) {
            for variant in variants {
                let stringToSign = SigV2StringToSign.build(
                    method: request.method, resource: resource, contentMD5: contentMD5, contentType: contentType,
                    date: variant.date, amzHeaders: variant.amzHeaders)
                let expected = Data(AuthCrypto.hmacSHA1(key: secretKey, stringToSign)).base64EncodedString()
                // Every candidate is compared, so timing does not reveal which one matched.
                matched = ConstantTime.equals(expected, provided) || matched
            }
        }
        guard matched else { throw AuthError.signatureDoesNotMatch }
    }
}
