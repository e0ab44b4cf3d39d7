import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import S3Protocol

/// Options of the job commands: the server and the access key to sign with
/// (`AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, else the root credentials).
struct JobClientOptions: ParsableArguments {
    @Option(help: "Server endpoint (env MAGPIE_ENDPOINT).") var endpoint: String?
    @Option(name: .customLong("data-dir"), help: "Read root credentials from this server data dir when no AWS_* key is set.") var dataDir: String?

    func client() throws -> AdminClient {
        let env = ProcessInfo.processInfo.environment
        let endpoint = endpoint ?? env["MAGPIE_ENDPOINT"] ?? "http://127.0.0.1:9000"
        return try AdminClient(endpoint: endpoint, credentials: try credentials())
    }

    func credentials() throws -> RootCredentials {
        let env = ProcessInfo.processInfo.environment
        if let access = env["AWS_ACCESS_KEY_ID"], let secret = env["AWS_SECRET_ACCESS_KEY"], !access.isEmpty {
            return RootCredentials(accessKey: access, secretKey: secret)
        }
        return try RootCredentials.forClient(dataDirectory: dataDir)
    }
}

/// Follows a job's Server-Sent Events and draws a progress bar on stderr.
struct JobWatcher {
    let client: AdminClient

    /// Returns the final job JSON (the last `status` event).
    func watch(jobId: String, quiet: Bool) async throws -> [String: Any] {
        var components = URLComponents(url: client.endpoint, resolvingAgainstBaseURL: false)!
        components.path = "/-/api/v1/jobs/\(jobId)/events"
        let url = components.url!
        let headers = client.signer.signedHeaders(method: "GET", url: url, headers: [], payloadHash: PayloadHash.sha256Hex([]), date: Date())
        var request = HTTPClientRequest(url: url.absoluteString)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { _ = http.shutdown() }
        let response = try await http.execute(request, timeout: .hours(24))
        guard response.status.code == 200 else {
            let body = try await response.body.collect(upTo: 1 << 20)
            throw CLIError("HTTP \(response.status.code): \(String(buffer: body))")
        }
        var pending = ""
        var last: [String: Any] = [:]
        let terminal = isatty(2) == 1
        var shown = -1
        for try await chunk in response.body {
            pending += String(buffer: chunk)
            while let end = pending.range(of: "\n\n") {
                let block = String(pending[..<end.lowerBound])
                pending.removeSubrange(..<end.upperBound)
                var event = "message", data = ""
                for line in block.split(separator: "\n") {
                    if line.hasPrefix("event: ") { event = String(line.dropFirst(7)) }
                    if line.hasPrefix("data: ") { data += line.dropFirst(6) }
                }
                guard let object = try? JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any] else { continue }
                if event == "status" { last = object }
                let status = object["status"] as? String ?? "?"
                let progress = object["progress"] as? Int ?? 0
                if !quiet && (terminal || progress / 10 != shown / 10 || event == "status") {
                    Self.draw(status: status, progress: progress, terminal: terminal)
                    shown = progress
                }
            }
        }
        if !quiet && terminal { FileHandle.standardError.write(Data("\n".utf8)) }
        return last
    }

    static func draw(status: String, progress: Int, terminal: Bool) {
        let width = 30
        let filled = max(0, min(width, progress * width / 100))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let line = "[\(bar)] \(String(repeating: " ", count: 3 - String(progress).count))\(progress)% \(status)"
        FileHandle.standardError.write(Data((terminal ? "\r\(line)\u{1B}[K" : line + "\n").utf8))
    }
}
