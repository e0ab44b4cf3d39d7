import ArgumentParser
import Foundation

extension Admin {
    /// The local KMS keyring that SSE-KMS (`aws:kms`) uses: named keys, stored wrapped by the master key.
    struct KMS: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "kms", abstract: "KMS keys for SSE-KMS (aws:kms).", subcommands: [Create.self, List.self, Enable.self, Disable.self])

        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Create a key; use its name (or the printed ARN) as the KMS key id.")
            @OptionGroup var options: ClientOptions
            @Argument(help: "Key name (1-256 of A-Z a-z 0-9 / _ - .).") var name: String
            func run() async throws {
                struct Body: Encodable { let name: String }
                printJSON(try await options.client().send("POST", "/-/admin/v1/kms", json: Body(name: name)))
            }
        }

        struct List: AsyncParsableCommand {
            @OptionGroup var options: ClientOptions
            func run() async throws { printJSON(try await options.client().send("GET", "/-/admin/v1/kms")) }
        }

        struct Enable: AsyncParsableCommand {
            @OptionGroup var options: ClientOptions
            @Argument(help: "Key name.") var name: String
            func run() async throws { try await update(options, name, enabled: true) }
        }

        struct Disable: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Disable a key: objects under it can be neither read nor written until it is enabled again.")
            @OptionGroup var options: ClientOptions
            @Argument(help: "Key name.") var name: String
            func run() async throws { try await update(options, name, enabled: false) }
        }

        static func update(_ options: ClientOptions, _ name: String, enabled: Bool) async throws {
            struct Body: Encodable { let name: String; let enabled: Bool }
            _ = try await options.client().send("PUT", "/-/admin/v1/kms", json: Body(name: name, enabled: enabled))
            print("\(enabled ? "enabled" : "disabled") KMS key \(name)")
        }
    }
}
