import Crypto
import MagpieCore

/// `Magpie-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` — the receiver
/// recomputes it with its secret and rejects old timestamps (replay).
public enum WebhookSignature {
    public static let header = "Magpie-Signature"

    public static func sign(body: [UInt8], secret: String, timestamp: Int64) -> String {
        "t=\(timestamp),v1=\(hmacHex(body: body, secret: secret, timestamp: timestamp))"
    }

    static func hmacHex(body: [UInt8], secret: String, timestamp: Int64) -> String {
        var message = Array("\(timestamp).".utf8)
        message += body
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Array(secret.utf8)))
        return Hex.encode(Array(mac))
    }

    /// True when `header` carries a v1 signature of `body` made with `secret` within `tolerance` seconds of `now`.
    public static func verify(header: String, body: [UInt8], secret: String, now: Int64, tolerance: Int64 = 300) -> Bool {
        var timestamp: Int64?
        var signatures: [String] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmedSpaces() }
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int64(pair[1]) } else if pair[0] == "v1" { signatures.append(pair[1]) }
        }
        guard let timestamp, abs(now - timestamp) <= tolerance else { return false }
        let expected = Array(hmacHex(body: body, secret: secret, timestamp: timestamp).utf8)
        return signatures.contains { ConstantTime.equals(Array($0.utf8), expected) }
    }

    /// The per-destination secret: derived from the server's job key and the webhook URL, so each
    /// receiver has its own and the server keeps no table of them.
    public static func secret(serverKey: [UInt8], url: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("webhook:\(url)".utf8), using: SymmetricKey(data: serverKey))
        return "whsec_" + Hex.encode(Array(mac))
    }
}
