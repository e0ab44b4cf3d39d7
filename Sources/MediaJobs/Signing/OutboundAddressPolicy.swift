/// The one place that decides whether Magpie may connect to an address on a client's behalf
/// (webhooks today; any outbound fetch later). Private, loopback, link-local, unique-local,
/// carrier-grade NAT, multicast, reserved and cloud metadata addresses are refused unless the
/// operator explicitly allows private targets.
public enum OutboundAddressPolicy {
    /// `address` is an IPv4 (4 bytes) or IPv6 (16 bytes) address.
    public static func isAllowed(_ address: [UInt8], allowPrivate: Bool) -> Bool {
        if allowPrivate { return !isUnspecified(address) }
        return isPublic(address)
    }

    static func isUnspecified(_ a: [UInt8]) -> Bool { a.allSatisfy { $0 == 0 } }

    public static func isPublic(_ a: [UInt8]) -> Bool {
        if a.count == 4 { return isPublicV4(a) }
        guard a.count == 16 else { return false }
        // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible forms are judged as IPv4.
        if a[0..<10].allSatisfy({ $0 == 0 }) && a[10] == 0xFF && a[11] == 0xFF { return isPublicV4(Array(a[12..<16])) }
        if a[0..<12].allSatisfy({ $0 == 0 }) { return false }  // ::, ::1, deprecated compatible
        if a[0] == 0xFC || a[0] == 0xFD { return false }  // fc00::/7 unique local
        if a[0] == 0xFE && (a[1] & 0xC0) == 0x80 { return false }  // fe80::/10 link-local
        if a[0] == 0xFE && (a[1] & 0xC0) == 0xC0 { return false }  // fec0::/10 site-local
        if a[0] == 0xFF { return false }  // multicast
        if a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0D && a[3] == 0xB8 { return false }  // documentation
        if a[0] == 0x00 && a[1] == 0x64 && a[2] == 0xFF && a[3] == 0x9B { return isPublicV4(Array(a[12..<16])) }  // NAT64
        if a[0] == 0x20 && a[1] == 0x02 { return isPublicV4(Array(a[2..<6])) }  // 6to4 embeds an IPv4
        return true
    }

    static func isPublicV4(_ a: [UInt8]) -> Bool {
        switch (a[0], a[1]) {
        case (0, _), (10, _), (127, _): return false
        case (100, 64...127): return false  // carrier-grade NAT
        case (169, 254): return false  // link-local, including 169.254.169.254 (cloud metadata)
        case (172, 16...31): return false
        case (192, 168): return false
        case (192, 0) where a[2] == 0 || a[2] == 2: return false  // IETF, TEST-NET-1
        case (198, 18...19): return false  // benchmarking
        case (198, 51) where a[2] == 100: return false
        case (203, 0) where a[2] == 113: return false
        case (224...255, _): return false  // multicast, reserved, broadcast
        default: return true
        }
    }
}
