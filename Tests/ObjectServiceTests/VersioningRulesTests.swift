import Testing

@testable import ObjectService

@Suite struct VersioningRulesTests {
    @Test func writesGetFreshIdsOnlyWhenEnabled() {
        #expect(VersioningRules.forWrite(state: nil) == .null)
        #expect(VersioningRules.forWrite(state: "Enabled") == .fresh)
        #expect(VersioningRules.forWrite(state: "Suspended") == .null)
    }

    @Test(arguments: [
        (String?.none, String?.none, VersioningRules.DeleteAction.removeObject),
        ("Enabled", nil, .addDeleteMarker(.fresh)),
        ("Suspended", nil, .addDeleteMarker(.null)),
        ("Enabled", "v1", .removeVersion("v1")),
        ("Suspended", "null", .removeVersion("null")),
        (nil, "null", .removeVersion("null")),
    ] as [(String?, String?, VersioningRules.DeleteAction)])
    func deletes(_ state: String?, _ versionId: String?, _ expected: VersioningRules.DeleteAction) {
        #expect(VersioningRules.forDelete(state: state, versionId: versionId) == expected)
    }
}
