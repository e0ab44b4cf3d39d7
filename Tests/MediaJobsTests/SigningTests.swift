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
}
