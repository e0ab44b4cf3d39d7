import Foundation
import NIOCore
import NIOPosix

/// A file's bytes as an async sequence of 1 MiB buffers, read on the NIO thread pool (for storing
/// outputs through ObjectService without holding them in memory).
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let path: String

    struct AsyncIterator: AsyncIteratorProtocol {
        let handle: FileHandle?
        var done = false

        mutating func next() async throws -> ByteBuffer? {
            guard !done, let handle else { return nil }
            let data = try await NIOThreadPool.singleton.runIfActive { try handle.read(upToCount: 1 << 20) ?? Data() }
            if data.isEmpty {
                done = true
                try? handle.close()
                return nil
            }
            return ByteBuffer(bytes: data)
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(handle: FileHandle(forReadingAtPath: path)) }
}

/// Writes buffers to a new file on the NIO thread pool.
final class FileSink: Sendable {
    let handle: FileHandle

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw CocoaError(.fileWriteUnknown) }
        self.handle = handle
    }

    func write(_ buffer: ByteBuffer) async throws {
        let data = Data(buffer.readableBytesView)
        let handle = handle
        try await NIOThreadPool.singleton.runIfActive { try handle.write(contentsOf: data) }
    }

    func close() { try? handle.close() }
}

func fileSize(_ path: String) -> Int64 {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
}
