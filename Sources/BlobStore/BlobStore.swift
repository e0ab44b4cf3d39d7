import NIOCore

/// Where object bytes live: local files by default, an S3-compatible cluster for scale-out later.
/// Blobs are immutable once committed and named by generated ids, never by object keys.
public protocol BlobStore: Sendable {
    /// Starts a new blob; nothing is visible until `commit()`.
    func create() async throws -> any BlobWriter
    /// Opens a committed blob for reading; throws `BlobNotFound` when it is gone (e.g. replaced meanwhile).
    func open(_ id: String) async throws -> any BlobReader
    /// A new committed blob holding the given blobs' bytes in order (multipart completion). Copies in
    /// the kernel where it can; the sources are left in place for the caller to delete.
    func compose(_ ids: [String]) async throws -> String
    /// Removes a committed blob (idempotent).
    func delete(_ id: String) async
    /// Removes temp files and every blob whose id `referenced` does not return. Run before serving.
    func collectGarbage(referenced: @Sendable ([String]) async throws -> Set<String>) async throws -> GarbageReport
}

public struct GarbageReport: Sendable, Equatable {
    public var tempFilesRemoved: Int
    public var orphanBlobsRemoved: Int
}

public protocol BlobWriter: Sendable {
    var id: String { get }
    var bytesWritten: Int64 { get }
    func write(_ buffer: ByteBuffer) async throws
    /// Makes the blob durable and visible under its id (fsync, rename, fsync of the directory).
    func commit() async throws
    /// Discards everything written (idempotent; safe after a failed commit).
    func abort() async
}

public protocol BlobReader: Sendable {
    var size: Int64 { get }
    /// Exactly `length` bytes at `offset` (throws on a short read).
    func read(offset: Int64, length: Int) async throws -> ByteBuffer
    func close() async
}

extension BlobReader {
    /// Calls `body` with the bytes of `range` (inclusive offsets; nil = whole blob) in order.
    public func read(range: ClosedRange<Int64>?, chunkSize: Int, _ body: (ByteBuffer) async throws -> Void) async throws {
        guard let range = range ?? (size > 0 ? 0...(size - 1) : nil) else { return }
        var offset = range.lowerBound
        while offset <= range.upperBound {
            let length = Int(min(Int64(chunkSize), range.upperBound + 1 - offset))
            try await body(try await read(offset: offset, length: length))
            offset += Int64(length)
        }
    }

    /// As `read(range:chunkSize:_:)`, but the next chunk is read while `body` handles the current one
    /// (for readers that do work per read, such as decryption). At most one read is ahead; it is
    /// awaited before returning, also on failure, so the reader is idle once this returns.
    public func readAhead(range: ClosedRange<Int64>?, chunkSize: Int, _ body: (ByteBuffer) async throws -> Void) async throws {
        guard let range = range ?? (size > 0 ? 0...(size - 1) : nil) else { return }
        let fetch = { (offset: Int64) -> Task<ByteBuffer, any Error> in
            let length = Int(min(Int64(chunkSize), range.upperBound + 1 - offset))
            return Task { try await self.read(offset: offset, length: length) }
        }
        var offset = range.lowerBound
        var pending = fetch(offset)
        while true {
            let chunk = try await pending.value
            offset += Int64(chunk.readableBytes)
            let more = offset <= range.upperBound
            if more { pending = fetch(offset) }
            do {
                try await body(chunk)
            } catch {
                if more {
                    pending.cancel()
                    _ = try? await pending.value
                }
                throw error
            }
            if !more { return }
        }
    }

    /// The whole blob as a pull-based sequence of chunks (backpressure for free).
    public func chunks(chunkSize: Int) -> BlobChunks { BlobChunks(reader: self, chunkSize: chunkSize) }
}

public struct BlobChunks: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer
    let reader: any BlobReader
    let chunkSize: Int

    public struct AsyncIterator: AsyncIteratorProtocol {
        let reader: any BlobReader
        let chunkSize: Int
        var offset: Int64 = 0

        public mutating func next() async throws -> ByteBuffer? {
            guard offset < reader.size else { return nil }
            let length = Int(Swift.min(Int64(chunkSize), reader.size - offset))
            let chunk = try await reader.read(offset: offset, length: length)
            offset += Int64(length)
            return chunk
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(reader: reader, chunkSize: chunkSize) }
}

public struct BlobNotFound: Error, Sendable {
    public let id: String
}
