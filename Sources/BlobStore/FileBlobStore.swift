import Foundation
import Logging
import NIOCore
import NIOPosix

/// Blobs as files under `<root>/blobs/xx/yy/<id>`, written through `<root>/tmp` on the same filesystem
/// so that the final rename is atomic. Blocking file calls run on the NIO thread pool.
public struct FileBlobStore: BlobStore {
    public let root: String
    let threadPool: NIOThreadPool
    let logger: Logger

    public init(root: String, threadPool: NIOThreadPool = .singleton, logger: Logger) throws {
        self.root = root
        self.threadPool = threadPool
        self.logger = logger
        try FileManager.default.createDirectory(atPath: tmpDirectory, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: blobDirectory, withIntermediateDirectories: true)
    }

    var tmpDirectory: String { root + "/tmp" }
    var blobDirectory: String { root + "/blobs" }

    func path(for id: String) -> String {
        let u = Array(id.utf8)
        let a = String(decoding: u.prefix(2), as: UTF8.self), b = String(decoding: u.dropFirst(2).prefix(2), as: UTF8.self)
        return "\(blobDirectory)/\(a)/\(b)/\(id)"
    }

    /// Ids are 32 lowercase hex characters; anything else is refused before it reaches a path.
    static func isValidId(_ id: String) -> Bool {
        id.utf8.count == 32 && id.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    public func create() async throws -> any BlobWriter {
        let id = Self.newId()
        let tmpPath = "\(tmpDirectory)/\(id).tmp"
        let finalPath = path(for: id)
        let fd = try await threadPool.runIfActive {
            let fd = Foundation.open(tmpPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw POSIXFailure(call: "open", errno: errno) }
            return fd
        }
        return FileBlobWriter(id: id, fd: fd, tmpPath: tmpPath, finalPath: finalPath, threadPool: threadPool)
    }

    public func open(_ id: String) async throws -> any BlobReader {
        guard Self.isValidId(id) else { throw BlobNotFound(id: id) }
        let path = path(for: id)
        let (fd, size) = try await threadPool.runIfActive { () throws -> (Int32, Int64) in
            let fd = Foundation.open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                if errno == ENOENT { throw BlobNotFound(id: id) }
                throw POSIXFailure(call: "open", errno: errno)
            }
            var info = stat()
            guard fstat(fd, &info) == 0 else {
                let code = errno
                Foundation.close(fd)
                throw POSIXFailure(call: "fstat", errno: code)
            }
            return (fd, Int64(info.st_size))
        }
        return FileBlobReader(fd: fd, size: size, threadPool: threadPool)
    }

    public func delete(_ id: String) async {
        guard Self.isValidId(id) else { return }
        let path = path(for: id)
        _ = try? await threadPool.runIfActive { unlink(path) }
    }

    static func newId() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }.map { byte in
            let digits = Array("0123456789abcdef")
            return "\(digits[Int(byte >> 4)])\(digits[Int(byte & 15)])"
        }.joined()
    }
}

/// A failed POSIX call; the path is deliberately not included (it never reaches a client).
public struct POSIXFailure: Error, CustomStringConvertible, Sendable {
    public let call: String
    public let errno: Int32
    public var description: String { "\(call) failed: \(String(cString: strerror(errno)))" }
}
