import MagpieCore

/// The checks S3 makes across the elements of one rule, after each element was read on its own:
/// filter sanity, actions a filter kind excludes, and the order of transitions and expirations.
struct LifecycleRuleChecks {
    let rule: LifecycleRule

    /// Largest object size a filter may name (1,000 TiB, as S3).
    static let maxFilterSize: Int64 = 1_099_511_627_776_000

    func check() throws(MagpieError) {
        try checkFilter()
        let filter = rule.filter
        let hasTags = !(filter?.tags.isEmpty ?? true)
        let hasSize = filter?.sizeGreaterThan != nil || filter?.sizeLessThan != nil
        if case .expiredObjectDeleteMarker = rule.expiration {
            if hasTags { throw MagpieError(.invalidRequest, "ExpiredObjectDeleteMarker cannot be specified with Tags.") }
            if hasSize { throw MagpieError(.invalidRequest, "ExpiredObjectDeleteMarker cannot be specified with Object Size.") }
        }
        if rule.abortIncompleteUploadDays != nil {
            if hasTags { throw MagpieError(.invalidRequest, "AbortIncompleteMultipartUpload cannot be specified with Tags.") }
            if hasSize { throw MagpieError(.invalidRequest, "AbortIncompleteMultipartUpload cannot be specified with Object Size.") }
        }
        try checkTransitions()
        try checkNoncurrentTransitions()
    }

    func checkFilter() throws(MagpieError) {
        guard let filter = rule.filter else { return }
        var keys = Set<String>()
        for tag in filter.tags where !keys.insert(tag.key).inserted {
            throw MagpieError(.invalidRequest, "Duplicate Tag Keys are not allowed.")
        }
        if let greater = filter.sizeGreaterThan, !(0...Self.maxFilterSize).contains(greater) {
            throw MagpieError(.invalidRequest, "'ObjectSizeGreaterThan' should be between 0 and \(Self.maxFilterSize).")
        }
        if let less = filter.sizeLessThan, !(1...Self.maxFilterSize).contains(less) {
            throw MagpieError(.invalidRequest, "'ObjectSizeLessThan' should be between 1 and \(Self.maxFilterSize).")
        }
        if let greater = filter.sizeGreaterThan, let less = filter.sizeLessThan, less <= greater {
            throw MagpieError(.invalidRequest, "'ObjectSizeLessThan' has to be a value greater than 'ObjectSizeGreaterThan'.")
        }
    }

    /// `(prefix=logs/)`, `(objectsizegreaterthan=3000 and prefix=doc/)`: how S3 names a filter in messages.
    var filterDescription: String {
        var parts: [String] = []
        if let prefix = rule.legacyPrefix ?? rule.filter?.prefix { parts.append("prefix=\(prefix)") }
        for tag in rule.filter?.tags ?? [] { parts.append("tag=\(tag.key):\(tag.value)") }
        if let size = rule.filter?.sizeGreaterThan { parts.append("objectsizegreaterthan=\(size)") }
        if let size = rule.filter?.sizeLessThan { parts.append("objectsizelessthan=\(size)") }
        return "(" + parts.sorted().joined(separator: " and ") + ")"
    }

