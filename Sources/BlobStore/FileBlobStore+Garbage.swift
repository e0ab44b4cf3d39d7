import Foundation

extension FileBlobStore {
    public func collectGarbage(referenced: @Sendable ([String]) async throws -> Set<String>) async throws -> GarbageReport {
        let fm = FileManager.default
        var report = GarbageReport(tempFilesRemoved: 0, orphanBlobsRemoved: 0)
        // Temp files belong to writes that never committed: a crash or a client that went away.
        for name in (try? fm.contentsOfDirectory(atPath: tmpDirectory)) ?? [] {
            try? fm.removeItem(atPath: "\(tmpDirectory)/\(name)")
            report.tempFilesRemoved += 1
        }
        // Blobs renamed into place whose metadata row was never committed (crash in between).
        var batch: [String] = []
        func sweep() async throws {
            let keep = try await referenced(batch)
            for id in batch where !keep.contains(id) {
                unlink(path(for: id))
                report.orphanBlobsRemoved += 1
            }
            batch.removeAll(keepingCapacity: true)
        }
        for first in (try? fm.contentsOfDirectory(atPath: blobDirectory)) ?? [] {
            for second in (try? fm.contentsOfDirectory(atPath: "\(blobDirectory)/\(first)")) ?? [] {
                for id in (try? fm.contentsOfDirectory(atPath: "\(blobDirectory)/\(first)/\(second)")) ?? [] {
                    guard Self.isValidId(id) else { continue }
                    batch.append(id)
                    if batch.count >= 500 { try await sweep() }
                }
            }
        }
        if !batch.isEmpty { try await sweep() }
        return report
    }
}
