import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MagpieCore
import NIOCore
import MetadataStore
import ObjectService
import S3Protocol

/// The single responder on the listener: `/-/…` for Magpie's own endpoints, everything else is S3.
/// It owns the request id, the mapping of every error to an S3 error response, the access log line and
/// the request metrics — so no error can escape as a crash or an HTML page.
struct MagpieResponder: HTTPResponder {
    typealias Context = MagpieRequestContext

    let configuration: MagpieServerConfiguration
    let service: ObjectService
    let handlers: S3Handlers
    let admin: AdminAPI
    let observability: ObservabilityEndpoints
    let authenticator: RequestAuthenticator
    let images: ImageEndpoint
    let jobs: JobsAPI
    let playback: PlaybackEndpoint
    let accessLog: Logger
    let metrics = RequestMetrics()

    func respond(to request: Request, context: Context) async throws -> Response {
        let started = ContinuousClock.now
        let requestId = Self.newRequestId()
        let bytesIn = ByteCounter()
        let body = CountingBody(base: request.body, counter: bytesIn)
        var operation = "Unknown"
        var bucket: String?
        var call: S3Call?
        var response: Response
        do {
            let target = request.head.path ?? "/"
            if target.hasPrefix("/-/") {
                (operation, response) = try await internalEndpoint(request, target: target, requestId: requestId, body: body)
            } else if target.hasPrefix("/p/") {
                operation = "Playback"
                response = try await playback.handle(request, target: target, requestId: requestId)
            } else if target.hasPrefix("/i/") || target.hasPrefix("/a/") {
                operation = "Image"
                response = try await images.handle(request, target: target, requestId: requestId)
            } else {
                let address = try S3Address(target: target, host: request.headers[named: "host"] ?? request.head.authority, domain: configuration.domain)
                bucket = address.bucketName
                let identified = S3Operation.identify(method: request.method.rawValue, address: address) { request.headers[named: $0] }
                operation = identified.rawValue
                switch identified {
                case .preflight:
                    // CORS preflights are answered from the bucket's CORS rules alone: no authentication, no policy.
                    response = try await handlers.preflight(request, address: address)
                    return finish(stamped(response, requestId), started: started, requestId: requestId, operation: operation, bucket: bucket, bytesIn: bytesIn)
                case .postObject:
                    // A browser form carries its own policy and signature instead of an Authorization header.
                    response = try await handlers.postObject(request, address: address, body: body, remote: context.remoteAddress)
                default:
                    let auth = try await authenticator.authenticate(request, address: address)
                    let accessContext = S3AccessContext.make(
                        headers: { request.headers[named: $0] }, address: address, principal: auth.principal, authType: auth.authType,
                        signatureVersion: auth.signatureVersion, remote: context.remoteAddress
                    )
                    let authorized = S3Call(
                        request: request, address: address, operation: identified, principal: auth.principal, payload: auth.payload,
                        requestId: requestId, body: body, accessContext: accessContext
                    )
                    call = authorized
                    try await handlers.authorize(authorized)
                    response = try await handlers.handle(authorized)
                }
            }
        } catch {
            let error = await handlers.hidingMissingKeys(error, call: call)
            response = errorResponse(error, request: request, requestId: requestId, operation: operation)
        }
        if let bucket, let origin = request.headers[.origin], !(request.head.path ?? "/").hasPrefix("/-/") {
            response = await handlers.withCORSHeaders(response, bucket: bucket, origin: origin, method: request.method.rawValue)
        }
        return finish(stamped(response, requestId), started: started, requestId: requestId, operation: operation, bucket: bucket, bytesIn: bytesIn)
    }

    func stamped(_ response: Response, _ requestId: String) -> Response {
        var response = response
        response.headers[.amzRequestId] = requestId
        response.headers[.amzId2] = requestId
        response.headers[.server] = "Magpie"
        return response
    }

