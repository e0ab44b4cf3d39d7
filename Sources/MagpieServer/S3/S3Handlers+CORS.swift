import AccessControl
import HTTPTypes
import Hummingbird
import MagpieCore
import ObjectService
import S3Protocol

extension S3Handlers {
    func putBucketCors(_ call: S3Call) async throws -> Response {
        let configuration = try CORSConfiguration.parse(try await call.collectBody(limit: configuration.maxXMLBodyBytes))
        try await service.putBucketCORS(try call.address.bucket(), configuration)
        return S3Response.empty()
    }

    func getBucketCors(_ call: S3Call) async throws -> Response {
        S3Response.xml(try await service.bucketCORS(try call.address.bucket()).xml)
    }

    func deleteBucketCors(_ call: S3Call) async throws -> Response {
        try await service.deleteBucketCORS(try call.address.bucket())
        return S3Response.empty(.noContent)
    }

    /// `OPTIONS /bucket[/key]`: answered by the first CORS rule matching Origin, Access-Control-Request-Method
    /// and every Access-Control-Request-Headers entry; 403 when none does. The key is never looked at, so a
    /// preflight for an upload to a new key works.
    func preflight(_ request: Request, address: S3Address) async throws -> Response {
        guard let origin = request.headers[.origin] else {
            throw MagpieError(.badRequest, "Insufficient information. Origin request header needed.")
        }
        guard let method = request.headers[.accessControlRequestMethod] else {
            throw MagpieError(.badRequest, "Invalid Access-Control-Request-Method: null")
        }
        let bucket = try address.bucket()
        guard let access = try await service.bucketAccess(bucket.rawValue) else {
            throw MagpieError(.noSuchBucket, details: [("BucketName", bucket.rawValue)])
        }
        guard let cors = access.cors else { throw MagpieError(.accessForbidden, "CORSResponse: CORS is not enabled for this bucket.") }
        let requested = (request.headers[.accessControlRequestHeaders] ?? "").split(separator: ",")
            .map { String($0.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()) }.filter { !$0.isEmpty }
        guard let match = cors.preflight(origin: origin, method: method, requestHeaders: requested) else {
            throw MagpieError(.accessForbidden, details: [("Method", method), ("ResourceType", address.keyName == nil ? "BUCKET" : "OBJECT")])
        }
        var headers = Self.corsHeaders(match)
        headers[.vary] = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"
        if !match.allowHeaders.isEmpty { headers[.accessControlAllowHeaders] = match.allowHeaders.joined(separator: ", ") }
        return S3Response.empty(headers: headers)
    }

    static func corsHeaders(_ match: CORSConfiguration.Match) -> HTTPFields {
        var headers: HTTPFields = [
            .accessControlAllowOrigin: match.allowOrigin, .accessControlAllowMethods: match.allowMethods.joined(separator: ", "),
        ]
        if match.allowCredentials { headers[.accessControlAllowCredentials] = "true" }
        if !match.exposeHeaders.isEmpty { headers[.accessControlExposeHeaders] = match.exposeHeaders.joined(separator: ", ") }
        if let age = match.maxAgeSeconds { headers[.accessControlMaxAge] = String(age) }
        return headers
    }

    /// Adds `Access-Control-*` headers to an actual response (errors included, so a browser can read them) when
    /// the bucket's CORS rules allow the request's origin and method; `Vary: Origin` whenever the bucket has rules.
    func withCORSHeaders(_ response: Response, bucket: String, origin: String, method: String) async -> Response {
        guard let access = try? await service.bucketAccess(bucket), let cors = access.cors else { return response }
        var response = response
        response.headers[.vary] = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"
        if let match = cors.actual(origin: origin, method: method) {
            for field in Self.corsHeaders(match) { response.headers[field.name] = field.value }
        }
        return response
    }
}
