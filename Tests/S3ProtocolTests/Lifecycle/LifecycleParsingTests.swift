import MagpieCore
import Testing

@testable import S3Protocol

/// Lifecycle documents: what S3 accepts, what it refuses and with which error.
@Suite struct LifecycleParsingTests {
    static func parse(_ rules: String, minimum: TransitionMinimumSize = .allStorageClasses128K) throws -> LifecycleConfiguration {
        let xml = #"<LifecycleConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">"# + rules + "</LifecycleConfiguration>"
        var counter = 0
        return try LifecycleConfiguration.parse(try XMLNode.parse(Array(xml.utf8)), minimumObjectSize: minimum) {
            counter += 1
            return "generated-\(counter)"
        }
    }

    /// The seed's example: archive logs/ after 30 days (IA, then GLACIER at 90), delete temp/ after 7.
    static let seedExample = """
        <Rule><ID>Archive old logs</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status>
        <Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition>
        <Transition><Days>90</Days><StorageClass>GLACIER</StorageClass></Transition><Expiration><Days>365</Days></Expiration></Rule>
        <Rule><ID>Delete temp files</ID><Filter><Prefix>temp/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>7</Days></Expiration></Rule>
        <Rule><ID>Cleanup incomplete uploads</ID><Filter></Filter><Status>Enabled</Status>
        <AbortIncompleteMultipartUpload><DaysAfterInitiation>7</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule>
        <Rule><ID>Expire old versions</ID><Filter/><Status>Enabled</Status><NoncurrentVersionExpiration><NoncurrentDays>30</NoncurrentDays></NoncurrentVersionExpiration></Rule>
        """

