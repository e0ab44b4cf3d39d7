import MediaJobs
import Testing

@Suite struct SigningTests {
    @Test func webhookSignatureKnownAnswer() {
        let header = WebhookSignature.sign(body: Array(#"{"a":1}"#.utf8), secret: "whsec_test", timestamp: 1_700_000_000)
        #expect(header == "t=1700000000,v1=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789")
    }

    @Test func webhookVerificationChecksBodySecretAndAge() {
        let body = Array("{}".utf8)
        let header = WebhookSignature.sign(body: body, secret: "s", timestamp: 1000)
        #expect(WebhookSignature.verify(header: header, body: body, secret: "s", now: 1100))
        #expect(!WebhookSignature.verify(header: header, body: Array("{ }".utf8), secret: "s", now: 1100))
        #expect(!WebhookSignature.verify(header: header, body: body, secret: "t", now: 1100))
        #expect(!WebhookSignature.verify(header: header, body: body, secret: "s", now: 2000))
        #expect(!WebhookSignature.verify(header: "garbage", body: body, secret: "s", now: 1000))
    }

    @Test func webhookSecretsDifferPerDestination() {
        let key = Array(repeating: UInt8(7), count: 32)
        let a = WebhookSignature.secret(serverKey: key, url: "https://a.example/hook")
        #expect(a == WebhookSignature.secret(serverKey: key, url: "https://a.example/hook"))
        #expect(a != WebhookSignature.secret(serverKey: key, url: "https://b.example/hook"))
        #expect(a.hasPrefix("whsec_"))
    }

    @Test func playbackTokensRoundTripAndRefuseTampering() throws {
        let key = Array(repeating: UInt8(1), count: 32)
        let token = PlaybackToken(bucket: "videos", prefix: "clips/abc/", expires: 2000).encode(key: key)
        #expect(!token.contains("/") && !token.contains("+") && !token.contains("="))
        #expect(try PlaybackToken.decode(token, key: key, now: 1000) == PlaybackToken(bucket: "videos", prefix: "clips/abc/", expires: 2000))
        #expect(throws: PlaybackToken.Failure.expired) { try PlaybackToken.decode(token, key: key, now: 2001) }
        #expect(throws: PlaybackToken.Failure.badSignature) { try PlaybackToken.decode(token, key: Array(repeating: 2, count: 32), now: 1000) }
        let forged = PlaybackToken(bucket: "videos", prefix: "", expires: 2000).encode(key: Array(repeating: 9, count: 32))
        let spliced = String(forged.split(separator: ".")[0]) + "." + String(token.split(separator: ".")[1])
        #expect(throws: PlaybackToken.Failure.badSignature) { try PlaybackToken.decode(spliced, key: key, now: 1000) }
        #expect(throws: PlaybackToken.Failure.malformed) { try PlaybackToken.decode("nodot", key: key, now: 1000) }
    }

    @Test(
        arguments: [
            ([127, 0, 0, 1], false), ([10, 1, 2, 3], false), ([172, 16, 0, 1], false), ([172, 32, 0, 1], true), ([192, 168, 1, 1], false),
            ([169, 254, 169, 254], false), ([100, 64, 0, 1], false), ([0, 0, 0, 0], false), ([224, 0, 0, 1], false), ([8, 8, 8, 8], true),
            ([93, 184, 216, 34], true),
        ] as [([UInt8], Bool)])
    func ipv4Policy(address: [UInt8], allowed: Bool) {
        #expect(OutboundAddressPolicy.isAllowed(address, allowPrivate: false) == allowed)
    }

    @Test func ipv6Policy() {
        func v6(_ prefix: [UInt8], _ tail: [UInt8] = []) -> [UInt8] { prefix + Array(repeating: 0, count: 16 - prefix.count - tail.count) + tail }
        #expect(!OutboundAddressPolicy.isAllowed(v6([], [1]), allowPrivate: false))  // ::1
        #expect(!OutboundAddressPolicy.isAllowed(v6([0xFE, 0x80]), allowPrivate: false))
        #expect(!OutboundAddressPolicy.isAllowed(v6([0xFD, 0x00]), allowPrivate: false))
        #expect(!OutboundAddressPolicy.isAllowed(v6([], [0xFF, 0xFF, 127, 0, 0, 1]), allowPrivate: false))  // ::ffff:127.0.0.1
        #expect(OutboundAddressPolicy.isAllowed(v6([0x26, 0x06, 0x47, 0x00]), allowPrivate: false))
        #expect(OutboundAddressPolicy.isAllowed([127, 0, 0, 1], allowPrivate: true))
        #expect(!OutboundAddressPolicy.isAllowed([0, 0, 0, 0], allowPrivate: true))
    }
}
