import Foundation
import ImageProtocol
import NIOPosix
import Synchronization

/// Produced images by cache key: a small in-memory tier for hot results in front of files under
/// the data directory, both with a size cap and least-recently-used eviction. The disk index is
/// rebuilt from the directory at start, so results survive restarts.
final class ImageResultCache: Sendable {
    struct Hit: Sendable {
        var bytes: [UInt8]
        var format: ImageFormat
    }

    private struct Entry {
        var size: Int
        var format: ImageFormat
        var used: UInt64
    }

    private struct State {
        var disk: [String: Entry] = [:]
        var diskBytes = 0
        var memory: [String: (bytes: [UInt8], format: ImageFormat, used: UInt64)] = [:]
        var memoryBytes = 0
        var clock: UInt64 = 0
    }

    let directory: URL
    let maxDiskBytes: Int
    let maxMemoryBytes: Int
    private let state = Mutex(State())
    private let pool = NIOThreadPool.singleton

    init(directory: String, maxDiskBytes: Int, maxMemoryBytes: Int) throws {
        self.directory = URL(fileURLWithPath: directory, isDirectory: true)
        self.maxDiskBytes = maxDiskBytes
        self.maxMemoryBytes = maxMemoryBytes
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        try rebuildIndex()
    }

    var diskBytes: Int { state.withLock { $0.diskBytes } }

    func get(_ key: String) async -> Hit? {
        enum Lookup { case memory(Hit), disk(ImageFormat), none }
        let lookup: Lookup = state.withLock { state in
            state.clock += 1
            if var hot = state.memory[key] {
                hot.used = state.clock
                state.memory[key] = hot
                state.disk[key]?.used = state.clock
                return .memory(Hit(bytes: hot.bytes, format: hot.format))
            }
            guard var entry = state.disk[key] else { return .none }
            entry.used = state.clock
            state.disk[key] = entry
            return .disk(entry.format)
        }
        switch lookup {
        case .memory(let hit): return hit
        case .none: return nil
        case .disk(let format):
            let url = fileURL(key, format)
            guard let bytes = try? await pool.runIfActive({ Array(try Data(contentsOf: url)) }) else {
                forget(key)
                return nil
            }
            remember(key, bytes, format)
            return Hit(bytes: bytes, format: format)
        }
    }

    /// `onDisk` false keeps the result in the memory tier only (results of sources encrypted at rest).
    func put(_ key: String, bytes: [UInt8], format: ImageFormat, onDisk: Bool = true) async {
        remember(key, bytes, format)
        guard onDisk else { return }
        let url = fileURL(key, format)
        let directory = directory
        do {
            try await pool.runIfActive {
                let folder = url.deletingLastPathComponent()
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                let temporary = directory.appendingPathComponent("tmp-\(UUID().uuidString)")
                try Data(bytes).write(to: temporary)
                _ = try FileManager.default.replaceItemAt(url, withItemAt: temporary)
            }
        } catch {
            return
        }
        let evicted: [(String, ImageFormat)] = state.withLock { state in
            state.clock += 1
            if let old = state.disk[key] { state.diskBytes -= old.size }
            state.disk[key] = Entry(size: bytes.count, format: format, used: state.clock)
            state.diskBytes += bytes.count
            guard state.diskBytes > maxDiskBytes else { return [] }
            // Evict the least recently used down to 90 % of the cap.
            var victims: [(String, ImageFormat)] = []
            for (candidate, entry) in state.disk.sorted(by: { $0.value.used < $1.value.used }) {
                guard state.diskBytes > maxDiskBytes * 9 / 10 else { break }
                state.disk[candidate] = nil
                state.diskBytes -= entry.size
                victims.append((candidate, entry.format))
            }
            return victims
        }
        guard !evicted.isEmpty else { return }
        let urls = evicted.map { fileURL($0.0, $0.1) }
        _ = try? await pool.runIfActive { for url in urls { try? FileManager.default.removeItem(at: url) } }
    }

    private func remember(_ key: String, _ bytes: [UInt8], _ format: ImageFormat) {
        guard bytes.count <= maxMemoryBytes / 8 else { return }
        state.withLock { state in
            state.clock += 1
            if let old = state.memory[key] { state.memoryBytes -= old.bytes.count }
            state.memory[key] = (bytes, format, state.clock)
            state.memoryBytes += bytes.count
            while state.memoryBytes > maxMemoryBytes, let oldest = state.memory.min(by: { $0.value.used < $1.value.used }) {
                state.memory[oldest.key] = nil
                state.memoryBytes -= oldest.value.bytes.count
            }
        }
    }

    private func forget(_ key: String) {
        state.withLock { state in
            if let entry = state.disk.removeValue(forKey: key) { state.diskBytes -= entry.size }
        }
    }

    private func fileURL(_ key: String, _ format: ImageFormat) -> URL {
        directory.appendingPathComponent(String(key.prefix(2)), isDirectory: true).appendingPathComponent("\(key).\(format.rawValue)")
    }

    private func rebuildIndex() throws {
        let manager = FileManager.default
        var state = State()
        let keys: [URLResourceKey] = [.fileSizeKey, .contentModificationDateKey, .isRegularFileKey]
        guard let walker = manager.enumerator(at: directory, includingPropertiesForKeys: keys) else { return }
        var found: [(String, Entry, Date)] = []
        for case let url as URL in walker {
            let values = try? url.resourceValues(forKeys: Set(keys))
            guard values?.isRegularFile == true else { continue }
            let name = url.lastPathComponent
            if name.hasPrefix("tmp-") {
                try? manager.removeItem(at: url)
                continue
            }
            let parts = name.split(separator: ".")
            guard parts.count == 2, let format = ImageFormat(rawValue: String(parts[1])) else { continue }
            found.append((String(parts[0]), Entry(size: values?.fileSize ?? 0, format: format, used: 0), values?.contentModificationDate ?? .distantPast))
        }
        for (key, var entry, _) in found.sorted(by: { $0.2 < $1.2 }) {
            state.clock += 1
            entry.used = state.clock
            state.disk[key] = entry
            state.diskBytes += entry.size
        }
        self.state.withLock { $0 = state }
    }
}