    func internalEndpoint(_ request: Request, target: String, requestId: String, body: CountingBody<RequestBody>) async throws -> (String, Response) {
        let path = String(target.prefix { $0 != "?" })
        switch path {
        case "/-/health": return ("Health", observability.health())
        case "/-/metrics": return ("Metrics", try await observability.metrics(request))
        default:
            if path.hasPrefix("/-/api/v1/") {
                let address = try S3Address(target: target, host: nil, domain: nil)
                // JSON bodies are small: read first (bounded), so a signer that signs the body's hash
                // without sending x-amz-content-sha256 (curl --aws-sigv4) is verified against it.
                let bytes = try await JobsAPI.bytes(body)
                let hash = request.headers[named: "x-amz-content-sha256"] == nil ? PayloadHash.sha256Hex(bytes) : nil
                let auth = try await authenticator.authenticate(request, address: address, undeclaredPayloadHash: hash)
                if case .sha256(let expected) = auth.payload, PayloadHash.sha256Hex(bytes) != expected { throw MagpieError(.xAmzContentSHA256Mismatch) }
                // The job API acts for a user: anonymous requests (which S3 paths may serve under a
                // bucket policy) get nothing here.
                guard !auth.principal.isAnonymous else { throw MagpieError(.accessDenied, "The job API needs a signed request.") }
                return ("Jobs", try await jobs.handle(request, path: path, address: address, auth: auth, body: bytes, requestId: requestId))
            }
            if path.hasPrefix("/-/admin/") {
                let address = try S3Address(target: target, host: nil, domain: nil)
                let auth = try await authenticator.authenticate(request, address: address)
                return ("Admin", try await admin.handle(request, path: path, address: address, auth: auth, body: body))
            }
            throw MagpieError(.invalidURI, "No such endpoint.")
        }
    }

    func errorResponse(_ error: any Error, request: Request, requestId: String, operation: String) -> Response {
        if let target = request.head.path, target.hasPrefix("/i/") || target.hasPrefix("/a/"),
            let response = ImageEndpoint.errorResponse(error, requestId: requestId)
        {
            return response
        }
        let magpieError: MagpieError
        if let known = error as? MagpieError {
            magpieError = known
        } else {
            accessLog.error("request failed", metadata: ["request_id": "\(requestId)", "operation": "\(operation)", "error": "\(error)"])
            magpieError = MagpieError(.internalError, cause: error)
        }
        if let target = request.head.path, target.hasPrefix("/-/api/") || target.hasPrefix("/-/admin/") {
            return AdminAPI.errorResponse(magpieError, requestId: requestId)
        }
        let resource = request.head.path.map { String($0.prefix { $0 != "?" }) }
        return S3Response.error(magpieError, requestId: requestId, isHead: request.method == .head, resource: resource)
    }

    /// Wraps the body so that the access log line and metrics are written when the body is done.
    func finish(_ response: Response, started: ContinuousClock.Instant, requestId: String, operation: String, bucket: String?, bytesIn: ByteCounter)
        -> Response
    {
        var response = response
        let original = response.body
        let status = Int(response.status.code)
        let log = accessLog, metrics = metrics
        response.body = ResponseBody(contentLength: original.contentLength) { writer in
            let bytesOut = ByteCounter()
            var failure: (any Error)?
            do {
                try await original.write(CountingWriter(inner: writer, counter: bytesOut))
            } catch {
                failure = error
            }
            Self.logLine(log, requestId, operation, bucket, status, bytesIn, bytesOut, started, failure == nil ? "ok" : "aborted", error: failure)
            metrics.record(operation: operation, status: status, seconds: started.secondsSince, bytesIn: bytesIn.total, bytesOut: bytesOut.total)
            if let failure { throw failure }
        }
        return response
    }

    static func logLine(
        _ log: Logger, _ requestId: String, _ operation: String, _ bucket: String?, _ status: Int, _ bytesIn: ByteCounter,
        _ bytesOut: ByteCounter, _ started: ContinuousClock.Instant, _ outcome: String, error: (any Error)?
    ) {
        var metadata: Logger.Metadata = [
            "request_id": "\(requestId)", "operation": "\(operation)", "status": "\(status)", "bytes_in": "\(bytesIn.total)",
            "bytes_out": "\(bytesOut.total)", "latency_ms": "\(String(format: "%.3f", started.secondsSince * 1000))", "outcome": "\(outcome)",
        ]
        if let bucket { metadata["bucket"] = "\(bucket)" }
        if let error { metadata["error"] = "\(error)" }
        log.info("request", metadata: metadata)
    }

    static func newRequestId() -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789ABCDEF")
        return String((0..<16).map { _ in digits[Int.random(in: 0..<16, using: &generator)] })
    }
}

/// A response body writer that counts what passes through it.
struct CountingWriter: ResponseBodyWriter {
    var inner: any ResponseBodyWriter
    let counter: ByteCounter

    mutating func write(_ buffer: ByteBuffer) async throws {
        counter.add(buffer.readableBytes)
        try await inner.write(buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        try await inner.finish(trailingHeaders)
    }
}

extension ContinuousClock.Instant {
    var secondsSince: Double {
        let elapsed = ContinuousClock.now - self
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
