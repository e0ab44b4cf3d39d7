import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import MagpieServer
import ObjectService
import NIOCore
import S3Protocol

/// A Magpie application on a fresh temporary data directory, for in-process tests.
public struct TestServer: Sendable {
    public static let rootAccessKey = "MAGPIETESTROOTKEY000"
    public static let rootSecretKey = "magpie-test-root-secret-key-0000000000000"

    public let dataDirectory: String

    /// Runs `body` against a new application (router-level testing: no sockets), then removes the data.
    public static func withApp<T: Sendable>(
        dataDirectory: String? = nil,
        domain: String? = nil,
        objects: ObjectServiceConfiguration? = nil,
        metricsToken: String? = nil,
        _ body: @Sendable (S3TestClient, TestServer) async throws -> T
    ) async throws -> T {
        let directory = dataDirectory ?? Self.temporaryDirectory()
        defer { if dataDirectory == nil { try? FileManager.default.removeItem(atPath: directory) } }
        var configuration = MagpieServerConfiguration(rootAccessKey: rootAccessKey, rootSecretKey: rootSecretKey)
        configuration.dataDirectory = directory
        configuration.domain = domain
        if let objects { configuration.objects = objects }
        if configuration.objects.masterKey == nil { configuration.objects.masterKey = (0..<32).map { _ in UInt8.random(in: 0...255) } }
        configuration.metricsToken = metricsToken
        var logger = Logger(label: "magpie.test")
        logger.logLevel = .warning
        let app = try await MagpieApplication.make(configuration: configuration, logger: logger)
        let server = TestServer(dataDirectory: directory)
        return try await app.test(.router) { client in
            try await body(S3TestClient(client: client, accessKey: rootAccessKey, secretKey: rootSecretKey), server)
        }
    }

    public static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "magpie-test-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// Sends SigV4-signed requests through a Hummingbird test client.
public struct S3TestClient: Sendable {
    public let client: any TestClientProtocol
    public let accessKey: String
    public let secretKey: String

    public init(client: any TestClientProtocol, accessKey: String, secretKey: String) {
        self.client = client
        self.accessKey = accessKey
        self.secretKey = secretKey
    }

    /// The same client acting with other credentials.
    public func with(accessKey: String, secretKey: String) -> S3TestClient {
        S3TestClient(client: client, accessKey: accessKey, secretKey: secretKey)
    }

    /// `path` is the raw request target, e.g. `/bucket/some%20key?list-type=2`.
    @discardableResult
    public func send(
        _ method: HTTPRequest.Method, _ path: String, headers: [(String, String)] = [], body: [UInt8] = [], signed: Bool = true,
        payloadHash: String? = nil, date: Date = Date()
    ) async throws -> TestResponse {
        var fields = HTTPFields()
        var all = headers
        if signed {
            let url = URL(string: "http://localhost" + path)!
            let hash = payloadHash ?? PayloadHash.sha256Hex(body)
            all += SigV4Signer(accessKey: accessKey, secretKey: secretKey).signedHeaders(
                method: method.rawValue, url: url,
                headers: headers.contains(where: { $0.0.lowercased() == "host" }) ? headers : headers + [("host", "localhost")],
                payloadHash: hash, date: date
            )
        }
        if !all.contains(where: { $0.0.lowercased() == "host" }) { all.append(("host", "localhost")) }
        for (name, value) in all { fields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
        return try await client.execute(uri: path, method: method, headers: fields, body: body.isEmpty ? nil : ByteBuffer(bytes: body))
    }
}

extension TestResponse {
    /// The body as UTF-8 text.
    public var text: String { String(buffer: body) }
    /// The S3 error code from an error XML body, if any.
    public var errorCode: String? {
        guard let start = text.range(of: "<Code>"), let end = text.range(of: "</Code>") else { return nil }
        return String(text[start.upperBound..<end.lowerBound])
    }
}
