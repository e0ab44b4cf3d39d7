import Crypto
import Foundation

/// Encryption at rest in fixed-size chunks, so that a Range read decrypts only the chunks it
/// touches: each chunk of `chunkSize` plaintext bytes is sealed with AES-256-GCM under the
/// object's data key and stored as ciphertext ‖ 16-byte tag. The nonce is the object's 4-byte
/// nonce prefix ‖ the chunk index (big-endian), and the associated data binds the index and
/// whether the chunk is the last, so chunks cannot be reordered, dropped or the object truncated
/// without the tag check failing. An empty object is one empty final chunk.
public struct ChunkedSealing: Sendable {
    public static let tagSize = 16
    public static let defaultChunkSize = 64 * 1024

    public let key: SymmetricKey
    public let noncePrefix: [UInt8]
    public let chunkSize: Int

    public init(key: SymmetricKey, noncePrefix: [UInt8], chunkSize: Int = ChunkedSealing.defaultChunkSize) {
        precondition(key.bitCount == 256 && noncePrefix.count == 4 && chunkSize > 0)
        self.key = key
        self.noncePrefix = noncePrefix
        self.chunkSize = chunkSize
    }

    public var sealedChunkSize: Int { chunkSize + Self.tagSize }

    /// Stored size of a `plaintextSize`-byte object.
    public func sealedSize(plaintextSize: Int64) -> Int64 { Self.sealedSize(plaintextSize: plaintextSize, chunkSize: chunkSize) }

    public static func sealedSize(plaintextSize: Int64, chunkSize: Int) -> Int64 {
        let chunks = max(1, (plaintextSize + Int64(chunkSize) - 1) / Int64(chunkSize))
        return plaintextSize + chunks * Int64(tagSize)
    }

    /// Plaintext size of a stored object (inverse of `sealedSize`).
    public func plaintextSize(sealedSize: Int64) -> Int64? {
        let full = sealedSize / Int64(sealedChunkSize), rest = sealedSize % Int64(sealedChunkSize)
        if rest == 0 { return full > 0 ? full * Int64(chunkSize) : nil }
        guard rest >= Int64(Self.tagSize) else { return nil }
        return full * Int64(chunkSize) + rest - Int64(Self.tagSize)
    }

    /// Seals one chunk: `plaintext` is `chunkSize` bytes, or fewer for the last chunk.
    public func seal(_ plaintext: some DataProtocol, index: UInt64, isLast: Bool) throws -> (ciphertext: Data, tag: Data) {
        precondition(plaintext.count <= chunkSize && (isLast || plaintext.count == chunkSize))
        let box = try AES.GCM.seal(plaintext, using: key, nonce: nonce(index), authenticating: aad(index, isLast))
        return (box.ciphertext, box.tag)
    }

    /// Opens one stored chunk (ciphertext ‖ tag); throws `authenticationFailed` for anything that is
    /// not exactly the chunk sealed at `index` with this key and last-chunk flag.
    public func open(_ sealed: UnsafeRawBufferPointer, index: UInt64, isLast: Bool) throws -> Data {
        guard sealed.count >= Self.tagSize, sealed.count <= sealedChunkSize else { throw SealingError.malformedChunk }
        let split = sealed.count - Self.tagSize
        do {
            let box = try AES.GCM.SealedBox(
                nonce: nonce(index), ciphertext: UnsafeRawBufferPointer(rebasing: sealed[..<split]),
                tag: UnsafeRawBufferPointer(rebasing: sealed[split...]))
            return try AES.GCM.open(box, using: key, authenticating: aad(index, isLast))
        } catch {
            throw SealingError.authenticationFailed
        }
    }

    /// Array forms of `seal`/`open` (tests, small values).
    public func seal(chunk plaintext: some DataProtocol, index: UInt64, isLast: Bool) throws -> [UInt8] {
        let (ciphertext, tag) = try seal(plaintext, index: index, isLast: isLast)
        return Array(ciphertext) + Array(tag)
    }

    public func open(chunk sealed: some DataProtocol, index: UInt64, isLast: Bool) throws -> [UInt8] {
        try Array(sealed).withUnsafeBytes { try Array(open($0, index: index, isLast: isLast)) }
    }

    /// Index of the last chunk of a `plaintextSize`-byte run.
    public func lastChunkIndex(plaintextSize: Int64) -> UInt64 {
        plaintextSize == 0 ? 0 : UInt64((plaintextSize - 1) / Int64(chunkSize))
    }

    func nonce(_ index: UInt64) throws -> AES.GCM.Nonce {
        try AES.GCM.Nonce(data: noncePrefix + withUnsafeBytes(of: index.bigEndian) { Array($0) })
    }

    static let label = Array("magpie-sse-v1".utf8)

    func aad(_ index: UInt64, _ isLast: Bool) -> [UInt8] {
        Self.label + withUnsafeBytes(of: index.bigEndian) { Array($0) } + [isLast ? 1 : 0]
    }
}

public enum SealingError: Error, Equatable, Sendable {
    case malformedChunk
    case authenticationFailed
    case malformedWrappedKey
    /// The stored blob's size does not match the recorded segments.
    case sizeMismatch
}

/// Which stored bytes a plaintext range needs, and how to cut the decrypted chunks back to it.
public struct SealedRange: Equatable, Sendable {
    /// Chunk indexes to read and decrypt.
    public var chunks: ClosedRange<Int64>
    /// Stored byte range covering those chunks.
    public var storedOffset: Int64
    public var storedLength: Int64
    /// Bytes to drop from the front of the first decrypted chunk.
    public var skip: Int
    /// Plaintext bytes to deliver.
    public var length: Int64

    /// `range` is inclusive and within `0..<plaintextSize`.
    public init(range: ClosedRange<Int64>, plaintextSize: Int64, chunkSize: Int) {
        let size = Int64(chunkSize), sealed = size + Int64(ChunkedSealing.tagSize)
        let first = range.lowerBound / size, last = range.upperBound / size
        chunks = first...last
        storedOffset = first * sealed
        let lastChunkPlain = min(size, plaintextSize - last * size)
        storedLength = (last - first) * sealed + lastChunkPlain + Int64(ChunkedSealing.tagSize)
        skip = Int(range.lowerBound - first * size)
        length = range.upperBound - range.lowerBound + 1
    }
}
