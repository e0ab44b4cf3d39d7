import MagpieCore
import Testing

@testable import ObjectService

@Suite struct TierLayoutTests {
    @Test func defaultsPutEveryClassInItsOwnTierUnderTheDataDirectory() throws {
        let layout = TierLayout.defaults(dataDirectory: "/data")
        try layout.validate()
        #expect(layout.tier(for: .standard) == "standard" && layout.paths["standard"] == "/data")
        #expect(layout.tier(for: .deepArchive) == "deep-archive" && layout.paths["deep-archive"] == "/data/tiers/deep-archive")
        #expect(layout.tier(for: .glacierIR) == "glacier-ir")
        #expect(Set(layout.paths.keys).count == StorageClass.all.count)
    }

    @Test func flagsAddTiersAndPointClassesAtThem() throws {
        var layout = TierLayout.defaults(dataDirectory: "/data")
        try layout.addTier("cold=/mnt/hdd")
        try layout.mapClass("GLACIER=cold")
        try layout.mapClass("deep_archive=cold")
        try layout.addTier("standard=/mnt/ssd")
        try layout.validate()
        #expect(layout.tier(for: .glacier) == "cold" && layout.tier(for: .deepArchive) == "cold")
        #expect(layout.paths["cold"] == "/mnt/hdd" && layout.paths["standard"] == "/mnt/ssd")
    }

    @Test(arguments: ["cold", "Cold=/x", "=/x", "a b=/x", "cold="])
    func badTierSpecsAreRefused(_ spec: String) {
        var layout = TierLayout.defaults(dataDirectory: "/data")
        #expect(throws: TierLayoutError.self) { try layout.addTier(spec) }
    }

    @Test func classesMustNameKnownClassesAndConfiguredTiers() throws {
        var layout = TierLayout.defaults(dataDirectory: "/data")
        #expect(throws: TierLayoutError.self) { try layout.mapClass("FROZEN=standard") }
        try layout.mapClass("GLACIER=nowhere")
        #expect(throws: TierLayoutError.self) { try layout.validate() }
    }

    @Test func pricesFollowTheSeedTable() {
        #expect(StoragePricing.monthlyCost(bytes: 1_000_000_000_000_000, storageClass: .standard) == 23_000)
        #expect(abs(StoragePricing.monthlyCost(bytes: 600_000_000_000_000, storageClass: .glacier) - 2160) < 1e-6)
        #expect(abs(StoragePricing.monthlyCost(bytes: 300_000_000_000_000, storageClass: .standardIA) - 3750) < 1e-6)
    }
}
