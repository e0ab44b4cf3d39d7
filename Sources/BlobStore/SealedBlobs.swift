import Encryption
import Foundation
import NIOCore
import Synchronization

/// Writes a blob encrypted at rest: plaintext is cut into `sealing.chunkSize` chunks, each sealed
/// (AES-256-GCM, ciphertext ‖ tag) and passed on to the underlying writer in large batches. A
/// full chunk is held back until more bytes arrive, because only `commit` knows which chunk is
/// the last (the last-chunk flag is authenticated, so a truncated blob fails to open).
public final class SealingBlobWriter: BlobWriter {
    static let batchSize = 1 << 20

    let inner: any BlobWriter
    let sealing: ChunkedSealing
    struct State {
        var pending = ByteBuffer()
        var index: UInt64 = 0
        var plaintext: Int64 = 0
    }
    let state = Mutex(State())

    public init(wrapping inner: any BlobWriter, sealing: ChunkedSealing) {
        self.inner = inner
        self.sealing = sealing
    }

    public var id: String { inner.id }
    /// Plaintext bytes accepted so far (what the object's size will be).
    public var bytesWritten: Int64 { state.withLock { $0.plaintext } }

    public func write(_ buffer: ByteBuffer) async throws {
        let sealed = try state.withLock { state -> ByteBuffer? in
            var incoming = buffer
            state.plaintext += Int64(incoming.readableBytes)
            state.pending.writeBuffer(&incoming)
            guard state.pending.readableBytes >= Self.batchSize else { return nil }
            return try sealChunks(&state, final: false)
        }
        if let sealed, sealed.readableBytes > 0 { try await inner.write(sealed) }
    }

    public func commit() async throws {
        let sealed = try state.withLock { state in try sealChunks(&state, final: true) }
        if sealed.readableBytes > 0 { try await inner.write(sealed) }
        try await inner.commit()
    }

    public func abort() async { await inner.abort() }

    /// Seals every full chunk that is known not to be the last; with `final`, everything left,
    /// the last chunk flagged (an empty blob is one empty last chunk).
    func sealChunks(_ state: inout State, final: Bool) throws -> ByteBuffer {
        let chunkSize = sealing.chunkSize
        var out = ByteBuffer()
        out.reserveCapacity(state.pending.readableBytes + (state.pending.readableBytes / chunkSize + 1) * ChunkedSealing.tagSize)
        func sealNext(isLast: Bool) throws {
            let length = min(chunkSize, state.pending.readableBytes)
            let index = state.index
            let (ciphertext, tag) = try state.pending.withUnsafeReadableBytes { raw in
                try sealing.seal(UnsafeRawBufferPointer(rebasing: raw[..<length]), index: index, isLast: isLast)
            }
            state.pending.moveReaderIndex(forwardBy: length)
            out.writeBytes(ciphertext)
            out.writeBytes(tag)
            state.index += 1
        }
        while state.pending.readableBytes > chunkSize { try sealNext(isLast: false) }
        // Only full chunks are sealed early, so at the end 1…chunkSize bytes remain (0 for an empty blob).
        if final { try sealNext(isLast: true) }
        state.pending.discardReadBytes()
        return out
    }
}

/// Reads the plaintext of a blob written by `SealingBlobWriter`s — one segment, or several
/// concatenated (a multipart object, each part with its own data key). A read decrypts only the
/// chunks it touches; any tampering, reordering or truncation fails the read.
public final class UnsealingBlobReader: BlobReader {
    struct Segment {
        let sealing: ChunkedSealing
        let plaintextStart: Int64
        let plaintextSize: Int64
        let storedStart: Int64
    }

    let inner: any BlobReader
    let segments: [Segment]
    public let size: Int64

    /// `segments`: each segment's sealing and plaintext size, in stored order. Throws
    /// `SealingError.sizeMismatch` when the blob is not exactly their sealed sizes.
    public init(wrapping inner: any BlobReader, segments: [(sealing: ChunkedSealing, plaintextSize: Int64)]) throws {
        var built: [Segment] = []
        var plaintext: Int64 = 0, stored: Int64 = 0
        for (sealing, size) in segments {
            built.append(Segment(sealing: sealing, plaintextStart: plaintext, plaintextSize: size, storedStart: stored))
            plaintext += size
            stored += sealing.sealedSize(plaintextSize: size)
        }
        guard stored == inner.size else { throw SealingError.sizeMismatch }
        self.inner = inner
        self.segments = built
        self.size = plaintext
    }

    public func read(offset: Int64, length: Int) async throws -> ByteBuffer {
        var out = ByteBuffer()
        guard length > 0 else { return out }
        let end = offset + Int64(length)
        guard offset >= 0, end <= size else { throw SealingError.sizeMismatch }
        out.reserveCapacity(length)
        var position = offset
        var index = segmentIndex(containing: offset)
        while position < end {
            let segment = segments[index]
            index += 1
            let segmentEnd = segment.plaintextStart + segment.plaintextSize
            guard segmentEnd > position else { continue }
            let localStart = position - segment.plaintextStart
            let localEnd = min(end, segmentEnd) - segment.plaintextStart
            try await decrypt(segment, localStart...(localEnd - 1), into: &out)
            position = segment.plaintextStart + localEnd
        }
        return out
    }

    /// The first segment whose plaintext reaches past `offset` (binary search).
    func segmentIndex(containing offset: Int64) -> Int {
        var low = 0, high = segments.count - 1
        while low < high {
            let middle = (low + high) / 2
            if segments[middle].plaintextStart + segments[middle].plaintextSize <= offset { low = middle + 1 } else { high = middle }
        }
        return low
    }

    func decrypt(_ segment: Segment, _ range: ClosedRange<Int64>, into out: inout ByteBuffer) async throws {
        let sealing = segment.sealing
        let plan = SealedRange(range: range, plaintextSize: segment.plaintextSize, chunkSize: sealing.chunkSize)
        let stored = try await inner.read(offset: segment.storedStart + plan.storedOffset, length: Int(plan.storedLength))
        let lastIndex = sealing.lastChunkIndex(plaintextSize: segment.plaintextSize)
        var skip = plan.skip
        var remaining = Int(plan.length)
        try stored.withUnsafeReadableBytes { raw in
            var cursor = 0
            for chunk in plan.chunks {
                let count = min(sealing.sealedChunkSize, raw.count - cursor)
                let plain = try sealing.open(
                    UnsafeRawBufferPointer(rebasing: raw[cursor..<(cursor + count)]), index: UInt64(chunk), isLast: UInt64(chunk) == lastIndex)
                cursor += count
                let take = min(plain.count - skip, remaining)
                plain.withUnsafeBytes { bytes in
                    _ = out.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[skip..<(skip + take)]))
                }
                remaining -= take
                skip = 0
            }
        }
    }

    public func close() async { await inner.close() }
}
