import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// Writes one blob to a temp file, coalescing small network buffers into large writes.
final class FileBlobWriter: BlobWriter {
    static let flushThreshold = 1 << 20

    let id: String
    let tmpPath: String
    let finalPath: String
    let threadPool: NIOThreadPool
    struct State {
        var fd: Int32
        var pending = ByteBuffer()
        var written: Int64 = 0
    }
    let state: Mutex<State>

    init(id: String, fd: Int32, tmpPath: String, finalPath: String, threadPool: NIOThreadPool) {
        self.id = id
        self.tmpPath = tmpPath
        self.finalPath = finalPath
        self.threadPool = threadPool
        self.state = Mutex(State(fd: fd))
    }

    var bytesWritten: Int64 { state.withLock { $0.written + Int64($0.pending.readableBytes) } }

    func write(_ buffer: ByteBuffer) async throws {
        let flush: (Int32, ByteBuffer)? = state.withLock { state in
            guard state.fd >= 0 else { return nil }
            if state.pending.readableBytes == 0 && buffer.readableBytes >= Self.flushThreshold {
                return (state.fd, buffer)
            }
            var incoming = buffer
            state.pending.writeBuffer(&incoming)
            guard state.pending.readableBytes >= Self.flushThreshold else { return nil }
            defer { state.pending = ByteBuffer() }
            return (state.fd, state.pending)
        }
        if let (fd, chunk) = flush { try await writeAll(fd: fd, chunk) }
    }

    func writeAll(fd: Int32, _ chunk: ByteBuffer) async throws {
        let count = chunk.readableBytes
        try await threadPool.runIfActive {
            try chunk.withUnsafeReadableBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw POSIXFailure(call: "write", errno: errno)
                    }
                    offset += n
                }
            }
        }
        state.withLock { $0.written += Int64(count) }
    }

    func commit() async throws {
        let (fd, rest) = state.withLock { state in
            defer { state.pending = ByteBuffer() }
            return (state.fd, state.pending)
        }
        guard fd >= 0 else { throw POSIXFailure(call: "commit", errno: EBADF) }
        if rest.readableBytes > 0 { try await writeAll(fd: fd, rest) }
        let tmpPath = tmpPath, finalPath = finalPath
        try await threadPool.runIfActive {
            // Durable before visible: data on disk, then the atomic rename, then the directory entry.
            guard fsync(fd) == 0 else { throw POSIXFailure(call: "fsync", errno: errno) }
            let directory = (finalPath as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            guard rename(tmpPath, finalPath) == 0 else { throw POSIXFailure(call: "rename", errno: errno) }
            let dirFd = Foundation.open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if dirFd >= 0 {
                fsync(dirFd)
                Foundation.close(dirFd)
            }
        }
        closeDescriptor()
    }

    func abort() async {
        closeDescriptor()
        let tmpPath = tmpPath
        _ = try? await threadPool.runIfActive { unlink(tmpPath) }
    }

    private func closeDescriptor() {
        let fd = state.withLock { state in
            defer { state.fd = -1 }
            return state.fd
        }
        if fd >= 0 { Foundation.close(fd) }
    }

    deinit {
        // A writer dropped without commit or abort (a cancelled request) must not leak its descriptor;
        // the temp file itself is removed by the next start-up sweep or the caller's abort().
        let fd = state.withLock { $0.fd }
        if fd >= 0 { Foundation.close(fd) }
    }
}
