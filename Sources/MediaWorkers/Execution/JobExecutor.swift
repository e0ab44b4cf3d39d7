import Foundation
import Logging
import MagpieCore
import MediaJobs
import MetadataStore
import NIOCore
import ObjectService

/// Does one attempt of one job: copies the source into the job's work dir, probes it (refusing what
/// is not media or exceeds the limits), makes each output with FFmpeg and stores every file as an
/// object under the destination prefix. Output keys are fixed by the spec, so a retry overwrites
/// rather than duplicates.
struct JobExecutor: Sendable {
    let objects: ObjectService
    let runner: ProcessRunner
    let configuration: JobsConfiguration
    let logger: Logger

    func execute(_ context: JobContext) async throws -> JobResult {
        try await fetchSource(context)
        let info = try await probe(context)
        try info.check(configuration.limits)
        // The wall-clock limit scales with the source's duration, known now.
        var context = context
        context.deadline = min(context.deadline, .now + configuration.timeout(duration: info.duration))
        for output in context.spec.outputs {
            if output.needsVideo && info.video == nil {
                throw JobError(.missingStream, "Output \"\(output.name)\" (\(output.type)) needs a video stream; the source has none.")
            }
            if output.needsAudio && info.audio == nil {
                throw JobError(.missingStream, "Output \"\(output.name)\" (\(output.type)) needs an audio stream; the source has none.")
            }
        }
        context.progress.plan(context.spec.outputs.map { Self.weight($0, info: info) })
        var result = JobResult(probe: info)
        for (index, output) in context.spec.outputs.enumerated() {
            context.progress.start(output: index)
            result.outputs.append(try await make(output, info: info, context: context))
            context.progress.finish(output: index)
        }
        return result
    }

    /// Relative work of an output (whole encodes dominate).
    static func weight(_ output: OutputSpec, info: MediaInfo) -> Double {
        switch output {
        case .probe: return 0.01
        case .hls(let spec): return 1 + Double(spec.effectiveRungs.count)
        case .mp4: return 2
        case .preview: return 0.3
        case .audio(let spec): return spec.loudnorm == true ? 0.6 : 0.3
        case .waveform: return 0.2
        case .thumbnail, .poster: return 0.1
        case .storyboard: return 0.3
        }
    }

