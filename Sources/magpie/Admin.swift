import ArgumentParser
import Foundation

struct ClientOptions: ParsableArguments {
    @Option(help: "Server endpoint (env MAGPIE_ENDPOINT).") var endpoint: String?
    @Option(name: .customLong("data-dir"), help: "Read root credentials from this server data dir (else env MAGPIE_ROOT_*).") var dataDir: String?

    func client() throws -> AdminClient {
        let endpoint = endpoint ?? ProcessInfo.processInfo.environment["MAGPIE_ENDPOINT"] ?? "http://127.0.0.1:9000"
        return try AdminClient(endpoint: endpoint, credentials: try RootCredentials.forClient(dataDirectory: dataDir))
    }
}

/// Prints a JSON answer from the server as it came (already pretty-printed).
func printJSON(_ data: Data) {
    print(String(decoding: data, as: UTF8.self))
}

struct Admin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage users, access keys and KMS keys, and report storage usage, on a running server (root credentials required).",
        subcommands: [User.self, Key.self, KMS.self, Usage.self]
    )

    struct User: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Users (accounts that own buckets).", subcommands: [Create.self, List.self, Delete.self])

        struct Create: AsyncParsableCommand {
            @OptionGroup var options: ClientOptions
            @Argument(help: "User name.") var name: String
            @Option(help: "E-mail address.") var email: String?
            func run() async throws {
                struct Body: Encodable { let name: String; let email: String? }
                printJSON(try await options.client().send("POST", "/-/admin/v1/users", json: Body(name: name, email: email)))
            }
        }

        struct List: AsyncParsableCommand {
            @OptionGroup var options: ClientOptions
            func run() async throws { printJSON(try await options.client().send("GET", "/-/admin/v1/users")) }
        }

        struct Delete: AsyncParsableCommand {
            @OptionGroup var options: ClientOptions
            @Argument(help: "User name.") var name: String
            func run() async throws {
                _ = try await options.client().send("DELETE", "/-/admin/v1/users/\(name)")
                print("deleted user \(name)")
            }
        }
    }

    struct Key: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Access keys.", subcommands: [Create.self, List.self, Delete.self])

        struct Create: AsyncParsableCommand {
            @OptionGroup var options: ClientOptions
            @Option(help: "The user the key belongs to.") var user: String
            @Option(name: .customLong("access-key"), help: "Access key id (generated when omitted).") var accessKey: String?
            @Option(name: .customLong("secret-key"), help: "Secret key (generated when omitted).") var secretKey: String?
            func run() async throws {
                struct Body: Encodable { let user: String; let accessKey: String?; let secretKey: String? }
                printJSON(try await options.client().send("POST", "/-/admin/v1/keys", json: Body(user: user, accessKey: accessKey, secretKey: secretKey)))
            }
        }

        struct List: AsyncParsableCommand {
            @OptionGroup var options: ClientOptions
            @Option(help: "Only this user's keys.") var user: String?
            func run() async throws {
                let query = user.map { [URLQueryItem(name: "user", value: $0)] } ?? []
                printJSON(try await options.client().send("GET", "/-/admin/v1/keys", query: query))
            }
        }

        struct Delete: AsyncParsableCommand {
            @OptionGroup var options: ClientOptions
            @Argument(help: "Access key id.") var accessKey: String
            func run() async throws {
                _ = try await options.client().send("DELETE", "/-/admin/v1/keys/\(accessKey)")
                print("deleted key \(accessKey)")
            }
        }
    }
}
