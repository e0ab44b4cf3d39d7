import MagpieCore

extension LifecycleConfiguration {
    /// GetBucketLifecycleConfiguration's body, in the shape S3 returns.
    public func xml() -> XMLWriter {
        var xml = XMLWriter()
        xml.element("LifecycleConfiguration", namespace: XMLWriter.s3Namespace) { body in
            for rule in rules { rule.write(to: &body) }
        }
        return xml
    }
}

extension LifecycleRule {
    func write(to xml: inout XMLWriter) {
        xml.element("Rule") { rule in
            rule.element("ID", id)
            if let legacyPrefix { rule.element("Prefix", legacyPrefix) }
            if let filter { rule.element("Filter") { filter.write(to: &$0) } }
            rule.element("Status", enabled ? "Enabled" : "Disabled")
            for transition in transitions {
                rule.element("Transition") { element in
                    if let date = transition.date { element.element("Date", LifecycleDate.format(date)) }
                    if let days = transition.days { element.element("Days", String(days)) }
                    element.element("StorageClass", transition.storageClass.rawValue)
                }
            }
            if let expiration {
                rule.element("Expiration") { element in
                    switch expiration {
                    case .days(let days): element.element("Days", String(days))
                    case .date(let date): element.element("Date", LifecycleDate.format(date))
                    case .expiredObjectDeleteMarker(let on): element.element("ExpiredObjectDeleteMarker", on ? "true" : "false")
                    }
                }
            }
            for transition in noncurrentTransitions {
                rule.element("NoncurrentVersionTransition") { element in
                    element.element("NoncurrentDays", String(transition.days))
                    element.element("StorageClass", transition.storageClass.rawValue)
                    if let newer = transition.newerVersions { element.element("NewerNoncurrentVersions", String(newer)) }
                }
            }
            if let noncurrentExpiration {
                rule.element("NoncurrentVersionExpiration") { element in
                    element.element("NoncurrentDays", String(noncurrentExpiration.days))
                    if let newer = noncurrentExpiration.newerVersions { element.element("NewerNoncurrentVersions", String(newer)) }
                }
            }
            if let days = abortIncompleteUploadDays {
                rule.element("AbortIncompleteMultipartUpload") { $0.element("DaysAfterInitiation", String(days)) }
            }
        }
    }
}

extension LifecycleFilter {
    func write(to xml: inout XMLWriter) {
        switch self {
        case .all: break
        case .prefix(let prefix): xml.element("Prefix", prefix)
        case .tag(let tag): Self.write(tag, to: &xml)
        case .objectSizeGreaterThan(let size): xml.element("ObjectSizeGreaterThan", String(size))
        case .objectSizeLessThan(let size): xml.element("ObjectSizeLessThan", String(size))
        case .and(let and):
            xml.element("And") { element in
                if let prefix = and.prefix { element.element("Prefix", prefix) }
                for tag in and.tags { Self.write(tag, to: &element) }
                if let size = and.objectSizeGreaterThan { element.element("ObjectSizeGreaterThan", String(size)) }
                if let size = and.objectSizeLessThan { element.element("ObjectSizeLessThan", String(size)) }
            }
        }
    }

    static func write(_ tag: TagSet.Tag, to xml: inout XMLWriter) {
        xml.element("Tag") { element in
            element.element("Key", tag.key)
            element.element("Value", tag.value)
        }
    }
}