    func make(_ output: OutputSpec, info: MediaInfo, context: JobContext) async throws -> OutputResult {
        let out = context.directory + "/out/" + output.name
        do { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true) } catch {
            throw JobError(.storage, "The job's work area is not writable.", transient: true, detail: "\(error)")
        }
        switch output {
        case .probe:
            let key = context.key(output.name + ".json")
            try await store(bytes: Self.json(info), key: key, context: context)
            return OutputResult(type: output.type, name: output.name, key: key, keys: [key])
        case .mp4(let spec): return try await mp4(spec, name: output.name, info: info, context: context)
        case .hls(let spec): return try await hls(spec, name: output.name, info: info, context: context)
        case .thumbnail(let spec): return try await stills(spec, name: output.name, poster: false, info: info, context: context)
        case .poster(let spec): return try await stills(spec, name: output.name, poster: true, info: info, context: context)
        case .storyboard(let spec): return try await storyboard(spec, name: output.name, info: info, context: context)
        case .preview(let spec): return try await preview(spec, name: output.name, info: info, context: context)
        case .audio(let spec): return try await audio(spec, name: output.name, info: info, context: context)
        case .waveform(let spec): return try await waveform(spec, name: output.name, info: info, context: context)
        }
    }

    // MARK: - Source and probe

    func fetchSource(_ context: JobContext) async throws {
        let source = context.spec.source
        do {
            let bucket = try BucketName(source.bucket), key = try ObjectKey(source.key)
            let opened = try await objects.openObject(bucket, key, for: context.owner)
            guard opened.record.size <= configuration.limits.maxSourceBytes else {
                await opened.close()
                throw JobError(.sourceTooLarge, "The source is \(opened.record.size) bytes; the limit is \(configuration.limits.maxSourceBytes).")
            }
            let sink = try FileSink(path: context.directory + "/" + FFmpegArguments.sourceFile)
            do {
                try await objects.stream(opened, range: nil, requestId: "job-" + context.jobId) { chunk in try await sink.write(chunk) }
                sink.close()
                await opened.close()
            } catch {
                sink.close()
                await opened.close()
                throw error
            }
        } catch let error as JobError {
            throw error
        } catch let error as MagpieError where [.noSuchKey, .noSuchBucket, .accessDenied, .invalidBucketName, .keyTooLong].contains(error.code) {
            throw JobError(.sourceNotFound, "The source \(source) does not exist or is not readable by the job's owner.")
        } catch {
            throw JobError(.storage, "The source could not be read.", transient: true, detail: "\(error)")
        }
    }

    func probe(_ context: JobContext) async throws -> MediaInfo {
        let command = FFmpegArguments.probe(into: "probe.json")
        do {
            _ = try await runner.run(command, in: context.directory, timeout: min(context.remaining, .seconds(120)))
        } catch let error as JobError where error.code == .processingFailed {
            throw JobError(.invalidMedia, "The source is not a media file Magpie can read (checked by content, not by name).", detail: error.detail)
        }
        let bytes = (try? Data(contentsOf: URL(fileURLWithPath: context.directory + "/probe.json"))) ?? Data()
        return try MediaInfo.parse(ffprobeJSON: Array(bytes))
    }

    // MARK: - Running and storing

    /// Runs an FFmpeg command in `directory` (default: the job dir) with the job's deadline and progress.
    @discardableResult
    func ffmpeg(_ command: FFmpegCommand, context: JobContext, in directory: String? = nil) async throws -> ProcessRunner.Outcome {
        let meter = context.progress
        // The exact argument array, for reproducing a run by hand (`--log-level debug`).
        logger.debug(
            "running ffmpeg",
            metadata: [
                "job": "\(context.jobId)", "cwd": "\(directory ?? context.directory)",
                "arguments": "\(String(decoding: (try? JSONEncoder().encode([command.tool.rawValue] + command.arguments)) ?? Data(), as: UTF8.self))",
            ])
        return try await runner.run(command, in: directory ?? context.directory, timeout: context.remaining) { meter.report($0) }
    }

    /// Stores a file as an object; the Content-Type follows its name.
    func store(file path: String, key: String, context: JobContext) async throws {
        try await put(FileChunks(path: path), length: fileSize(path), key: key, context: context)
    }

    func store(bytes: [UInt8], key: String, context: JobContext) async throws {
        try await put([ByteBuffer(bytes: bytes)].async, length: Int64(bytes.count), key: key, context: context)
    }

    func put<Body: AsyncSequence & Sendable>(_ body: Body, length: Int64, key: String, context: JobContext) async throws
    where Body.Element == ByteBuffer {
        do {
            var request = PutObjectRequest(
                bucket: try BucketName(context.spec.destination.bucket), key: try ObjectKey(key),
                headers: ["content-type": ContentTypes.forName(key), "x-amz-meta-magpie-job": context.jobId])
            request.expectedLength = length
            _ = try await objects.putObject(request, body: body, trailers: { [] }, for: context.owner)
        } catch let error as MagpieError where [.noSuchBucket, .accessDenied].contains(error.code) {
            throw JobError(
                .storage, "The destination bucket \(context.spec.destination.bucket) does not exist or is not writable by the job's owner.")
        } catch {
            throw JobError(.storage, "An output could not be stored.", transient: true, detail: "\(key): \(error)")
        }
    }

    static func json(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(value)) ?? Data("{}".utf8))
    }
}

/// A finite async sequence over an array (small bodies).
struct ArrayAsyncSequence<Element: Sendable>: AsyncSequence, Sendable {
    let elements: [Element]
    struct AsyncIterator: AsyncIteratorProtocol {
        var iterator: IndexingIterator<[Element]>
        mutating func next() async -> Element? { iterator.next() }
    }
    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(iterator: elements.makeIterator()) }
}

extension Array where Element: Sendable {
    var async: ArrayAsyncSequence<Element> { ArrayAsyncSequence(elements: self) }
}
