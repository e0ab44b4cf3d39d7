import ArgumentParser

@main
struct Magpie: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "magpie",
        abstract: "Self-hosted media storage, processing and delivery: an S3-compatible server in one binary.",
        subcommands: [Serve.self, Worker.self, Admin.self, Presign.self, ImageCommand.self, Jobs.self, Rules.self, SignPrefix.self],
        defaultSubcommand: Serve.self
    )
}
