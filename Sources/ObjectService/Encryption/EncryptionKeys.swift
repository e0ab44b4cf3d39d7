import Crypto
import Encryption
import Foundation
import MagpieCore
import MetadataStore
import S3Protocol
import Synchronization

/// The key-encryption keys of this server: the master key (SSE-S3, and the wrapping of the KMS
/// keyring) and the keyring's named keys, unwrapped once and then kept in memory. Key material
/// never leaves this type except as wrapped bytes.
public final class EncryptionKeys: Sendable {
    let master: SymmetricKey?
    let metadata: any MetadataStore
    /// Unwrapped keyring keys by name (enabled ones only; changes go through this type).
    let keyring = Mutex<[String: SymmetricKey]>([:])

    /// The key AWS uses when `aws:kms` names no key; created here on first use.
    public static let defaultKMSKeyName = "aws/s3"

    public init(masterKey: [UInt8]?, metadata: any MetadataStore) {
        self.master = masterKey.map { SymmetricKey(data: $0) }
        self.metadata = metadata
    }

    func masterKey() throws -> SymmetricKey {
        guard let master else { throw MagpieError(.notImplemented, "Encryption at rest is not configured on this server (no master key).") }
        return master
    }

    // MARK: Keyring

    /// A new keyring key: 32 random bytes, stored only wrapped by the master key.
    @discardableResult
    public func createKMSKey(name: String) async throws -> KMSKeyRecord {
        guard KMSKeyName.isValid(name) else {
            throw MagpieError(.invalidArgument, "A key name is 1 to 256 characters from A-Z a-z 0-9 / _ - .", details: [("ArgumentName", "name")])
        }
        let key = SymmetricKey(size: .bits256)
        let wrapped = try KeyWrapping.wrap(key, with: try masterKey(), keyId: "keyring:" + name)
        let record = KMSKeyRecord(name: name, material: Data(wrapped).base64EncodedString(), createdAt: ObjectService.nowMillis())
        do {
            try await metadata.createKMSKey(record)
        } catch is KMSKeyExists {
            throw MagpieError(.kmsKeyAlreadyExists, "A KMS key named \(name) already exists.")
        }
        keyring.withLock { $0[name] = key }
        return record
    }

    public func listKMSKeys() async throws -> [KMSKeyRecord] { try await metadata.listKMSKeys() }

    /// Enables or disables a key; objects under a disabled key cannot be read or written.
    public func setKMSKeyEnabled(_ name: String, enabled: Bool) async throws {
        guard try await metadata.setKMSKeyEnabled(name, enabled: enabled) else { throw MagpieError(.kmsNotFound, "Key '\(name)' does not exist") }
        keyring.withLock { $0[name] = nil }
    }

    /// The keyring key `name`, unwrapped (`KMS.NotFoundException` / `KMS.DisabledException`).
    /// `createIfDefault`: the default key is created on first use, as AWS creates `aws/s3`.
    func kmsKey(_ name: String, createIfDefault: Bool = false) async throws -> SymmetricKey {
        if let cached = keyring.withLock({ $0[name] }) { return cached }
        guard let record = try await metadata.kmsKey(named: name) else {
            if createIfDefault, name == Self.defaultKMSKeyName {
                do {
                    try await createKMSKey(name: name)
                } catch let error as MagpieError where error.code == .kmsKeyAlreadyExists {
                    // Created meanwhile by another request.
                }
                return try await kmsKey(name)
            }
            throw MagpieError(.kmsNotFound, "Key '\(name)' does not exist")
        }
        guard record.enabled else { throw MagpieError(.kmsDisabled, "The KMS key \(name) is disabled.") }
        guard let wrapped = Data(base64Encoded: record.material) else { throw MagpieError(.internalError, "keyring key \(name) is unreadable") }
        let key = try KeyWrapping.unwrap(Array(wrapped), with: try masterKey(), keyId: "keyring:" + name)
        keyring.withLock { $0[name] = key }
        return key
    }

    // MARK: Per-object keys

    /// SSE-C: the HMAC by which a customer key is recognised later (the key itself is never stored).
    func fingerprint(_ customerKey: [UInt8]) throws -> String {
        Data(KeyWrapping.customerKeyFingerprint(customerKey, serverSecret: try masterKey())).base64EncodedString()
    }

    /// The key-encryption key for `settings`: the master key, a keyring key, or the customer's key.
    func keyEncryptionKey(for settings: ServerSideEncryption, customerKey: CustomerKey?) async throws -> SymmetricKey {
        switch settings.method {
        case .s3: return try masterKey()
        case .kms: return try await kmsKey(settings.kmsKeyName ?? Self.defaultKMSKeyName, createIfDefault: true)
        case .customer:
            guard let customerKey else { throw ObjectService.customerKeyMissing }
            return SymmetricKey(data: customerKey.bytes)
        }
    }
}

/// Names and ARNs of keyring keys. A key is addressed by its name, `alias/NAME`, or an ARN ending
/// in `key/NAME` or `alias/NAME`; it is reported as `arn:aws:kms:REGION:000000000000:key/NAME`.
public enum KMSKeyName {
    public static func isValid(_ name: String) -> Bool {
        Credentials.isASCIIName(name, lengths: 1...256, punctuation: "/_-.") && !name.hasPrefix("alias/") && !name.hasPrefix("arn:")
    }

    /// The key name a client's key id refers to.
    public static func name(fromKeyId id: String) -> String {
        if id.hasPrefix("arn:") {
            let resource = id.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).last.map(String.init) ?? id
            for prefix in ["key/", "alias/"] where resource.hasPrefix(prefix) { return String(resource.dropFirst(prefix.count)) }
            return resource
        }
        return id.hasPrefix("alias/") ? String(id.dropFirst("alias/".count)) : id
    }

    public static func arn(_ name: String, region: String) -> String { "arn:aws:kms:\(region):000000000000:key/\(name)" }
}
