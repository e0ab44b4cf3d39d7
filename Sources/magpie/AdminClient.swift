import Foundation
import S3Protocol

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Talks to a running server's admin API with SigV4-signed JSON requests.
struct AdminClient {
    let endpoint: URL
    let signer: SigV4Signer

    init(endpoint: String, credentials: RootCredentials) throws {
        guard let url = URL(string: endpoint), url.scheme == "http" || url.scheme == "https" else {
            throw CLIError("invalid endpoint \(endpoint)")
        }
        self.endpoint = url
        self.signer = SigV4Signer(accessKey: credentials.accessKey, secretKey: credentials.secretKey)
    }

    /// Sends the request and returns the body; a non-2xx answer becomes a CLIError with the server's message.
    func send(_ method: String, _ path: String, query: [URLQueryItem] = [], json: (any Encodable)? = nil) async throws -> Data {
        try await sendRaw(method, path, query: query, body: try json.map { try JSONEncoder().encode($0) }, isJSON: json != nil)
    }

    /// Sends raw bytes (a JSON document read from a file).
    func sendRaw(_ method: String, _ path: String, query: [URLQueryItem] = [], body: Data?, isJSON: Bool = true) async throws -> Data {
        var components = URLComponents(url: endpoint, resolvingAgainstBaseURL: false)!
        components.path = path
        if !query.isEmpty { components.queryItems = query }
        let url = components.url!
        let body = body ?? Data()
        var request = URLRequest(url: url)
        request.httpMethod = method
        var headers: [(String, String)] = []
        if isJSON && !body.isEmpty { headers.append(("content-type", "application/json")) }
        headers += signer.signedHeaders(method: method, url: url, headers: headers, payloadHash: PayloadHash.sha256Hex(Array(body)), date: Date())
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if !body.isEmpty { request.httpBody = body }
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            if let error = try? JSONDecoder().decode([String: String].self, from: data), let code = error["code"] {
                throw CLIError("\(code): \(error["message"] ?? "") (HTTP \(status))")
            }
            throw CLIError("HTTP \(status): \(String(decoding: data.prefix(500), as: UTF8.self))")
        }
        return data
    }
}
