import Foundation
import HTTPTypes
import Hummingbird
import MediaJobs
import MediaWorkers
import MetadataStore
import NIOCore

/// `GET /-/api/v1/jobs/{id}/events`: Server-Sent Events. A `status` event whenever the state
/// changes (with the whole job), a `progress` event whenever the percentage moves, then the
/// stream ends once the job is finished. Reads the job row, so it works whichever process runs
/// the job.
struct JobEvents: Sendable {
    let store: any MetadataStore

    func response(jobId: String) -> Response {
        let store = store
        let body = ResponseBody { writer in
            var lastStatus = "", lastProgress = -1
            var idleTicks = 0
            while true {
                guard let record = try await store.job(id: jobId) else { break }
                if record.status != lastStatus {
                    let view = try JobViews.make(record)
                    try await writer.write(Self.event("status", Self.compact(view)))
                    lastStatus = record.status
                    lastProgress = record.progress
                    idleTicks = 0
                } else if record.progress != lastProgress {
                    struct Progress: Encodable { let id: String; let status: String; let progress: Int }
                    try await writer.write(
                        Self.event("progress", Self.compact(Progress(id: record.id, status: record.status, progress: record.progress))))
                    lastProgress = record.progress
                    idleTicks = 0
                }
                if JobStatus(rawValue: record.status)?.isTerminal == true { break }
                idleTicks += 1
                if idleTicks % 60 == 0 { try await writer.write(ByteBuffer(string: ": keep-alive\n\n")) }
                try await Task.sleep(for: .milliseconds(250))
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache", HTTPField.Name("X-Accel-Buffering")!: "no"],
            body: body)
    }

    static func event(_ name: String, _ data: String) -> ByteBuffer {
        ByteBuffer(string: "event: \(name)\ndata: \(data)\n\n")
    }

    static func compact(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
