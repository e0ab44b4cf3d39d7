import CoreMetrics
import Metrics

/// Prometheus series with bounded labels: the operation name and the status code, never a key.
struct RequestMetrics: Sendable {
    func record(operation: String, status: Int, seconds: Double, bytesIn: Int64, bytesOut: Int64) {
        Counter(label: "magpie_requests_total", dimensions: [("operation", operation), ("status", String(status))]).increment()
        Metrics.Timer(label: "magpie_request_duration_seconds", dimensions: [("operation", operation)])
            .recordNanoseconds(Int64(seconds * 1_000_000_000))
        if bytesIn > 0 { Counter(label: "magpie_received_bytes_total", dimensions: [("operation", operation)]).increment(by: bytesIn) }
        if bytesOut > 0 { Counter(label: "magpie_sent_bytes_total", dimensions: [("operation", operation)]).increment(by: bytesOut) }
    }
}
