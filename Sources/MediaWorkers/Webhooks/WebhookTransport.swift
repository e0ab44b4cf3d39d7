import AsyncHTTPClient
import Foundation
import MediaJobs
import NIOCore
import NIOHTTP1

/// Sends one webhook POST. A small boundary so that the shared SSRF-safe outbound client can
/// replace this implementation later.
public protocol WebhookTransport: Sendable {
    /// POSTs `body` to `url` and returns the HTTP status; `connectTo` is the checked address to
    /// connect to (http), so the name cannot resolve elsewhere between check and connect.
    func post(url: WebhookURL, connectTo address: String?, body: [UInt8], headers: [(String, String)], timeout: Duration) async throws -> Int
    func shutdown() async
}

/// async-http-client, no redirects (a redirect could lead to an address that was never checked).
public final class AsyncHTTPWebhookTransport: WebhookTransport {
    let client: HTTPClient

    public init() {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(15))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func post(url: WebhookURL, connectTo address: String?, body: [UInt8], headers: [(String, String)], timeout: Duration) async throws -> Int {
        var target = url.url
        var extra = headers
        if url.scheme == "http", let address, var components = URLComponents(string: url.url) {
            // Connect to the address that passed the check; keep the name in the Host header.
            components.host = address.contains(":") ? "[\(address)]" : address
            if let rebuilt = components.string {
                target = rebuilt
                extra.append(("Host", url.port == 80 ? url.host : "\(url.host):\(url.port)"))
            }
        }
        var request = HTTPClientRequest(url: target)
        request.method = .POST
        for (name, value) in extra { request.headers.replaceOrAdd(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await client.execute(request, timeout: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000))
        _ = try? await response.body.collect(upTo: 64 * 1024)
        return Int(response.status.code)
    }

    public func shutdown() async {
        try? await client.shutdown()
    }
}