    @Test func seedExampleParses() throws {
        let configuration = try Self.parse(Self.seedExample)
        #expect(configuration.rules.count == 4)
        let logs = configuration.rules[0]
        #expect(logs.id == "Archive old logs" && logs.enabled && logs.filter == .prefix("logs/"))
        #expect(
            logs.transitions == [LifecycleTransition(days: 30, storageClass: .standardIA), LifecycleTransition(days: 90, storageClass: .glacier)])
        #expect(logs.expiration == .days(365))
        #expect(configuration.rules[1].expiration == .days(7))
        #expect(configuration.rules[2].filter == .all && configuration.rules[2].abortIncompleteUploadDays == 7)
        #expect(configuration.rules[3].noncurrentExpiration == NoncurrentExpiration(days: 30))
    }

    static let accepted: [(String, LifecycleRule)] = [
        (
            "<Rule><Prefix>old/</Prefix><Status>Disabled</Status><Expiration><Date>2030-10-10T00:00:00.000Z</Date></Expiration></Rule>",
            LifecycleRule(id: "generated-1", enabled: false, legacyPrefix: "old/", expiration: .date(1_917_820_800))
        ),
        (
            "<Rule><ID>t</ID><Filter><Tag><Key>k</Key><Value></Value></Tag></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>",
            LifecycleRule(id: "t", filter: .tag(TagSet.Tag(key: "k", value: "")), expiration: .days(1))
        ),
        (
            "<Rule><ID>s</ID><Filter><ObjectSizeGreaterThan>100</ObjectSizeGreaterThan></Filter><Status>Enabled</Status><Transition><Days>0</Days><StorageClass>GLACIER</StorageClass></Transition></Rule>",
            LifecycleRule(id: "s", filter: .objectSizeGreaterThan(100), transitions: [LifecycleTransition(days: 0, storageClass: .glacier)])
        ),
        (
            "<Rule><ID>a</ID><Filter><And><Prefix>p/</Prefix><Tag><Key>a</Key><Value>1</Value></Tag><ObjectSizeLessThan>10</ObjectSizeLessThan></And></Filter><Status>Enabled</Status><Expiration><Days>3</Days></Expiration></Rule>",
            LifecycleRule(
                id: "a", filter: .and(LifecycleAnd(prefix: "p/", tags: [TagSet.Tag(key: "a", value: "1")], objectSizeLessThan: 10)),
                expiration: .days(3)
            )
        ),
        (
            "<Rule><ID>n</ID><Filter><Prefix></Prefix></Filter><Status>Enabled</Status><NoncurrentVersionTransition><NoncurrentDays>1</NoncurrentDays><StorageClass>DEEP_ARCHIVE</StorageClass><NewerNoncurrentVersions>2</NewerNoncurrentVersions></NoncurrentVersionTransition><NoncurrentVersionExpiration><NoncurrentDays>5</NoncurrentDays><NewerNoncurrentVersions>3</NewerNoncurrentVersions></NoncurrentVersionExpiration></Rule>",
            LifecycleRule(
                id: "n", filter: .prefix(""), noncurrentExpiration: NoncurrentExpiration(days: 5, newerVersions: 3),
                noncurrentTransitions: [NoncurrentTransition(days: 1, newerVersions: 2, storageClass: .deepArchive)]
            )
        ),
        (
            "<Rule><ID>m</ID><Filter><Prefix>x</Prefix></Filter><Status>Enabled</Status><Expiration><ExpiredObjectDeleteMarker>false</ExpiredObjectDeleteMarker></Expiration></Rule>",
            LifecycleRule(id: "m", filter: .prefix("x"), expiration: .expiredObjectDeleteMarker(false))
        ),
        (
            "<Rule><ID>d</ID><Filter/><Status>Enabled</Status><Expiration><Date>2030-10-10T00:00:00</Date></Expiration></Rule>",
            LifecycleRule(id: "d", filter: .all, expiration: .date(1_917_820_800))
        ),
    ]

    @Test(arguments: accepted)
    func accepts(_ xml: String, _ expected: LifecycleRule) throws {
        let configuration = try Self.parse(xml)
        #expect(configuration.rules == [expected])
    }

    /// What GET returns parses back to the same configuration.
    @Test func roundTrips() throws {
        for xml in [Self.seedExample] + Self.accepted.map(\.0) {
            let configuration = try Self.parse(xml)
            let written = configuration.xml().output
            let reparsed = try LifecycleConfiguration.parse(try XMLNode.parse(Array(written.utf8)))
            #expect(reparsed == configuration, "\(written)")
        }
    }

    static let rule = "<Filter><Prefix>doc/</Prefix></Filter><Status>Enabled</Status>"

    static let refused: [(String, MagpieError.Code, String)] = [
        ("", .invalidRequest, "At least one lifecycle rule"),
        ("<Rule><ID>x</ID><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>", .malformedXML, ""),
        ("<Rule><ID>x</ID>\(rule)</Rule>", .invalidRequest, "At least one action"),
        ("<Rule><ID>x</ID><Filter/><Status>enabled</Status><Expiration><Days>1</Days></Expiration></Rule>", .malformedXML, ""),
        ("<Rule><ID>x</ID><Filter/><Expiration><Days>1</Days></Expiration></Rule>", .malformedXML, ""),
        ("<Rule><ID>x</ID>\(rule)<Expiration><Days>0</Days></Expiration></Rule>", .invalidArgument, "must be a positive integer"),
        ("<Rule><ID>x</ID>\(rule)<Expiration><Days>-1</Days></Expiration></Rule>", .invalidArgument, "positive integer"),
        ("<Rule><ID>x</ID>\(rule)<Expiration><Days>ten</Days></Expiration></Rule>", .malformedXML, ""),
        ("<Rule><ID>x</ID>\(rule)<Expiration><Days>-9223372036854775808</Days></Expiration></Rule>", .malformedXML, ""),
        ("<Rule><ID>x</ID>\(rule)<Expiration><Days>99999999999</Days></Expiration></Rule>", .malformedXML, ""),
        (
            "<Rule><ID>x</ID>\(rule)<Transition><Days>2147483647</Days><StorageClass>GLACIER</StorageClass></Transition>"
                + "<Expiration><Days>2147483647</Days></Expiration></Rule>", .invalidArgument, "must be greater than"
        ),
        ("<Rule><ID>x</ID>\(rule)<Expiration></Expiration></Rule>", .malformedXML, ""),
        (
            "<Rule><ID>x</ID>\(rule)<Expiration><Days>1</Days><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration></Rule>",
            .malformedXML, ""
        ),
        ("<Rule><ID>x</ID>\(rule)<Expiration><Date>2030-10-10T01:00:00Z</Date></Expiration></Rule>", .invalidArgument, "midnight GMT"),
        ("<Rule><ID>x</ID>\(rule)<Expiration><Date>2030-10-10T00:00:00.0001Z</Date></Expiration></Rule>", .invalidArgument, "midnight GMT"),
        ("<Rule><ID>x</ID>\(rule)<Expiration><Date>tomorrow</Date></Expiration></Rule>", .malformedXML, ""),
        ("<Rule><ID>\(String(repeating: "a", count: 256))</ID>\(rule)<Expiration><Days>1</Days></Expiration></Rule>", .invalidArgument, "255"),
        (
            "<Rule><ID>x</ID>\(rule)<Expiration><Days>1</Days></Expiration></Rule><Rule><ID>x</ID>\(rule)<Expiration><Days>2</Days></Expiration></Rule>",
            .invalidArgument, "Rule ID must be unique"
        ),
        ("<Rule><ID>x</ID>\(rule)<Unknown/><Expiration><Days>1</Days></Expiration></Rule>", .malformedXML, ""),
        (
            "<Rule><ID>x</ID><Prefix>a</Prefix><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule><Rule><ID>y</ID><Filter/><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>",
            .invalidRequest, "Filter element can only be used in Lifecycle V2"
        ),
        (
            "<Rule><ID>x</ID><Filter/><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule><Rule><ID>y</ID><Prefix>a</Prefix><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>",
            .invalidRequest, "Base level prefix cannot be used in Lifecycle V2"
        ),
        (
            "<Rule><ID>x</ID><Prefix></Prefix><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule><Rule><ID>y</ID><Prefix>a</Prefix><Status>Enabled</Status><Expiration><Days>2</Days></Expiration></Rule>",
            .invalidRequest, "overlapping prefixes '' and 'a' for same action type 'Expiration'"
        ),
        (
            "<Rule><ID>x</ID><Filter><Prefix>a</Prefix><ObjectSizeLessThan>5</ObjectSizeLessThan></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>",
            .malformedXML, ""
        ),
        (
            "<Rule><ID>x</ID><Filter><And><ObjectSizeLessThan>15</ObjectSizeLessThan></And></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>",
            .malformedXML, ""
        ),
        (
            "<Rule><ID>x</ID><Filter><And><Prefix>d/</Prefix><ObjectSizeLessThan>15</ObjectSizeLessThan><ObjectSizeGreaterThan>25</ObjectSizeGreaterThan></And></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>",
            .invalidRequest, "has to be a value greater than"
        ),
        (
            "<Rule><ID>x</ID><Filter><ObjectSizeGreaterThan>-1</ObjectSizeGreaterThan></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>",
            .invalidRequest, "ObjectSizeGreaterThan"
        ),
        (
            "<Rule><ID>x</ID><Filter><And><Tag><Key>k</Key><Value>1</Value></Tag><Tag><Key>k</Key><Value>2</Value></Tag></And></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>",
            .invalidRequest, "Duplicate Tag Keys"
        ),
        (
            "<Rule><ID>x</ID><Filter><Tag><Key>k</Key><Value>1</Value></Tag></Filter><Status>Enabled</Status><Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration></Rule>",
            .invalidRequest, "ExpiredObjectDeleteMarker cannot be specified with Tags."
        ),
        (
            "<Rule><ID>x</ID><Filter><ObjectSizeGreaterThan>9</ObjectSizeGreaterThan></Filter><Status>Enabled</Status><AbortIncompleteMultipartUpload><DaysAfterInitiation>2</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule>",
            .invalidRequest, "AbortIncompleteMultipartUpload cannot be specified with Object Size."
        ),
        ("<Rule><ID>x</ID>\(rule)<AbortIncompleteMultipartUpload></AbortIncompleteMultipartUpload></Rule>", .malformedXML, ""),
        (
            "<Rule><ID>x</ID>\(rule)<AbortIncompleteMultipartUpload><DaysAfterInitiation>0</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule>",
            .invalidArgument, "DaysAfterInitiation"
        ),
        (
            "<Rule><ID>x</ID>\(rule)<Transition><Days>20</Days><StorageClass>STANDARD_IA</StorageClass></Transition></Rule>",
            .invalidArgument, "'Days' in Transition action must be greater than or equal to 30 for storageClass 'STANDARD_IA'"
        ),
        ("<Rule><ID>x</ID>\(rule)<Transition><StorageClass>GLACIER</StorageClass></Transition></Rule>", .malformedXML, ""),
        ("<Rule><ID>x</ID>\(rule)<Transition><Days>1</Days><StorageClass>STANDARD</StorageClass></Transition></Rule>", .malformedXML, ""),
        ("<Rule><ID>x</ID>\(rule)<Transition><Days>1</Days><StorageClass>EXPRESS_ONEZONE</StorageClass></Transition></Rule>", .malformedXML, ""),
        (
            "<Rule><ID>x</ID>\(rule)<Transition><Days>32</Days><Date>2030-10-10T00:00:00Z</Date><StorageClass>GLACIER</StorageClass></Transition></Rule>",
            .malformedXML, ""
        ),
        (
            "<Rule><ID>x</ID>\(rule)<Expiration><Days>10</Days></Expiration><Transition><Date>2030-10-10T00:00:00Z</Date><StorageClass>GLACIER</StorageClass></Transition></Rule>",
            .invalidRequest, "Found mixed 'Date' and 'Days'"
        ),
        (
            "<Rule><ID>x</ID>\(rule)<Expiration><Days>11</Days></Expiration><Transition><Days>50</Days><StorageClass>STANDARD_IA</StorageClass></Transition></Rule>",
            .invalidArgument, "'Days' in the Expiration action for filter '(prefix=doc/)' must be greater than"
        ),
        (
            "<Rule><ID>x</ID>\(rule)<Transition><Days>1</Days><StorageClass>GLACIER</StorageClass></Transition><Transition><Days>2</Days><StorageClass>GLACIER</StorageClass></Transition></Rule>",
            .invalidRequest, "'StorageClass' must be different"
        ),
        (
            "<Rule><ID>x</ID>\(rule)<Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition><Transition><Days>40</Days><StorageClass>GLACIER</StorageClass></Transition></Rule>",
            .invalidArgument, "must be 30 days more than"
        ),
        (
            "<Rule><ID>x</ID>\(rule)<Transition><Days>5</Days><StorageClass>DEEP_ARCHIVE</StorageClass></Transition><Transition><Days>9</Days><StorageClass>GLACIER</StorageClass></Transition></Rule>",
            .invalidArgument, "StorageClass 'DEEP_ARCHIVE' for filter '(prefix=doc/)' must be greater than"
        ),
        (
            "<Rule><ID>x</ID>\(rule)<NoncurrentVersionExpiration><NewerNoncurrentVersions>1</NewerNoncurrentVersions></NoncurrentVersionExpiration></Rule>",
            .malformedXML, ""
        ),
        (
            "<Rule><ID>x</ID>\(rule)<NoncurrentVersionExpiration><NoncurrentDays>0</NoncurrentDays></NoncurrentVersionExpiration></Rule>",
            .invalidArgument, "positive integer"
        ),
        (
            "<Rule><ID>x</ID>\(rule)<NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays><NewerNoncurrentVersions>0</NewerNoncurrentVersions></NoncurrentVersionExpiration></Rule>",
            .invalidArgument, "positive integer"
        ),
        (
            "<Rule><ID>x</ID><Prefix>a</Prefix><Status>Enabled</Status><NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays><NewerNoncurrentVersions>1</NewerNoncurrentVersions></NoncurrentVersionExpiration></Rule>",
            .invalidRequest, "only be used in Lifecycle V2"
        ),
        (
            "<Rule><ID>x</ID>\(rule)<NoncurrentVersionTransition><NoncurrentDays>29</NoncurrentDays><StorageClass>STANDARD_IA</StorageClass></NoncurrentVersionTransition></Rule>",
            .invalidArgument, "greater than or equal to 30"
        ),
        (
            "<Rule><ID>x</ID>\(rule)<NoncurrentVersionTransition><NoncurrentDays>9</NoncurrentDays><StorageClass></StorageClass></NoncurrentVersionTransition></Rule>",
            .malformedXML, ""
        ),
        (
            "<Rule><ID>x</ID>\(rule)<NoncurrentVersionExpiration><NoncurrentDays>90</NoncurrentDays></NoncurrentVersionExpiration><NoncurrentVersionTransition><NoncurrentDays>100</NoncurrentDays><StorageClass>GLACIER</StorageClass></NoncurrentVersionTransition></Rule>",
            .invalidArgument, "must be greater than"
        ),
        ("<Rule><ID>x</ID>\(rule)<Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>", .malformedXML, ""),
    ]

    @Test(arguments: refused)
    func refuses(_ xml: String, _ code: MagpieError.Code, _ message: String) {
        do {
            _ = try Self.parse(xml)
            Issue.record("accepted: \(xml)")
        } catch let error as MagpieError {
            #expect(error.code == code, "\(xml)")
            #expect(message.isEmpty || error.message.contains(message), "\(error.message)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func otherRootsAndDocumentsAreMalformed() {
        for xml in ["<Tagging/>", "<LifecycleConfiguration><Foo/></LifecycleConfiguration>", "not xml"] {
            #expect(throws: MagpieError.self) { try LifecycleConfiguration.parse(try XMLNode.parse(Array(xml.utf8))) }
        }
    }

    @Test func atMostAThousandRules() throws {
        let one = { (i: Int) in
            "<Rule><ID>r\(i)</ID><Filter><Prefix>p\(i)/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>"
        }
        #expect(try Self.parse((0..<1000).map(one).joined()).rules.count == 1000)
        #expect(throws: MagpieError.self) { try Self.parse((0..<1001).map(one).joined()) }
    }

    @Test func rulesWithoutIdGetUniqueGeneratedOnes() throws {
        let configuration = try Self.parse(
            "<Rule><Filter><Prefix>a</Prefix></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>"
                + "<Rule><ID></ID><Filter><Prefix>b</Prefix></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>"
        )
        #expect(configuration.rules.map(\.id) == ["generated-1", "generated-2"])
        #expect(!LifecycleConfiguration.generatedId().isEmpty)
    }
}
