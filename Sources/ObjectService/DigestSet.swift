import NIOCore
import S3Protocol

/// The digests computed while a body streams: MD5 (the ETag), CRC32C (stored for read-time
/// integrity checks), the checksum the client asked for, and SHA-256 when the payload was signed.
struct DigestSet {
    var md5 = Digester.md5()
    var crc32c = Digester(.crc32c)
    var requested: (ChecksumAlgorithm, Digester)?
    var sha256: Digester?

    init(requested algorithm: ChecksumAlgorithm?, payloadSHA256: Bool) {
        if let algorithm, algorithm != .crc32c { requested = (algorithm, Digester(algorithm)) }
        if payloadSHA256 { sha256 = algorithm == .sha256 ? nil : Digester(.sha256) }
    }

    mutating func update(_ buffer: ByteBuffer) {
        buffer.withUnsafeReadableBytes { bytes in
            md5.update(bytes)
            crc32c.update(bytes)
            requested?.1.update(bytes)
            sha256?.update(bytes)
        }
    }

    struct Result {
        var md5: [UInt8]
        var crc32c: [UInt8]
        var requested: [UInt8]?
        var sha256: [UInt8]?

        var crc32cValue: UInt32 { crc32c.reduce(0) { $0 << 8 | UInt32($1) } }

        func checksum(_ algorithm: ChecksumAlgorithm) -> [UInt8]? {
            switch algorithm {
            case .crc32c: crc32c
            default: requested
            }
        }
    }

    func finalize(requestedAlgorithm: ChecksumAlgorithm?) -> Result {
        let requestedDigest = requested?.1.finalize()
        let crc = crc32c.finalize()
        var result = Result(md5: md5.finalize(), crc32c: crc, requested: requestedDigest, sha256: sha256?.finalize())
        if requestedAlgorithm == .sha256, result.sha256 == nil { result.sha256 = requestedDigest }
        return result
    }
}
