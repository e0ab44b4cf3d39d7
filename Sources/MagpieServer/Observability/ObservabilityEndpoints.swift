import HTTPTypes
import Hummingbird
import MagpieCore
import NIOCore
import Prometheus

/// `/-/health` (unauthenticated, for load balancers) and `/-/metrics` (Prometheus text, optionally
/// behind a bearer token).
struct ObservabilityEndpoints: Sendable {
    let registry: PrometheusCollectorRegistry?
    let metricsToken: String?

    func health() -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
    }

    func metrics(_ request: Request) async throws -> Response {
        if let token = metricsToken {
            guard let header = request.headers[.authorization], ConstantTime.equals(header, "Bearer \(token)") else {
                throw MagpieError(.accessDenied)
            }
        }
        var bytes: [UInt8] = []
        registry?.emit(into: &bytes)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }
}
