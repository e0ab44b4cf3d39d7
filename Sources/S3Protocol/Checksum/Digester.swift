import CMagpieChecksum
import Crypto
import MagpieCore
import NIOCore

/// An incremental digest of one checksum algorithm (or MD5), fed with streamed body bytes.
public struct Digester: Sendable {
    enum State: Sendable {
        case md5(Insecure.MD5)
        case sha1(Insecure.SHA1)
        case sha256(SHA256)
        case crc32(UInt32)
        case crc32c(UInt32)
    }
    var state: State

    public static func md5() -> Digester { Digester(state: .md5(Insecure.MD5())) }
    public init(_ algorithm: ChecksumAlgorithm) {
        switch algorithm {
        case .crc32: state = .crc32(0)
        case .crc32c: state = .crc32c(0)
        case .sha1: state = .sha1(Insecure.SHA1())
        case .sha256: state = .sha256(SHA256())
        }
    }
    init(state: State) { self.state = state }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        switch state {
        case .md5(var h): h.update(bufferPointer: bytes); state = .md5(h)
        case .sha1(var h): h.update(bufferPointer: bytes); state = .sha1(h)
        case .sha256(var h): h.update(bufferPointer: bytes); state = .sha256(h)
        case .crc32(let c): state = .crc32(magpie_crc32(c, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count))
        case .crc32c(let c): state = .crc32c(magpie_crc32c(c, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count))
        }
    }

    public mutating func update(_ buffer: ByteBuffer) {
        buffer.withUnsafeReadableBytes { update($0) }
    }

    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The raw digest bytes (big-endian for CRCs, as S3 encodes them before base64).
    public func finalize() -> [UInt8] {
        switch state {
        case .md5(let h): Array(h.finalize())
        case .sha1(let h): Array(h.finalize())
        case .sha256(let h): Array(h.finalize())
        case .crc32(let c), .crc32c(let c): [UInt8(c >> 24), UInt8((c >> 16) & 0xff), UInt8((c >> 8) & 0xff), UInt8(c & 0xff)]
        }
    }
}

extension Array where Element == UInt8 {
    public var hexString: String { Hex.encode(self) }

    public var base64String: String { Base64.encode(self) }
}
