import BlobStore
import Foundation
import Hummingbird
import HummingbirdCore
import Imaging
import Logging
import MediaWorkers
import MetadataStore
import NIOCore
import ObjectService
import Prometheus
import ServiceLifecycle

/// Wires the stores, the object service and the HTTP listener into one Hummingbird application whose
/// services (listener, metadata store, lifecycle scanner, restore worker) run in one ServiceGroup
/// with graceful shutdown.
public enum MagpieApplication {
    /// Opens the data directory (creating it), sweeps crash leftovers, ensures the root user, and
    /// returns the application ready to run.
    public static func make(
        configuration: MagpieServerConfiguration,
        logger: Logger,
        registry: PrometheusCollectorRegistry? = nil,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) async throws -> some ApplicationProtocol {
        try configuration.validate()
        let dataDirectory = configuration.dataDirectory
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let store = try await SQLiteMetadataStore.open(path: dataDirectory + "/metadata.sqlite", logger: logger)
        let service: ObjectService
        do {
            service = try await openService(configuration: configuration, store: store, logger: logger)
        } catch {
            // The connections must be closed before they go away, whatever failed.
            await store.close()
            throw error
        }
        try await service.ensureRoot(accessKey: configuration.rootAccessKey, secretKey: configuration.rootSecretKey)

        let imageEngine = ImageEngine(
            settings: configuration.images.imaging, threads: configuration.images.threads, maxQueued: configuration.images.maxQueue)
        let imageCache = try ImageResultCache(
            directory: configuration.images.cacheDirectory ?? dataDirectory + "/image-cache",
            maxDiskBytes: configuration.images.cacheMaxBytes, maxMemoryBytes: configuration.images.cacheMemoryBytes)
        var jobsConfiguration = configuration.jobs
        if jobsConfiguration.workDirectory == nil { jobsConfiguration.workDirectory = dataDirectory + "/job-work" }
        let doorbell = Doorbell()
        let jobs = JobsService(store: store, objects: service, configuration: jobsConfiguration, doorbell: doorbell, logger: logger)
        var services: [any Service] = [
            MetadataStoreService(store: store), ImageEngineService(engine: imageEngine),
            LifecycleScanner(service: service, interval: configuration.effectiveLifecycleScanInterval, keysPerBatch: 1000, logger: logger),
            RestoreWorker(service: service, interval: configuration.restoreWorkerInterval),
        ]
        if jobsConfiguration.runWorkers {
            // Last in the list: a ServiceGroup stops services in reverse order, so workers stop (and
            // requeue their jobs) while the metadata store is still open.
            services.append(
                JobWorkerService(
                    store: store, objects: service, configuration: jobsConfiguration, doorbell: doorbell, transport: AsyncHTTPWebhookTransport(),
                    logger: logger))
        }
        var handlers = S3Handlers(service: service, configuration: configuration)
        handlers.objectCreated = { record in await jobs.objectCreated(record) }
        var accessLog = Logger(label: "magpie.access")
        accessLog.logLevel = logger.logLevel
        let responder = MagpieResponder(
            configuration: configuration,
            service: service,
            handlers: handlers,
            admin: AdminAPI(service: service),
            observability: ObservabilityEndpoints(registry: registry, metricsToken: configuration.metricsToken),
            authenticator: RequestAuthenticator(service: service),
            images: ImageEndpoint(configuration: configuration.images, service: service, engine: imageEngine, cache: imageCache),
            jobs: JobsAPI(jobs: jobs),
            playback: PlaybackEndpoint(service: service, key: jobsConfiguration.signingKey),
            accessLog: accessLog
        )
        let http1 = HTTP1Channel.Configuration(
            additionalChannelHandlers: [ProtocolErrorHandler(), ExpectContinueHandler()],
            idleTimeout: .seconds(300),
            httpDecoderConfiguration: .init(
                maxHeaderFieldSize: configuration.maxHeaderBytes, maxHeaderListSize: configuration.maxHeaderBytes, maxHeaderFieldCount: 500
            )
        )
        return Application(
            responder: responder,
            server: .http1(configuration: http1),
            configuration: .init(address: .hostname(configuration.address, port: configuration.port), serverName: nil),
            services: services,
            onServerRunning: onServerRunning,
            logger: logger
        )
    }

    /// The object service over every configured tier, after checking that no stored version lives
    /// in a tier that is no longer configured, and with crash leftovers swept from every tier.
    static func openService(configuration: MagpieServerConfiguration, store: SQLiteMetadataStore, logger: Logger) async throws -> ObjectService {
        // Validated with the rest of the configuration (`MagpieServerConfiguration.validate`).
        let layout = configuration.effectiveTierLayout
        var tiers: [String: any BlobStore] = [:]
        for (name, path) in layout.paths { tiers[name] = try FileBlobStore(root: path, logger: logger) }
        var objects = configuration.objects
        objects.classTiers = layout.classTiers
        let service = ObjectService(
            metadata: store, blobs: TieredBlobStore(tiers: tiers, defaultTier: StorageTiers.defaultTier), configuration: objects, logger: logger
        )
        // A version recorded in a tier that is no longer configured could not be read: refuse to start.
        try await service.checkTiersInUse()
        let report = try await service.collectGarbage()
        if report.tempFilesRemoved + report.orphanBlobsRemoved > 0 {
            logger.notice(
                "removed leftovers of interrupted writes",
                metadata: ["temp_files": "\(report.tempFilesRemoved)", "orphan_blobs": "\(report.orphanBlobsRemoved)"]
            )
        }
        return service
    }
}

/// Stops the image threads when the service group shuts down.
struct ImageEngineService: Service {
    let engine: ImageEngine

    func run() async throws {
        try? await gracefulShutdown()
        try await engine.shutdown()
    }
}

/// Closes the metadata store when the service group shuts down.
struct MetadataStoreService: Service {
    let store: SQLiteMetadataStore

    func run() async throws {
        try? await gracefulShutdown()
        await store.close()
    }
}
