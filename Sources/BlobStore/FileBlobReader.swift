import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// Reads a committed blob through an already-open descriptor, so a concurrent replace or delete
/// (which unlinks the file) never cuts a response short.
final class FileBlobReader: BlobReader {
    let fd: Int32
    let size: Int64
    let threadPool: NIOThreadPool
    let allocator = ByteBufferAllocator()
    /// Closing twice would close whatever descriptor the number was reused for: close exactly once.
    let closed = Atomic<Bool>(false)

    init(fd: Int32, size: Int64, threadPool: NIOThreadPool) {
        self.fd = fd
        self.size = size
        self.threadPool = threadPool
    }

    func read(offset: Int64, length: Int) async throws -> ByteBuffer {
        let fd = fd, allocator = allocator
        return try await threadPool.runIfActive {
            // Allocated here, not captured: a captured buffer would be copied on first write (CoW).
            var buffer = allocator.buffer(capacity: length)
            let count = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: length) { raw in
                var done = 0
                while done < length {
                    let n = pread(fd, raw.baseAddress! + done, length - done, off_t(offset) + off_t(done))
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw POSIXFailure(call: "pread", errno: errno)
                    }
                    if n == 0 { break }
                    done += n
                }
                return done
            }
            guard count == length else { throw POSIXFailure(call: "pread (short read)", errno: EIO) }
            return buffer
        }
    }

    func close() async {
        if !closed.exchange(true, ordering: .acquiringAndReleasing) { Foundation.close(fd) }
    }

    deinit {
        if !closed.load(ordering: .acquiring) { Foundation.close(fd) }
    }
}
