import Crypto
import Encryption
import Foundation
import Testing

@Suite struct ChunkedSealingTests {
    let sealing = ChunkedSealing(key: SymmetricKey(size: .bits256), noncePrefix: [1, 2, 3, 4], chunkSize: 16)

    func sealAll(_ plaintext: [UInt8]) throws -> [UInt8] {
        var out: [UInt8] = []
        let chunks = max(1, (plaintext.count + 15) / 16)
        for index in 0..<chunks {
            let slice = plaintext[min(plaintext.count, index * 16)..<min(plaintext.count, (index + 1) * 16)]
            out += try sealing.seal(chunk: Array(slice), index: UInt64(index), isLast: index == chunks - 1)
        }
        return out
    }

    func openRange(_ sealed: [UInt8], _ range: ClosedRange<Int64>, size: Int64) throws -> [UInt8] {
        let plan = SealedRange(range: range, plaintextSize: size, chunkSize: 16)
        let stored = Array(sealed[Int(plan.storedOffset)..<Int(plan.storedOffset + plan.storedLength)])
        let lastIndex = max(0, (size + 15) / 16 - 1)
        var plain: [UInt8] = []
        var offset = 0
        for index in plan.chunks {
            let length = min(32, stored.count - offset)
            plain += try sealing.open(chunk: stored[offset..<(offset + length)], index: UInt64(index), isLast: index == lastIndex)
            offset += length
        }
        return Array(plain.dropFirst(plan.skip).prefix(Int(plan.length)))
    }

    @Test(arguments: [0, 1, 15, 16, 17, 31, 32, 33, 100])
    func roundTripAndSizes(size: Int) throws {
        let plaintext = (0..<size).map { UInt8($0 & 0xFF) }
        let sealed = try sealAll(plaintext)
        #expect(Int64(sealed.count) == sealing.sealedSize(plaintextSize: Int64(size)))
        #expect(sealing.plaintextSize(sealedSize: Int64(sealed.count)) == Int64(size))
        #expect(!sealed.isEmpty)
        if size > 0 {
            #expect(try openRange(sealed, 0...Int64(size - 1), size: Int64(size)) == plaintext)
        }
    }

    @Test func everyRangeOfASmallObject() throws {
        let plaintext = (0..<53).map { UInt8(($0 * 7) & 0xFF) }
        let sealed = try sealAll(plaintext)
        for start in 0..<53 {
            for end in start..<53 {
                #expect(try openRange(sealed, Int64(start)...Int64(end), size: 53) == Array(plaintext[start...end]))
            }
        }
    }

    @Test func tamperingReorderingAndTruncationAreDetected() throws {
        let plaintext = [UInt8](repeating: 7, count: 40)
        var sealed = try sealAll(plaintext)
        let first = Array(sealed[0..<32]), second = Array(sealed[32..<64])
        #expect(throws: SealingError.authenticationFailed) { try sealing.open(chunk: second, index: 0, isLast: false) }
        #expect(throws: SealingError.authenticationFailed) { try sealing.open(chunk: second, index: 1, isLast: true) }
        #expect(throws: SealingError.authenticationFailed) { try sealing.open(chunk: first, index: 0, isLast: true) }
        sealed[3] ^= 1
        #expect(throws: SealingError.authenticationFailed) { try sealing.open(chunk: sealed[0..<32], index: 0, isLast: false) }
        let other = ChunkedSealing(key: SymmetricKey(size: .bits256), noncePrefix: [1, 2, 3, 4], chunkSize: 16)
        #expect(throws: SealingError.authenticationFailed) { try other.open(chunk: second, index: 1, isLast: false) }
    }

    @Test func ciphertextIsNotThePlaintext() throws {
        let plaintext = Array("the quick brown fox jumps over the lazy dog".utf8)
        let sealed = try sealAll(plaintext)
        #expect(!String(decoding: sealed, as: UTF8.self).contains("quick brown"))
    }
}

@Suite struct KeyWrappingTests {
    @Test func wrapUnwrapAndWrongKeyOrId() throws {
        let dek = KeyWrapping.newDataKey(), kek = SymmetricKey(size: .bits256)
        let wrapped = try KeyWrapping.wrap(dek, with: kek, keyId: "master-1")
        #expect(wrapped.count == 60)
        let back = try KeyWrapping.unwrap(wrapped, with: kek, keyId: "master-1")
        #expect(back.withUnsafeBytes { Array($0) } == dek.withUnsafeBytes { Array($0) })
        #expect(throws: SealingError.authenticationFailed) { try KeyWrapping.unwrap(wrapped, with: kek, keyId: "other") }
        #expect(throws: SealingError.authenticationFailed) {
            try KeyWrapping.unwrap(wrapped, with: SymmetricKey(size: .bits256), keyId: "master-1")
        }
        #expect(throws: SealingError.malformedWrappedKey) { try KeyWrapping.unwrap(Array(wrapped.dropLast()), with: kek, keyId: "master-1") }
    }

    @Test func customerKeyHeaders() {
        let key = [UInt8](repeating: 0xAB, count: 32)
        let md5 = Data(Insecure.MD5.hash(data: key)).base64EncodedString()
        #expect(KeyWrapping.customerKey(base64Key: Data(key).base64EncodedString(), base64MD5: md5) == key)
        #expect(KeyWrapping.customerKey(base64Key: Data(key.dropLast()).base64EncodedString(), base64MD5: md5) == nil)
        #expect(KeyWrapping.customerKey(base64Key: Data(key).base64EncodedString(), base64MD5: "AAAA") == nil)
        let secret = SymmetricKey(size: .bits256)
        #expect(KeyWrapping.customerKeyFingerprint(key, serverSecret: secret) == KeyWrapping.customerKeyFingerprint(key, serverSecret: secret))
    }
}
