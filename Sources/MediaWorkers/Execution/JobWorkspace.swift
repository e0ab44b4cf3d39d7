import Foundation
import Logging

/// Per-job temp dirs under `<data>/job-work/`: generated names only (`<job id>-<attempt>/source`,
/// `out/<output name>/…`), removed when the job ends and swept at start after a crash.
public struct JobWorkspace: Sendable {
    public let root: String

    public init(root: String) { self.root = root }

    /// A fresh directory for one attempt of one job.
    func create(jobId: String, attempt: Int) throws -> String {
        let path = root + "/" + jobId + "-" + String(attempt)
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path + "/out", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return path
    }

    func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Removes everything left by earlier runs (call before workers start claiming). A directory whose
    /// job is still being processed by another live worker process is kept.
    public func sweep(keep: Set<String> = [], logger: Logger) {
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        var removed = 0
        for entry in entries where !keep.contains(where: { entry.hasPrefix($0 + "-") }) {
            try? FileManager.default.removeItem(atPath: root + "/" + entry)
            removed += 1
        }
        if removed > 0 { logger.notice("removed leftover job work directories", metadata: ["count": "\(removed)"]) }
    }
}
