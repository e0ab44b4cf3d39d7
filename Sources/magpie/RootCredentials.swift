import Foundation
import ObjectService

/// The root credentials: from `MAGPIE_ROOT_ACCESS_KEY`/`MAGPIE_ROOT_SECRET_KEY`, else from
/// `<data-dir>/credentials` (AWS shared-credentials format, mode 0600), else generated on first start.
struct RootCredentials {
    var accessKey: String
    var secretKey: String

    static func fileURL(dataDirectory: String) -> String { dataDirectory + "/credentials" }

    static func fromEnvironment() -> RootCredentials? {
        let env = ProcessInfo.processInfo.environment
        guard let access = env["MAGPIE_ROOT_ACCESS_KEY"], let secret = env["MAGPIE_ROOT_SECRET_KEY"], !access.isEmpty, !secret.isEmpty else {
            return nil
        }
        return RootCredentials(accessKey: access, secretKey: secret)
    }

    static func read(dataDirectory: String) -> RootCredentials? {
        guard let values = readKeyValueFile(fileURL(dataDirectory: dataDirectory)) else { return nil }
        guard let access = values["aws_access_key_id"], let secret = values["aws_secret_access_key"] else { return nil }
        return RootCredentials(accessKey: access, secretKey: secret)
    }

    /// Environment, then the file; generates and stores new ones when neither exists (`created` = true).
    static func loadOrCreate(dataDirectory: String) throws -> (RootCredentials, created: Bool) {
        if let env = fromEnvironment() { return (env, false) }
        if let stored = read(dataDirectory: dataDirectory) { return (stored, false) }
        let fresh = RootCredentials(accessKey: Credentials.newAccessKey(), secretKey: Credentials.newSecretKey())
        let text = "[default]\naws_access_key_id = \(fresh.accessKey)\naws_secret_access_key = \(fresh.secretKey)\n"
        try createSecretFile(fileURL(dataDirectory: dataDirectory), text)
        return (fresh, true)
    }

    /// For the admin commands: environment, then `--data-dir`'s file.
    static func forClient(dataDirectory: String?) throws -> RootCredentials {
        if let env = fromEnvironment() { return env }
        let env = ProcessInfo.processInfo.environment
        let directory = dataDirectory ?? env["MAGPIE_DATA_DIR"] ?? "./data"
        if let stored = read(dataDirectory: directory) { return stored }
        throw CLIError("no root credentials: set MAGPIE_ROOT_ACCESS_KEY and MAGPIE_ROOT_SECRET_KEY, or pass --data-dir of the server")
    }
}

/// `count` bytes from the system's secure random source (new keys and salts).
func randomSecret(_ count: Int = 32) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
}

/// A new key file: its directory is created, then the file itself as `writeSecretFile` does.
func createSecretFile(_ path: String, _ text: String) throws {
    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try writeSecretFile(path, text)
}

/// Creates `path` with mode 0600 from the start (a secret is never readable by others, not even
/// briefly) and fsyncs it; fails if it exists.
func writeSecretFile(_ path: String, _ text: String) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
    guard fd >= 0 else { throw CLIError("cannot create \(path): \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    let bytes = Array(text.utf8)
    guard write(fd, bytes, bytes.count) == bytes.count, fsync(fd) == 0 else { throw CLIError("cannot write \(path)") }
}

/// Reads `name = value` lines (AWS ini style; sections and comments ignored).
func readKeyValueFile(_ path: String) -> [String: String]? {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
    var values: [String: String] = [:]
    for line in text.split(separator: "\n") {
        let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        if parts.count == 2 { values[parts[0]] = parts[1] }
    }
    return values
}

struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
