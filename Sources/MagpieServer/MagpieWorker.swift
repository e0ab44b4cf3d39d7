import BlobStore
import Foundation
import Logging
import MediaWorkers
import MetadataStore
import ObjectService
import ServiceLifecycle
import UnixSignals

/// `magpie worker`: the job workers alone, against the same data directory as a `magpie serve`
/// (or, with PostgreSQL later, against the shared database from other machines).
public enum MagpieWorker {
    public static func make(configuration: MagpieServerConfiguration, logger: Logger) async throws -> ServiceGroup {
        try configuration.validate()
        let dataDirectory = configuration.dataDirectory
        let store = try await SQLiteMetadataStore.open(path: dataDirectory + "/metadata.sqlite", logger: logger)
        let blobs = try FileBlobStore(root: dataDirectory, logger: logger)
        let service = ObjectService(metadata: store, blobs: blobs, configuration: configuration.objects, logger: logger)
        var jobs = configuration.jobs
        if jobs.workDirectory == nil { jobs.workDirectory = dataDirectory + "/job-work" }
        let worker = JobWorkerService(
            store: store, objects: service, configuration: jobs, doorbell: Doorbell(), transport: AsyncHTTPWebhookTransport(), logger: logger)
        return ServiceGroup(
            configuration: .init(
                services: [MetadataStoreService(store: store), worker], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    }
}
