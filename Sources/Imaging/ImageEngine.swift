import CMagpieVips
import ImageProtocol
import NIOCore
import NIOPosix
import Synchronization

/// Runs libvips work on its own threads, sized to the cores (libvips' per-operation concurrency
/// is 1, so N requests use N cores), with a bounded queue: beyond `threads + maxQueued` waiting
/// or running jobs, new work is refused at once (429) instead of piling up latency.
public final class ImageEngine: Sendable {
    public let settings: ImagingSettings
    public let threads: Int
    public let maxQueued: Int
    private let pool: NIOThreadPool
    private let pending = Mutex(0)

    public init(settings: ImagingSettings = ImagingSettings(), threads: Int = System.coreCount, maxQueued: Int = 64) {
        Self.initializeLibvips()
        self.settings = settings
        self.threads = max(1, threads)
        self.maxQueued = max(0, maxQueued)
        pool = NIOThreadPool(numberOfThreads: self.threads)
        pool.start()
    }

    private static let libvips: Bool = mv_init(1) == 0

    private static func initializeLibvips() {
        precondition(libvips, "libvips could not be initialised: \(Vips.takeError())")
    }

    public func shutdown() async throws {
        try await pool.shutdownGracefully()
    }

    /// Jobs waiting or running.
    public var depth: Int { pending.withLock { $0 } }

    public struct Timed<Value: Sendable>: Sendable {
        public var value: Value
        public var queueWait: Duration
    }

    public func process(
        source: [UInt8], options: ImageOptions, output: OutputChoice, watermark: [UInt8]? = nil
    ) async throws -> Timed<ProcessedImage> {
        let limits = settings.limits
        if source.count > limits.maxSourceBytes { throw ImagingError.sourceBytes(source.count, limit: limits.maxSourceBytes) }
        let pipeline = ImagePipeline(options: options, settings: settings, watermark: watermark)
        return try await run { () throws in
            try source.withUnsafeBytes { raw throws in try pipeline.run(source: raw, output: output) }
        }
    }

    public func inspect(source: [UInt8]) async throws -> Timed<ImageInfo> {
        let limits = settings.limits
        if source.count > limits.maxSourceBytes { throw ImagingError.sourceBytes(source.count, limit: limits.maxSourceBytes) }
        return try await run { () throws in
            try source.withUnsafeBytes { raw throws in try ImageInspector.inspect(raw, limits: limits) }
        }
    }

    /// The same work synchronously on the caller's thread (benchmarks: the in-process ceiling).
    public func processHere(source: [UInt8], options: ImageOptions, output: OutputChoice) throws -> ProcessedImage {
        let pipeline = ImagePipeline(options: options, settings: settings, watermark: nil)
        return try source.withUnsafeBytes { raw throws in try pipeline.run(source: raw, output: output) }
    }

    private func run<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Timed<Value> {
        let capacity = threads + maxQueued
        let admitted = pending.withLock { count in
            guard count < capacity else { return false }
            count += 1
            return true
        }
        guard admitted else { throw ImagingError.queueFull }
        defer { pending.withLock { $0 -= 1 } }
        let submitted = ContinuousClock.now
        let result: Result<Timed<Value>, ImagingError>
        do {
            result = try await pool.runIfActive { () -> Result<Timed<Value>, ImagingError> in
                let wait = ContinuousClock.now - submitted
                do {
                    return .success(Timed(value: try work(), queueWait: wait))
                } catch let error as ImagingError {
                    return .failure(error)
                } catch {
                    return .failure(ImagingError(reason: "processing-error", message: "\(error)", status: 422))
                }
            }
        } catch {
            throw ImagingError(reason: "shutting-down", message: "The image engine is shutting down.", status: 503)
        }
        return try result.get()
    }
}
