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
        var request = HTTPClientRequest(url: url.url)
        request.method = .POST
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let deadline = TimeAmount.nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000)
        guard let address, address != url.host else {
            let response = try await client.execute(request, timeout: deadline)
            _ = try? await response.body.collect(upTo: 64 * 1024)
            return Int(response.status.code)
        }
        // Connect to the address that passed the check, over http and https alike (the name stays
        // in Host and in TLS), so a second DNS answer cannot swap in another address.
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(15))
        configuration.dnsOverride = [url.host: address]
        let pinned = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let response = try await pinned.execute(request, timeout: deadline)
            _ = try? await response.body.collect(upTo: 64 * 1024)
            try? await pinned.shutdown()
            return Int(response.status.code)
        } catch {
            try? await pinned.shutdown()
            throw error
        }
    }

    public func shutdown() async {
        try? await client.shutdown()
    }
}
