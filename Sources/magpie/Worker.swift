import ArgumentParser
import Foundation
import Logging
import MagpieServer
import MediaWorkers
import ObjectService
import ServiceLifecycle

struct Worker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run only the media job workers, against a server's data directory.")

    @Option(name: .customLong("data-dir"), help: "The server's data directory (env MAGPIE_DATA_DIR).") var dataDir: String?
    @OptionGroup(title: "Jobs") var jobs: JobFlags
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error (env MAGPIE_LOG_LEVEL).") var logLevel: String?

    func run() async throws {
        let env = ProcessInfo.processInfo.environment
        let dataDirectory = dataDir ?? env["MAGPIE_DATA_DIR"] ?? "./data"
        let level = Logger.Level(rawValue: logLevel ?? env["MAGPIE_LOG_LEVEL"] ?? "info") ?? .info
        LoggingSystem.bootstrap { label in
            var handler = JSONLogHandler(label: label, toStandardError: true)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "magpie.worker")
        logger.logLevel = level
        let root = try RootCredentials.forClient(dataDirectory: dataDirectory)
        var configuration = MagpieServerConfiguration(rootAccessKey: root.accessKey, rootSecretKey: root.secretKey)
        configuration.dataDirectory = dataDirectory
        configuration.jobs = try jobs.configuration(dataDirectory: dataDirectory)
        configuration.jobs.runWorkers = true
        configuration.objects.masterKey = try MasterKey.load(dataDirectory: dataDirectory, file: nil, create: false)
        let group = try await MagpieWorker.make(configuration: configuration, logger: logger)
        try await group.run()
    }
}
