import BlobStore
import Crypto
import Encryption
import NIOCore
import Synchronization
import Testing

/// A blob kept in memory, for the sealing writer and unsealing reader.
final class MemoryBlob: BlobWriter, BlobReader {
    let bytes = Mutex<[UInt8]>([])
    let id = "memory"
    var bytesWritten: Int64 { Int64(bytes.withLock { $0.count }) }
    var size: Int64 { bytesWritten }
    func write(_ buffer: ByteBuffer) async throws { bytes.withLock { $0 += buffer.readableBytesView } }
    func commit() async throws {}
    func abort() async {}
    func read(offset: Int64, length: Int) async throws -> ByteBuffer {
        let all = bytes.withLock { $0 }
        guard offset + Int64(length) <= Int64(all.count) else { throw SealingError.sizeMismatch }
        return ByteBuffer(bytes: all[Int(offset)..<(Int(offset) + length)])
    }
    func close() async {}
}

@Suite struct SealedBlobTests {
    static let chunk = 64

    /// Seals `parts` one after another into one blob, each with its own key (a multipart object),
    /// feeding the writer in uneven slices.
    func sealParts(_ parts: [[UInt8]]) async throws -> (MemoryBlob, [(sealing: ChunkedSealing, plaintextSize: Int64)]) {
        let blob = MemoryBlob()
        var segments: [(sealing: ChunkedSealing, plaintextSize: Int64)] = []
        for part in parts {
            let sealing = ChunkedSealing(key: SymmetricKey(size: .bits256), noncePrefix: KeyWrapping.newNoncePrefix(), chunkSize: Self.chunk)
            let writer = SealingBlobWriter(wrapping: blob, sealing: sealing)
            var offset = 0, step = 1
            while offset < part.count {
                let end = min(part.count, offset + step)
                try await writer.write(ByteBuffer(bytes: part[offset..<end]))
                offset = end
                step = step * 3 + 1
            }
            #expect(writer.bytesWritten == Int64(part.count))
            try await writer.commit()
            segments.append((sealing, Int64(part.count)))
        }
        return (blob, segments)
    }

    static func pattern(_ count: Int, seed: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ seed) } }

    @Test func everyRangeAcrossSegmentsAndChunks() async throws {
        let parts = [Self.pattern(130, seed: 1), Self.pattern(0, seed: 2), Self.pattern(64, seed: 3), Self.pattern(1, seed: 4), Self.pattern(70, seed: 5)]
        let plaintext = parts.flatMap { $0 }
        let (blob, segments) = try await sealParts(parts)
        #expect(blob.size == segments.reduce(0) { $0 + $1.sealing.sealedSize(plaintextSize: $1.plaintextSize) })
        #expect(blob.bytes.withLock { $0 } != plaintext)
        let reader = try UnsealingBlobReader(wrapping: blob, segments: segments)
        #expect(reader.size == Int64(plaintext.count))
        for start in 0..<plaintext.count {
            for end in start..<plaintext.count where (end - start) % 7 == 0 || end == plaintext.count - 1 {
                let read = try await reader.read(offset: Int64(start), length: end - start + 1)
                #expect(Array(read.readableBytesView) == Array(plaintext[start...end]), "range \(start)-\(end)")
            }
        }
    }

    @Test func emptyObjectIsOneEmptyChunk() async throws {
        let (blob, segments) = try await sealParts([[]])
        #expect(blob.size == Int64(ChunkedSealing.tagSize))
        let reader = try UnsealingBlobReader(wrapping: blob, segments: segments)
        #expect(reader.size == 0)
        #expect(try await reader.read(offset: 0, length: 0).readableBytes == 0)
    }

    @Test func tamperingAndWrongSizesAreRefused() async throws {
        let plaintext = Self.pattern(200, seed: 9)
        let (blob, segments) = try await sealParts([plaintext])
        blob.bytes.withLock { $0[100] ^= 1 }  // inside the second stored chunk (bytes 80..<160)
        let reader = try UnsealingBlobReader(wrapping: blob, segments: segments)
        #expect(try await reader.read(offset: 0, length: 64).readableBytesView.elementsEqual(plaintext[0..<64]))
        await #expect(throws: SealingError.authenticationFailed) { _ = try await reader.read(offset: 64, length: 10) }
        // A truncated blob does not match its recorded sizes.
        blob.bytes.withLock { $0.removeLast(5) }
        #expect(throws: SealingError.sizeMismatch) { _ = try UnsealingBlobReader(wrapping: blob, segments: segments) }
    }

    @Test func swappedSegmentKeysFail() async throws {
        let (blob, segments) = try await sealParts([Self.pattern(100, seed: 1), Self.pattern(100, seed: 2)])
        let swapped = [(segments[1].sealing, segments[0].plaintextSize), (segments[0].sealing, segments[1].plaintextSize)]
        let reader = try UnsealingBlobReader(wrapping: blob, segments: swapped)
        await #expect(throws: SealingError.authenticationFailed) { _ = try await reader.read(offset: 0, length: 1) }
    }
}
