import Foundation
import S3Protocol

/// The master key of encryption at rest (it wraps every SSE-S3 data key and the KMS keyring):
/// `MAGPIE_MASTER_KEY` (base64 of 32 bytes), else the key file (`--master-key-file`, default
/// `<data-dir>/master-key`, mode 0600), created with a random key on the server's first start.
/// Losing it makes every encrypted object unreadable: back it up apart from the data.
enum MasterKey {
    static func defaultPath(dataDirectory: String) -> String { dataDirectory + "/master-key" }

    static func decode(_ text: String, origin: String) throws -> [UInt8] {
        guard let bytes = Base64.decode(text.trimmingCharacters(in: .whitespaces)), bytes.count == 32 else {
            throw CLIError("\(origin): the master key must be the base64 of 32 bytes")
        }
        return bytes
    }

    /// For the server: environment, then the file; a missing file is created when `create` is set.
    static func load(dataDirectory: String, file: String?, create: Bool) throws -> [UInt8]? {
        let env = ProcessInfo.processInfo.environment
        if let value = env["MAGPIE_MASTER_KEY"], !value.isEmpty { return try decode(value, origin: "MAGPIE_MASTER_KEY") }
        let path = file ?? env["MAGPIE_MASTER_KEY_FILE"] ?? defaultPath(dataDirectory: dataDirectory)
        if FileManager.default.fileExists(atPath: path) {
            guard let value = readKeyValueFile(path)?["key"] else { throw CLIError("\(path): no 'key = <base64>' line") }
            return try decode(value, origin: path)
        }
        guard create else { return nil }
        let key = randomSecret()
        try createSecretFile(path, "# encryption at rest: wraps every data key; back it up apart from the data\nkey = \(Base64.encode(key))\n")
        return key
    }
}
