import CoreMetrics
import Metrics
import Foundation
import HTTPTypes
import Hummingbird
import ImageProtocol
import Imaging
import MagpieCore
import NIOCore
import Synchronization

/// Image series: per-stage times, results by status and format, cache hits and misses, runs and
/// coalesced joins, queue depth. Handles are made once per label set (the metrics backend looks
/// them up under a lock), not on every request.
struct ImageMetrics: Sendable {
    private static let handles = Handles()

    private final class Handles: Sendable {
        let hits = Counter(label: "magpie_image_cache_total", dimensions: [("result", "hit")])
        let misses = Counter(label: "magpie_image_cache_total", dimensions: [("result", "miss")])
        let processed = Counter(label: "magpie_image_processed_total")
        let coalesced = Counter(label: "magpie_image_coalesced_total")
        let queueDepth = Gauge(label: "magpie_image_queue_depth")
        let stages = Mutex<[String: Metrics.Timer]>([:])
        let results = Mutex<[String: Counter]>([:])

        func stage(_ name: String) -> Metrics.Timer {
            stages.withLock { timers in
                if let timer = timers[name] { return timer }
                let timer = Metrics.Timer(label: "magpie_image_stage_seconds", dimensions: [("stage", name)])
                timers[name] = timer
                return timer
            }
        }

        func result(_ status: String, _ format: String) -> Counter {
            results.withLock { counters in
                let key = status + "/" + format
                if let counter = counters[key] { return counter }
                let counter = Counter(label: "magpie_image_results_total", dimensions: [("status", status), ("format", format)])
                counters[key] = counter
                return counter
            }
        }
    }

    func stage(_ name: String, _ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        Self.handles.stage(name).recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    func result(status: Int, format: ImageFormat?) {
        Self.handles.result(String(status), format?.rawValue ?? "none").increment()
    }

    func cache(hit: Bool) { (hit ? Self.handles.hits : Self.handles.misses).increment() }
    func processed() { Self.handles.processed.increment() }
    func coalesced() { Self.handles.coalesced.increment() }
    func queueDepth(_ depth: Int) { Self.handles.queueDepth.record(depth) }
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
