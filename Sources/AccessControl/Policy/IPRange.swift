import Foundation

/// An IPv4 or IPv6 CIDR block (`192.0.2.0/24`, `2001:db8::/32`; a bare address is a /32 or /128), as
/// the `IpAddress` condition operators take them.
public struct IPRange: Sendable, Equatable {
    public let bytes: [UInt8]
    public let prefixLength: Int

    public var isIPv4: Bool { bytes.count == 4 }

    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPRange.parseAddress(String(parts[0])) else { return nil }
        let maxLength = address.count * 8
        if parts.count == 2 {
            guard let length = Int(parts[1]), (0...maxLength).contains(length), !parts[1].hasPrefix("+") else { return nil }
            prefixLength = length
        } else {
            prefixLength = maxLength
        }
        bytes = address
    }

    /// Whether `address` (text) lies in this block. IPv4-mapped IPv6 addresses compare as IPv4.
    public func contains(_ address: String) -> Bool {
        guard var candidate = IPRange.parseAddress(address) else { return false }
        if candidate.count == 16, bytes.count == 4, candidate.prefix(12) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] {
            candidate = Array(candidate.suffix(4))
        }
        guard candidate.count == bytes.count else { return false }
        var remaining = prefixLength
        for index in 0..<bytes.count where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if candidate[index] & mask != bytes[index] & mask { return false }
            remaining -= bits
        }
        return true
    }

    public static func parseAddress(_ text: String) -> [UInt8]? {
        if text.utf8.contains(UInt8(ascii: ":")) { return parseIPv6(text) }
        return parseIPv4(text.utf8)
    }

    /// Dotted-quad IPv4 from bytes, without intermediate strings (it runs for every `aws:SourceIp` test).
    static func parseIPv4(_ bytes: String.UTF8View) -> [UInt8]? {
        var result: [UInt8] = []
        result.reserveCapacity(4)
        var value = 0, digits = 0
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, result.count < 3 else { return nil }
                result.append(UInt8(value))
                value = 0
                digits = 0
            } else if byte >= 0x30 && byte <= 0x39, digits < 3 {
                value = value * 10 + Int(byte - 0x30)
                digits += 1
                guard value <= 255 else { return nil }
            } else {
                return nil
            }
        }
        guard digits > 0, result.count == 3 else { return nil }
        result.append(UInt8(value))
        return result
    }

    static func parseIPv6(_ text: String) -> [UInt8]? {
        var text = Substring(text)
        if text.hasPrefix("[") && text.hasSuffix("]") { text = text.dropFirst().dropLast() }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt8]? {
            if part.isEmpty { return [] }
            var out: [UInt8] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, piece.contains(".") {
                    guard let v4 = parseAddress(String(piece)) else { return nil }
                    out += v4
                    continue
                }
                guard (1...4).contains(piece.count), let value = UInt16(piece, radix: 16) else { return nil }
                out += [UInt8(value >> 8), UInt8(value & 0xFF)]
            }
            return out
        }
        guard let head = groups(halves[0]) else { return nil }
        if halves.count == 1 { return head.count == 16 ? head : nil }
        guard let tail = groups(halves[1]), head.count + tail.count < 16 else { return nil }
        return head + Array(repeating: 0, count: 16 - head.count - tail.count) + tail
    }
}
