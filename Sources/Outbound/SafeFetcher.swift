import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// Why an outbound fetch was refused or failed; `reason` is machine-readable.
public struct OutboundError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public var message: String

    public init(reason: String, message: String) {
        self.reason = reason
        self.message = message
    }

    public var description: String { "\(reason): \(message)" }
}

public struct FetchLimits: Sendable, Equatable {
    public var maxBytes: Int = 50 << 20
    public var timeout: Duration = .seconds(10)
    public var maxRedirects: Int = 3

    public init() {}
}

public struct FetchedBody: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]
    /// The URL the body finally came from (after redirects).
    public var url: String
}

/// HTTP(S) GETs from hosts chosen by users (remote image sources) without letting them
/// reach the server's own network: only `http`/`https`, only allow-listed hosts (when a list is
/// given), every address DNS returns checked by the `AddressPolicy` and the connection pinned to a
/// checked address (so a second DNS answer cannot swap in a private one), redirects followed by
/// hand with the same checks on every hop, a size cap while streaming and a deadline.
public struct SafeFetcher: Sendable {
    /// Host names (`example.com`) or suffix patterns (`*.example.com`); empty: any host.
    public var allowedHosts: [String]
    public var policy: AddressPolicy
    public var limits: FetchLimits

    public init(allowedHosts: [String] = [], policy: AddressPolicy = AddressPolicy(), limits: FetchLimits = FetchLimits()) {
        self.allowedHosts = allowedHosts.map { $0.lowercased() }
        self.policy = policy
        self.limits = limits
    }

    public func get(_ url: String) async throws -> FetchedBody {
        var current = url
        for _ in 0...limits.maxRedirects {
            let target = try check(current)
            let address = try await resolve(target.host)
            let response = try await once(target: target, address: address)
            if (301...308).contains(response.status), response.status != 304, response.status != 305,
                let location = response.headers.first(where: { $0.0.lowercased() == "location" })?.1
            {
                guard let next = URL(string: location, relativeTo: URL(string: current))?.absoluteString else {
                    throw OutboundError(reason: "remote-fetch-failed", message: "A redirect pointed to an invalid URL.")
                }
                current = next
                continue
            }
            return response
        }
        throw OutboundError(reason: "remote-fetch-failed", message: "Too many redirects (more than \(limits.maxRedirects)).")
    }

    struct Target {
        var url: URL
        var host: String
    }

    /// Refuses a URL by scheme and host list alone, before any network traffic.
    public func checkURL(_ text: String) throws {
        _ = try check(text)
    }

    /// Scheme and host rules, before any network traffic.
    func check(_ text: String) throws -> Target {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host?.lowercased(), !host.isEmpty
        else {
            throw OutboundError(reason: "remote-url-invalid", message: "Only absolute http:// and https:// URLs can be fetched.")
        }
        guard url.user == nil, url.password == nil else {
            throw OutboundError(reason: "remote-url-invalid", message: "URLs with credentials are not fetched.")
        }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if !allowedHosts.isEmpty && !allowedHosts.contains(where: { Self.matches(bare, pattern: $0) }) {
            throw OutboundError(reason: "remote-host-not-allowed", message: "The host \(bare) is not in the allowed list.")
        }
        return Target(url: url, host: bare)
    }

    static func matches(_ host: String, pattern: String) -> Bool {
        if pattern.hasPrefix("*.") { return host.hasSuffix(pattern.dropFirst(1)) && host.count > pattern.count - 1 }
        return host == pattern
    }

    /// All addresses of `host` must be allowed (a name that resolves to a private address too is
    /// refused outright); the first is used.
    func resolve(_ host: String) async throws -> IPAddress {
        if let literal = IPAddress(host) {
            guard policy.allows(literal) else { throw forbidden(host, literal) }
            return literal
        }
        let addresses = try await NIOThreadPool.singleton.runIfActive { try Self.lookup(host) }
        guard let first = addresses.first else {
            throw OutboundError(reason: "remote-fetch-failed", message: "The host \(host) does not resolve.")
        }
        if let bad = addresses.first(where: { !policy.allows($0) }) { throw forbidden(host, bad) }
        return first
    }

    func forbidden(_ host: String, _ address: IPAddress) -> OutboundError {
        OutboundError(
            reason: "remote-address-forbidden",
            message: "The host \(host) resolves to \(address), a private, loopback, link-local or reserved address.")
    }

    static func lookup(_ host: String) throws -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else {
            throw OutboundError(reason: "remote-fetch-failed", message: "The host \(host) does not resolve.")
        }
        defer { freeaddrinfo(first) }
        var addresses: [IPAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if entry.pointee.ai_family == AF_INET, let raw = entry.pointee.ai_addr {
                let value = raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt32(bigEndian: $0.pointee.sin_addr.s_addr) }
                addresses.append(.v4(value))
            } else if entry.pointee.ai_family == AF_INET6, let raw = entry.pointee.ai_addr {
                let bytes = raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                    withUnsafeBytes(of: pointer.pointee.sin6_addr) { Array($0) }
                }
                addresses.append(.v6(bytes))
            }
            cursor = entry.pointee.ai_next
        }
        return Array(Set(addresses)).sorted { $0.description < $1.description }
    }

    func once(target: Target, address: IPAddress) async throws -> FetchedBody {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        // Connect to the checked address while keeping the name for Host and TLS.
        configuration.dnsOverride = IPAddress(target.host) == nil ? [target.host: address.description] : [:]
        let seconds = Int64(limits.timeout.components.seconds)
        configuration.timeout = .init(connect: .seconds(min(seconds, 5)), read: .seconds(max(1, seconds)))
        configuration.decompression = .disabled
        let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
        do {
            let request = HTTPClientRequest(url: target.url.absoluteString)
            let response = try await client.execute(request, timeout: .seconds(max(1, seconds)))
            if let length = response.headers.first(name: "content-length").flatMap(Int.init), length > limits.maxBytes {
                throw OutboundError(reason: "remote-too-large", message: "The remote body is \(length) bytes; the limit is \(limits.maxBytes).")
            }
            var bytes: [UInt8] = []
            for try await chunk in response.body {
                guard bytes.count + chunk.readableBytes <= limits.maxBytes else {
                    throw OutboundError(reason: "remote-too-large", message: "The remote body exceeds \(limits.maxBytes) bytes.")
                }
                bytes.append(contentsOf: chunk.readableBytesView)
            }
            try await client.shutdown()
            return FetchedBody(
                status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, body: bytes,
                url: target.url.absoluteString)
        } catch let error as OutboundError {
            try? await client.shutdown()
            throw error
        } catch {
            try? await client.shutdown()
            throw OutboundError(reason: "remote-fetch-failed", message: "Fetching \(target.host) failed: \(error)")
        }
    }
}
