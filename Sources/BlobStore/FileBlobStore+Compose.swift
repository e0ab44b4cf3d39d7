import CMagpieChecksum
import Foundation
import NIOPosix
import Synchronization

extension FileBlobStore {
    public func compose(_ ids: [String]) async throws -> String {
        guard ids.allSatisfy(Self.isValidId) else { throw BlobNotFound(id: ids.first { !Self.isValidId($0) } ?? "") }
        let writer = try await create()
        guard let fileWriter = writer as? FileBlobWriter else { throw POSIXFailure(call: "compose", errno: EINVAL) }
        let sources = ids.map(path(for:))
        do {
            let target = fileWriter.state.withLock { $0.fd }
            try await threadPool.runIfActive {
                for source in sources {
                    let fd = Foundation.open(source, O_RDONLY | O_CLOEXEC)
                    guard fd >= 0 else { throw POSIXFailure(call: "open", errno: errno) }
                    defer { Foundation.close(fd) }
                    var info = stat()
                    guard fstat(fd, &info) == 0 else { throw POSIXFailure(call: "fstat", errno: errno) }
                    let status = magpie_copy_range(fd, 0, target, Int64(info.st_size))
                    guard status == 0 else { throw POSIXFailure(call: "copy_file_range", errno: status) }
                }
            }
            try await writer.commit()
            return writer.id
        } catch {
            await writer.abort()
            throw error
        }
    }
}
