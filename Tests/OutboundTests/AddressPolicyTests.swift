import Outbound
import Testing

@Suite struct AddressPolicyTests {
    @Test(arguments: [
        "127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "0.0.0.0", "100.64.0.1",
        "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "fd00:ec2::254", "::ffff:127.0.0.1",
        "::ffff:10.0.0.1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::", "ff02::1", "::7f00:1", "::8.8.8.8", "192.88.99.1",
        "198.18.0.1", "100.127.255.254", "2001:db8::1", "fec0::1",
    ])
    func nonPublicAddressesAreRefused(text: String) throws {
        let address = try #require(IPAddress(text))
        #expect(!AddressPolicy().allows(address), "\(text) must be refused")
        #expect(AddressPolicy(allowPrivate: true).allows(address) == !address.isUnspecified)
    }

    @Test func theUnspecifiedAddressIsRefusedEvenWithPrivateTargetsAllowed() throws {
        for text in ["0.0.0.0", "::"] {
            #expect(!AddressPolicy(allowPrivate: true).allows(try #require(IPAddress(text))))
        }
        #expect(AddressPolicy(allowPrivate: true).allows(try #require(IPAddress("127.0.0.1"))))
    }

    @Test func resolvedBytesAreTheSameAddresses() {
        #expect(IPAddress(bytes: [169, 254, 169, 254]) == IPAddress("169.254.169.254"))
        #expect(IPAddress(bytes: Array(repeating: 0, count: 15) + [1]) == IPAddress("::1"))
        #expect(IPAddress(bytes: [1, 2, 3]) == nil)
    }

    @Test(arguments: ["8.8.8.8", "1.1.1.1", "172.32.0.1", "192.169.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
    func publicAddressesAreAllowed(text: String) throws {
        let address = try #require(IPAddress(text))
        #expect(AddressPolicy().allows(address))
    }

    @Test(arguments: ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.x", ":::", "1::2::3", "12345::1", "01.2.3.4444"])
    func malformedAddressesDoNotParse(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func refusalsHappenBeforeAnyConnection() async throws {
        let fetcher = SafeFetcher(allowedHosts: ["images.example.com", "*.cdn.example.org"])
        await #expect(throws: OutboundError.self) { _ = try await fetcher.get("ftp://images.example.com/a.jpg") }
        await #expect(throws: OutboundError.self) { _ = try await fetcher.get("http://other.example.com/a.jpg") }
        await #expect(throws: OutboundError.self) { _ = try await fetcher.get("http://user:pw@images.example.com/a.jpg") }
        let open = SafeFetcher()
        do {
            _ = try await open.get("http://127.0.0.1:1/x")
            Issue.record("loopback must be refused")
        } catch let error as OutboundError {
            #expect(error.reason == "remote-address-forbidden")
        }
        do {
            _ = try await open.get("http://localhost:1/x")
            Issue.record("a name resolving to loopback must be refused")
        } catch let error as OutboundError {
            #expect(error.reason == "remote-address-forbidden")
        }
        do {
            _ = try await open.get("http://[::1]:1/x")
            Issue.record("IPv6 loopback must be refused")
        } catch let error as OutboundError {
            #expect(error.reason == "remote-address-forbidden")
        }
    }
}
