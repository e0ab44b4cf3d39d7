import MagpieCore
import Testing

@Suite struct BytesTests {
    @Test func hexRoundTripsAndRefusesWhatIsNotHex() {
        let bytes: [UInt8] = [0x00, 0x0F, 0xA5, 0xFF, 0x10]
        #expect(Hex.encode(bytes) == "000fa5ff10")
        #expect(Hex.decode("000fa5ff10") == bytes)
        #expect(Hex.decode("000FA5FF10") == bytes)
        #expect(Hex.decode("") == [])
        for bad in ["0", "0g", "zz", "0x00", " 00", "00 "] { #expect(Hex.decode(bad) == nil, "\(bad)") }
        #expect(Hex.value(UInt8(ascii: "b")) == 11 && Hex.value(UInt8(ascii: "G")) == nil)
    }

    @Test func constantTimeComparison() {
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
        #expect(ConstantTime.equals("Bearer token", "Bearer token"))
        #expect(!ConstantTime.equals("Bearer token", "Bearer tokem"))
        #expect(ConstantTime.equals([UInt8](), [UInt8]()))
    }

    @Test func base64URLVectors() {
        // RFC 4648 §10 vectors, without padding, and the two URL-safe characters.
        let vectors = ["": "", "f": "Zg", "fo": "Zm8", "foo": "Zm9v", "foob": "Zm9vYg", "fooba": "Zm9vYmE", "foobar": "Zm9vYmFy"]
        for (plain, encoded) in vectors {
            #expect(Base64URL.encode(Array(plain.utf8)) == encoded)
            #expect(Base64URL.decode(encoded) == Array(plain.utf8))
        }
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
        #expect(Base64URL.decode("-_8") == [0xFB, 0xFF])
        #expect(Base64URL.decode("Zm8=") == Array("fo".utf8))  // padding tolerated
        for bad in ["Z", "Zm9vY", "Zm+v", "Zm/v", "Zm 9"] { #expect(Base64URL.decode(bad) == nil, "\(bad)") }
    }

    @Test func strictPercentDecoding() {
        #expect(PercentEncoding.decode("a%20b+c") == "a b+c")
        #expect(PercentEncoding.decode("a%20b+c", plusAsSpace: true) == "a b c")
        #expect(PercentEncoding.decode("caf%C3%A9") == "café")
        #expect(PercentEncoding.decode("plain") == "plain")
        for bad in ["%", "%4", "%zz", "a%2", "%C3"] { #expect(PercentEncoding.decode(bad) == nil, "\(bad)") }
    }
}
