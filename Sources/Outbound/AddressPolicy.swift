import Foundation

/// The one decision on which addresses Magpie may connect to on a client's behalf — image sources
/// and webhooks alike. By default only public unicast addresses: private (RFC 1918, unique-local),
/// loopback, link-local (which holds cloud metadata services at 169.254.169.254 and
/// fd00:ec2::254), CGNAT, multicast, reserved and unspecified ranges are refused — checked on the
/// addresses DNS returned, on every redirect hop. The unspecified address (0.0.0.0, ::), which
/// reaches the local host, is refused even when private targets are allowed.
public struct AddressPolicy: Sendable, Equatable {
    /// Allow non-public addresses too (tests, private networks) — an explicit operator decision.
    public var allowPrivate: Bool

    public init(allowPrivate: Bool = false) {
        self.allowPrivate = allowPrivate
    }

    public func allows(_ address: IPAddress) -> Bool {
        !address.isUnspecified && (allowPrivate || address.isPublic)
    }
}

/// An IPv4 or IPv6 address as bytes.
public enum IPAddress: Sendable, Hashable, CustomStringConvertible {
    case v4(UInt32)
    case v6([UInt8])

    /// Parses dotted IPv4 or textual IPv6 (with `::` compression and an embedded IPv4 tail).
    public init?(_ text: String) {
        if let v4 = Self.parseV4(Substring(text)) {
            self = .v4(v4)
            return
        }
        guard let v6 = Self.parseV6(text) else { return nil }
        self = .v6(v6)
    }

    /// From the 4 or 16 bytes of a resolved address (nil for any other length).
    public init?(bytes: [UInt8]) {
        switch bytes.count {
        case 4: self = .v4(UInt32(bytes[0]) << 24 | UInt32(bytes[1]) << 16 | UInt32(bytes[2]) << 8 | UInt32(bytes[3]))
        case 16: self = .v6(bytes)
        default: return nil
        }
    }

    public var isUnspecified: Bool {
        switch self {
        case .v4(let value): value == 0
        case .v6(let bytes): bytes.allSatisfy { $0 == 0 }
        }
    }

    public var description: String {
        switch self {
        case .v4(let value):
            return [24, 16, 8, 0].map { String((value >> UInt32($0)) & 0xFF) }.joined(separator: ".")
        case .v6(let bytes):
            return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
                .joined(separator: ":")
        }
    }

    public var isPublic: Bool {
        switch self {
        case .v4(let value):
            let blocked: [(UInt32, Int)] = [
                (0x0000_0000, 8),  // "this network"
                (0x0A00_0000, 8),  // 10/8
                (0x6440_0000, 10),  // 100.64/10 CGNAT
                (0x7F00_0000, 8),  // loopback
                (0xA9FE_0000, 16),  // 169.254/16 link-local, cloud metadata
                (0xAC10_0000, 12),  // 172.16/12
                (0xC000_0000, 24),  // 192.0.0/24 IETF protocol assignments
                (0xC000_0200, 24),  // TEST-NET-1
                (0xC058_6300, 24),  // 192.88.99/24 6to4 relay
                (0xC0A8_0000, 16),  // 192.168/16
                (0xC612_0000, 15),  // 198.18/15 benchmarking
                (0xC633_6400, 24),  // TEST-NET-2
                (0xCB00_7100, 24),  // TEST-NET-3
                (0xE000_0000, 4),  // multicast
                (0xF000_0000, 4),  // reserved, broadcast
            ]
            return !blocked.contains { prefix, bits in value >> UInt32(32 - bits) == prefix >> UInt32(32 - bits) }
        case .v6(let b):
            if b[0..<12].allSatisfy({ $0 == 0 }) { return false }  // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d
            if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xFF && b[11] == 0xFF {  // ::ffff:a.b.c.d
                return IPAddress.v4(UInt32(b[12]) << 24 | UInt32(b[13]) << 16 | UInt32(b[14]) << 8 | UInt32(b[15])).isPublic
            }
            if b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B {  // 64:ff9b::/96 NAT64
                return IPAddress.v4(UInt32(b[12]) << 24 | UInt32(b[13]) << 16 | UInt32(b[14]) << 8 | UInt32(b[15])).isPublic
            }
            if b[0] & 0xFE == 0xFC { return false }  // fc00::/7 unique local (incl. fd00:ec2::254)
            if b[0] == 0xFE && b[1] & 0xC0 == 0x80 { return false }  // fe80::/10 link-local
            if b[0] == 0xFE && b[1] & 0xC0 == 0xC0 { return false }  // fec0::/10 site-local
            if b[0] == 0xFF { return false }  // multicast
            if b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8 { return false }  // documentation
            if b[0] == 0x20 && b[1] == 0x02 {  // 6to4: check the embedded IPv4
                return IPAddress.v4(UInt32(b[2]) << 24 | UInt32(b[3]) << 16 | UInt32(b[4]) << 8 | UInt32(b[5])).isPublic
            }
            return true
        }
    }

    static func parseV4(_ text: Substring) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let octet = UInt32(part), octet <= 255 else { return nil }
            value = value << 8 | octet
        }
        return value
    }

    static func parseV6(_ text: String) -> [UInt8]? {
        var text = Substring(text)
        if let percent = text.firstIndex(of: "%") { text = text[..<percent] }  // zone id
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt8]? {
            guard !part.isEmpty else { return [] }
            var bytes: [UInt8] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, piece.contains("."), let v4 = parseV4(piece) {
                    bytes += [UInt8(v4 >> 24), UInt8((v4 >> 16) & 0xFF), UInt8((v4 >> 8) & 0xFF), UInt8(v4 & 0xFF)]
                    continue
                }
                guard (1...4).contains(piece.count), let group = UInt16(piece, radix: 16) else { return nil }
                bytes += [UInt8(group >> 8), UInt8(group & 0xFF)]
            }
            return bytes
        }
        guard let head = groups(halves[0]) else { return nil }
        if halves.count == 1 { return head.count == 16 ? head : nil }
        guard let tail = groups(halves[1]), head.count + tail.count < 16 else { return nil }
        return head + Array(repeating: 0, count: 16 - head.count - tail.count) + tail
    }
}
