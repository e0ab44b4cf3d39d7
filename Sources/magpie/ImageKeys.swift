import Foundation
import ImageProtocol
import S3Protocol

/// The image URL signing pairs: `MAGPIE_IMAGE_KEY` / `MAGPIE_IMAGE_SALT` (hex; comma-separated
/// lists for rotation, the first pair signs), else `<data-dir>/image-keys` (mode 0600),
/// generated on the server's first start so that signed URLs work with no setup.
enum ImageKeys {
    static func fileURL(dataDirectory: String) -> String { dataDirectory + "/image-keys" }

    static func fromEnvironment() throws -> [ImageSigningKey]? {
        let env = ProcessInfo.processInfo.environment
        guard let keys = env["MAGPIE_IMAGE_KEY"], let salts = env["MAGPIE_IMAGE_SALT"], !keys.isEmpty else { return nil }
        return try pairs(keys, salts, origin: "MAGPIE_IMAGE_KEY/MAGPIE_IMAGE_SALT")
    }

    static func pairs(_ keys: String, _ salts: String, origin: String) throws -> [ImageSigningKey] {
        let keyList = keys.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let saltList = salts.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard keyList.count == saltList.count else { throw CLIError("\(origin): as many salts as keys are needed") }
        return try zip(keyList, saltList).map { key, salt in
            guard let pair = ImageSigningKey(hexKey: key, hexSalt: salt) else { throw CLIError("\(origin): keys and salts must be hex") }
            return pair
        }
    }

    static func read(dataDirectory: String) throws -> [ImageSigningKey]? {
        guard let values = readKeyValueFile(fileURL(dataDirectory: dataDirectory)),
            let keys = values["key"], let salts = values["salt"]
        else { return nil }
        return try pairs(keys, salts, origin: fileURL(dataDirectory: dataDirectory))
    }

    /// For the server: environment, then the file, else new random ones stored in the file.
    static func loadOrCreate(dataDirectory: String) throws -> [ImageSigningKey] {
        if let env = try fromEnvironment() { return env }
        if let stored = try read(dataDirectory: dataDirectory) { return stored }
        let key = randomSecret().hexString, salt = randomSecret().hexString
        try createSecretFile(fileURL(dataDirectory: dataDirectory), "# image URL signing (imgproxy-compatible)\nkey = \(key)\nsalt = \(salt)\n")
        return [ImageSigningKey(hexKey: key, hexSalt: salt)!]
    }

    /// For `magpie image url`: environment, then `--data-dir`'s file.
    static func forClient(dataDirectory: String?) throws -> ImageSigningKey {
        if let env = try fromEnvironment(), let first = env.first { return first }
        let directory = dataDirectory ?? ProcessInfo.processInfo.environment["MAGPIE_DATA_DIR"] ?? "./data"
        if let stored = try read(dataDirectory: directory), let first = stored.first { return first }
        throw CLIError("no image signing key: set MAGPIE_IMAGE_KEY and MAGPIE_IMAGE_SALT, or pass --data-dir of the server")
    }
}
