import Foundation
import HTTPTypes
import Hummingbird
import MagpieCore
import MetadataStore
import NIOCore
import ObjectService
import S3Protocol

/// `/-/admin/v1/…`: users, access keys, the KMS keyring and storage usage, JSON in and out,
/// SigV4-authenticated, root only.
struct AdminAPI: Sendable {
    let service: ObjectService

    struct UserJSON: Codable {
        var name: String
        var canonicalId: String
        var displayName: String
        var email: String?
        var root: Bool
        var createdAt: String
        init(_ user: UserRecord) {
            name = user.name
            canonicalId = user.canonicalId
            displayName = user.name
            email = user.email
            root = user.isRoot
            createdAt = HTTPDate.iso8601(epochMillis: user.createdAt)
        }
    }

    struct KeyJSON: Codable {
        var accessKey: String
        var secretKey: String?
        var user: String
        var createdAt: String
    }

    /// A keyring key as the admin API shows it (never its material).
    struct KMSKeyJSON: Codable {
        var name: String
        var arn: String
        var enabled: Bool
        var createdAt: String
    }

    struct CreateKMSKey: Codable { var name: String }
    struct UpdateKMSKey: Codable { var name: String; var enabled: Bool }
    struct CreateUser: Codable { var name: String; var email: String? }
    struct CreateKey: Codable { var user: String; var accessKey: String?; var secretKey: String? }

    func handle(_ request: Request, path: String, address: S3Address, auth: RequestAuthenticator.Outcome, body: CountingBody<RequestBody>)
        async throws -> Response
    {
        guard auth.principal.isRoot else { throw MagpieError(.accessDenied, "Only the root user may administer users and keys.") }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)  // ["-", "admin", "v1", …]
        guard parts.count >= 4, parts[2] == "v1" else { throw MagpieError(.invalidURI, "No such endpoint.") }
        let resource = parts[3]
        let name = parts.count > 4 ? try PercentDecoding.decode(Substring(parts[4]), plusAsSpace: false) : nil
        switch (request.method, resource, name) {
        case (.get, "users", nil):
            return try Self.json(try await service.metadata.listUsers().map(UserJSON.init))
        case (.post, "users", nil):
            let input = try await Self.decode(CreateUser.self, body, auth: auth)
            return try Self.json(UserJSON(try await service.createUser(name: input.name, email: input.email)), status: .created)
        case (.delete, "users", let name?):
            try await service.deleteUser(name: name)
            return Response(status: .noContent)
        case (.get, "keys", nil):
            return try Self.json(try await listKeys(userName: address.value("user")))
        case (.post, "keys", nil):
            let input = try await Self.decode(CreateKey.self, body, auth: auth)
            let key = try await service.createAccessKey(userName: input.user, accessKey: input.accessKey, secretKey: input.secretKey)
            let created = KeyJSON(accessKey: key.accessKey, secretKey: key.secretKey, user: input.user, createdAt: HTTPDate.iso8601(epochMillis: key.createdAt))
            return try Self.json(created, status: .created)
        case (.get, "kms", nil):
            return try Self.json(try await service.keys.listKMSKeys().map(kmsJSON))
        case (.post, "kms", nil):
            let input = try await Self.decode(CreateKMSKey.self, body, auth: auth)
            return try Self.json(kmsJSON(try await service.keys.createKMSKey(name: input.name)), status: .created)
        case (.put, "kms", nil):
            let input = try await Self.decode(UpdateKMSKey.self, body, auth: auth)
            try await service.keys.setKMSKeyEnabled(input.name, enabled: input.enabled)
            return Response(status: .noContent)
        case (.get, "usage", nil):
            return try Self.json(try await service.usageReport())
        case (.delete, "keys", let accessKey?):
            guard try await service.deleteAccessKey(accessKey) else { throw MagpieError(.noSuchAccessKey) }
            return Response(status: .noContent)
        default:
            throw MagpieError(.invalidURI, "No such endpoint.")
        }
    }

    func kmsJSON(_ key: KMSKeyRecord) -> KMSKeyJSON {
        KMSKeyJSON(
            name: key.name, arn: KMSKeyName.arn(key.name, region: service.configuration.region), enabled: key.enabled,
            createdAt: HTTPDate.iso8601(epochMillis: key.createdAt))
    }

    func listKeys(userName: String?) async throws -> [KeyJSON] {
        var userId: String?
        if let userName {
            guard let user = try await service.metadata.user(named: userName) else { throw MagpieError(.noSuchUser) }
            userId = user.canonicalId
        }
        let users = Dictionary(uniqueKeysWithValues: try await service.metadata.listUsers().map { ($0.canonicalId, $0.name) })
        return try await service.metadata.listAccessKeys(userId: userId).map {
            KeyJSON(accessKey: $0.accessKey, secretKey: nil, user: users[$0.userId] ?? "", createdAt: HTTPDate.iso8601(epochMillis: $0.createdAt))
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ body: CountingBody<RequestBody>, auth: RequestAuthenticator.Outcome) async throws -> T {
        var bytes: [UInt8] = []
        for try await chunk in body {
            bytes += chunk.readableBytesView
            if bytes.count > 64 * 1024 { throw MagpieError(.invalidArgument, "Request body too large.") }
        }
        if case .sha256(let expected) = auth.payload, PayloadHash.sha256Hex(bytes) != expected { throw MagpieError(.xAmzContentSHA256Mismatch) }
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch {
            throw MagpieError(.invalidArgument, "The request body is not valid JSON for this endpoint.")
        }
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    struct ErrorJSON: Codable { var code: String; var message: String; var requestId: String }

    static func errorResponse(_ error: MagpieError, requestId: String) -> Response {
        let entry = S3ErrorTable.entry(for: error.code)
        let body = ErrorJSON(code: error.code.rawValue, message: S3ErrorTable.message(for: error), requestId: requestId)
        let response = (try? json(body, status: HTTPResponse.Status(code: entry.status))) ?? Response(status: .internalServerError)
        return response
    }
}
