import CoreMetrics
import Metrics
import Foundation
import HTTPTypes
import Hummingbird
import ImageProtocol
import Imaging
import MagpieCore
import NIOCore

/// Image series: per-stage times, results by status and format, cache hits and misses, runs and
/// coalesced joins, queue depth.
struct ImageMetrics: Sendable {
    func stage(_ name: String, _ duration: Duration) {
        Metrics.Timer(label: "magpie_image_stage_seconds", dimensions: [("stage", name)])
            .recordNanoseconds(Int64(duration.milliseconds * 1_000_000))
    }

    func result(status: Int, format: ImageFormat?) {
        Counter(label: "magpie_image_results_total", dimensions: [("status", String(status)), ("format", format?.rawValue ?? "none")])
            .increment()
    }

    func cache(hit: Bool) {
        Counter(label: "magpie_image_cache_total", dimensions: [("result", hit ? "hit" : "miss")]).increment()
    }

    func processed() { Counter(label: "magpie_image_processed_total").increment() }
    func coalesced() { Counter(label: "magpie_image_coalesced_total").increment() }
    func queueDepth(_ depth: Int) { Gauge(label: "magpie_image_queue_depth").record(depth) }
}

extension ImageEndpoint {
    /// Every refusal as JSON with a machine-readable reason, also in `X-Magpie-Error`.
    static func errorResponse(_ error: any Error, requestId: String) -> Response? {
        let status: Int, reason: String, message: String
        var headers = HTTPFields()
        switch error {
        case let error as ImageURLError:
            let forbidden = ["invalid-signature", "missing-signature", "expired", "presets-only"].contains(error.reason)
            (status, reason, message) = (forbidden ? 403 : 400, error.reason, error.message)
        case let error as ImagingError:
            (status, reason, message) = (error.status, error.reason, error.message)
            if error.status == 429 { headers[.retryAfter] = "1" }
        case let error as ImageFailure:
            (status, reason, message) = (error.status, error.reason, error.message)
        case let error as MagpieError where error.code == .noSuchKey:
            (status, reason, message) = (404, "source-not-found", "The source image does not exist.")
        case let error as MagpieError where error.code == .invalidObjectState:
            (status, reason, message) = (403, "source-archived", "The source image is archived (GLACIER or DEEP_ARCHIVE); restore it first.")
        default:
            return nil
        }
        ImageMetrics().result(status: status, format: nil)
        let body = try! JSONSerialization.data(
            withJSONObject: ["error": reason, "message": message, "request_id": requestId], options: [.sortedKeys])
        headers[.magpieError] = reason
        headers[.contentType] = "application/json"
        headers[.contentLength] = String(body.count)
        headers[.cacheControl] = "no-store"
        return Response(status: HTTPResponse.Status(code: status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}

extension HTTPField.Name {
    static let retryAfter = Self("Retry-After")!
}