    func checkTransitions() throws(MagpieError) {
        var classes = Set<StorageClass>()
        for transition in rule.transitions where !classes.insert(transition.storageClass).inserted {
            throw MagpieError(.invalidRequest, "'StorageClass' must be different for 'Transition' actions in same 'Rule'")
        }
        var dated = rule.transitions.contains { $0.date != nil }
        var counted = rule.transitions.contains { $0.days != nil }
        switch rule.expiration {
        case .date: dated = true
        case .days: counted = true
        default: break
        }
        if dated && counted {
            throw MagpieError(.invalidRequest, "Found mixed 'Date' and 'Days' based Expiration and Transition actions in lifecycle rule")
        }
        let filter = filterDescription
        // Colder classes come later: each transition's time must exceed the warmer one's (by 30 days
        // after an infrequent-access class, whose minimum storage duration is 30 days).
        let ordered = rule.transitions.sorted { $0.storageClass < $1.storageClass }
        for (warmer, colder) in zip(ordered, ordered.dropFirst()) {
            let gap = warmer.storageClass.minimumTransitionDays > 0 ? 30 : 1
            let unit = "Days"
            if let a = warmer.days, let b = colder.days, b < a + gap {
                throw orderError(unit, colder.storageClass, warmer.storageClass, filter: filter, thirty: gap == 30)
            }
            if let a = warmer.date, let b = colder.date, b < a + Int64(gap) * 86_400 {
                throw orderError("Date", colder.storageClass, warmer.storageClass, filter: filter, thirty: gap == 30)
            }
        }
        for transition in rule.transitions {
            switch rule.expiration {
            case .days(let days) where transition.days.map({ days <= $0 }) ?? false:
                throw MagpieError(
                    .invalidArgument,
                    "'Days' in the Expiration action for filter '\(filter)' must be greater than 'Days' in the Transition action for StorageClass '\(transition.storageClass)' for filter '\(filter)'",
                    details: [("ArgumentName", "Days")])
            case .date(let date) where transition.date.map({ date <= $0 }) ?? false:
                throw MagpieError(
                    .invalidArgument,
                    "'Date' in the Expiration action for filter '\(filter)' must be greater than 'Date' in the Transition action for StorageClass '\(transition.storageClass)' for filter '\(filter)'",
                    details: [("ArgumentName", "Date")])
            default: break
            }
        }
    }

    func orderError(_ unit: String, _ colder: StorageClass, _ warmer: StorageClass, filter: String, thirty: Bool) -> MagpieError {
        let relation = thirty ? "must be 30 days more than" : "must be greater than"
        return MagpieError(
            .invalidArgument,
            "'\(unit)' in the Transition action for StorageClass '\(colder)' for filter '\(filter)' \(relation) '\(unit)' in the Transition action for StorageClass '\(warmer)' for filter '\(filter)'",
            details: [("ArgumentName", unit)])
    }

    func checkNoncurrentTransitions() throws(MagpieError) {
        var classes = Set<StorageClass>()
        for transition in rule.noncurrentTransitions where !classes.insert(transition.storageClass).inserted {
            throw MagpieError(.invalidRequest, "'StorageClass' must be different for 'NoncurrentVersionTransition' actions in same 'Rule'")
        }
        let filter = filterDescription
        let ordered = rule.noncurrentTransitions.sorted { $0.storageClass < $1.storageClass }
        for (warmer, colder) in zip(ordered, ordered.dropFirst()) {
            let gap = warmer.storageClass.minimumTransitionDays > 0 ? 30 : 1
            if colder.days < warmer.days + gap {
                let relation = gap == 30 ? "must be 30 days more than" : "must be greater than"
                throw MagpieError(
                    .invalidArgument,
                    "'NoncurrentDays' in the 'NoncurrentVersionTransition' action for StorageClass '\(colder.storageClass)' for filter '\(filter)' \(relation) 'NoncurrentDays' in the 'NoncurrentVersionTransition' action for StorageClass '\(warmer.storageClass)' for filter '\(filter)'",
                    details: [("ArgumentName", "NoncurrentDays")])
            }
        }
        if let expiration = rule.noncurrentExpiration, let latest = rule.noncurrentTransitions.max(by: { $0.days < $1.days }),
            expiration.days <= latest.days
        {
            throw MagpieError(
                .invalidArgument,
                "'NoncurrentDays' in the NoncurrentVersionExpiration action for filter '\(filter)' must be greater than 'NoncurrentDays' in the NoncurrentVersionTransition action for StorageClass '\(latest.storageClass)' for filter '\(filter)'",
                details: [("ArgumentName", "NoncurrentDays")])
        }
    }
}
