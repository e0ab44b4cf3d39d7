import Foundation
import MagpieCore
import S3Protocol

/// The job signing key (playback tokens, webhook secrets): `MAGPIE_JOB_KEY` (hex), else
/// `<data-dir>/job-keys` (mode 0600), generated on the server's first start.
enum JobKeys {
    static func fileURL(dataDirectory: String) -> String { dataDirectory + "/job-keys" }

    /// At least 16 bytes of hex.
    static func decodeHex(_ text: String) -> [UInt8]? {
        guard text.utf8.count >= 32 else { return nil }
        return Hex.decode(text)
    }

    static func fromEnvironment() throws -> [UInt8]? {
        guard let text = ProcessInfo.processInfo.environment["MAGPIE_JOB_KEY"], !text.isEmpty else { return nil }
        guard let key = decodeHex(text) else { throw CLIError("MAGPIE_JOB_KEY must be at least 16 bytes of hex") }
        return key
    }

    static func read(dataDirectory: String) throws -> [UInt8]? {
        guard let values = readKeyValueFile(fileURL(dataDirectory: dataDirectory)), let text = values["key"] else { return nil }
        guard let key = decodeHex(text) else { throw CLIError("\(fileURL(dataDirectory: dataDirectory)): key must be hex") }
        return key
    }

    static func loadOrCreate(dataDirectory: String) throws -> [UInt8] {
        if let env = try fromEnvironment() { return env }
        if let stored = try read(dataDirectory: dataDirectory) { return stored }
        let key = randomSecret()
        try createSecretFile(fileURL(dataDirectory: dataDirectory), "# playback URL signing and webhook secrets\nkey = \(key.hexString)\n")
        return key
    }

    static func forClient(dataDirectory: String?) throws -> [UInt8] {
        if let env = try fromEnvironment() { return env }
        let directory = dataDirectory ?? ProcessInfo.processInfo.environment["MAGPIE_DATA_DIR"] ?? "./data"
        if let stored = try read(dataDirectory: directory) { return stored }
        throw CLIError("no job signing key: set MAGPIE_JOB_KEY, or pass --data-dir of the server")
    }
}
