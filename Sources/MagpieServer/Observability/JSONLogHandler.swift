import Foundation
import Logging
import MagpieCore
import Synchronization

/// swift-log handler writing one JSON object per line (to stdout by default).
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String
    let fileDescriptor: Int32

    static let lock = Mutex(())

    public init(label: String, toStandardError: Bool = false) {
        self.label = label
        self.fileDescriptor = toStandardError ? 2 : 1
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [(String, String)] = [
            ("ts", Self.timestamp()), ("level", event.level.rawValue), ("logger", label), ("msg", event.message.description),
        ]
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) { fields.append((key, "\(value)")) }
        var line = "{"
        for (index, (key, value)) in fields.enumerated() {
            if index > 0 { line += "," }
            line += Self.quote(key) + ":" + (Self.isNumber(value) && key != "msg" ? value : Self.quote(value))
        }
        line += "}\n"
        // One write(2) per line under a lock: lines from concurrent requests never interleave.
        Self.lock.withLock { _ in
            var bytes = Array(line.utf8)
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeMutableBytes { Foundation.write(fileDescriptor, $0.baseAddress! + offset, $0.count - offset) }
                if written <= 0 { break }
                offset += written
            }
        }
    }

    static func timestamp() -> String {
        HTTPDate.iso8601(epochMillis: Int64(Date().timeIntervalSince1970 * 1000))
    }

    static func isNumber(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count < 18 && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E } && text.first != "."
            && text.utf8.filter { $0 == 0x2E }.count <= 1 && !(text.count > 1 && text.hasPrefix("0") && !text.hasPrefix("0."))
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
