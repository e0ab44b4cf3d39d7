import ArgumentParser
import Foundation
import Hummingbird
import Logging
import MagpieCore
import MagpieServer
import ObjectService
import Metrics
import Prometheus

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the S3-compatible server.")

    @Option(help: "Listen address (env MAGPIE_ADDRESS).") var address: String?
    @Option(help: "Listen port (env MAGPIE_PORT).") var port: Int?
    @Option(name: .customLong("data-dir"), help: "Blobs, metadata and credentials live here (env MAGPIE_DATA_DIR).") var dataDir: String?
    @Option(help: "Enable virtual-hosted style for BUCKET.<domain> (env MAGPIE_DOMAIN).") var domain: String?
    @Option(name: .customLong("metrics-token"), help: "Require this bearer token on /-/metrics (env MAGPIE_METRICS_TOKEN).") var metricsToken: String?
    @Option(
        name: .customLong("public-access-block"),
        help: "Block Public Access: new-buckets (default: new buckets block all public access), enforce (every bucket, whatever its own settings), off (env MAGPIE_PUBLIC_ACCESS_BLOCK)."
    ) var publicAccessBlock: String?
    @Option(
        name: .customLong("master-key-file"),
        help: "Encryption at rest: the master key file, created at first start (default <data-dir>/master-key; env MAGPIE_MASTER_KEY_FILE, or MAGPIE_MASTER_KEY as base64)."
    ) var masterKeyFile: String?
    @Option(
        name: .customLong("default-encryption"),
        help: "Encryption of new objects in buckets without their own default: none (default) or AES256 (SSE-S3 for everything, as AWS; env MAGPIE_DEFAULT_ENCRYPTION)."
    ) var defaultEncryption: String?
    @OptionGroup(title: "Images") var images: ImageFlags
    @OptionGroup(title: "Jobs") var jobs: JobFlags
    @OptionGroup(title: "Lifecycle and storage tiers") var storage: StorageFlags
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error (env MAGPIE_LOG_LEVEL).") var logLevel: String?

    func run() async throws {
        let env = ProcessInfo.processInfo.environment
        let dataDirectory = dataDir ?? env["MAGPIE_DATA_DIR"] ?? "./data"
        let level = Logger.Level(rawValue: logLevel ?? env["MAGPIE_LOG_LEVEL"] ?? "info") ?? .info
        LoggingSystem.bootstrap { label in
            var handler = JSONLogHandler(label: label, toStandardError: label != "magpie.access")
            handler.logLevel = level
            return handler
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        var logger = Logger(label: "magpie")
        logger.logLevel = level

        let (root, created) = try RootCredentials.loadOrCreate(dataDirectory: dataDirectory)
        var configuration = MagpieServerConfiguration(rootAccessKey: root.accessKey, rootSecretKey: root.secretKey)
        configuration.address = address ?? env["MAGPIE_ADDRESS"] ?? "127.0.0.1"
        if let value = port ?? env["MAGPIE_PORT"].flatMap(Int.init) { configuration.port = value }
        configuration.dataDirectory = dataDirectory
        configuration.domain = domain ?? env["MAGPIE_DOMAIN"]
        configuration.metricsToken = metricsToken ?? env["MAGPIE_METRICS_TOKEN"]
        configuration.images = try images.configuration(dataDirectory: dataDirectory)
        configuration.jobs = try jobs.configuration(dataDirectory: dataDirectory)
        if let mode = publicAccessBlock ?? env["MAGPIE_PUBLIC_ACCESS_BLOCK"] {
            guard let value = PublicAccessBlockMode(rawValue: mode) else {
                throw ValidationError("--public-access-block must be new-buckets, enforce or off")
            }
            configuration.objects.publicAccessBlock = value
        }
        try storage.apply(to: &configuration)
        configuration.objects.masterKey = try MasterKey.load(dataDirectory: dataDirectory, file: masterKeyFile, create: true)
        switch defaultEncryption ?? env["MAGPIE_DEFAULT_ENCRYPTION"] ?? "none" {
        case "none": break
        case "AES256": configuration.objects.defaultEncryption = ServerSideEncryption(method: .s3)
        default: throw ValidationError("--default-encryption must be none or AES256")
        }

        let endpoint = "http://\(configuration.address):\(configuration.port)"
        if created { Self.announce(root, endpoint: endpoint, dataDirectory: dataDirectory) }
        let startupLogger = logger
        let app = try await MagpieApplication.make(configuration: configuration, logger: logger, registry: registry) { channel in
            startupLogger.notice("magpie is serving", metadata: ["endpoint": "\(endpoint)", "data_dir": "\(dataDirectory)"])
        }
        try await app.runService()
    }

    /// Printed once, when the credentials were generated: everything needed to connect.
    static func announce(_ root: RootCredentials, endpoint: String, dataDirectory: String) {
        let text = """

            Magpie generated root credentials (stored in \(dataDirectory)/credentials, mode 0600):
              access key: \(root.accessKey)
              secret key: \(root.secretKey)
            Try it:
              AWS_ACCESS_KEY_ID=\(root.accessKey) AWS_SECRET_ACCESS_KEY=\(root.secretKey) AWS_DEFAULT_REGION=us-east-1 \\
                aws --endpoint-url \(endpoint) s3 ls


            """
        FileHandle.standardError.write(Data(text.utf8))
    }
}
