import MagpieCore

/// One version of a key as lifecycle rules see it.
public struct LifecycleVersion: Sendable, Equatable {
    public var versionId: String
    public var isLatest: Bool
    public var isDeleteMarker: Bool
    public var size: Int64
    /// Creation time, ms since the epoch.
    public var lastModified: Int64
    public var tags: TagSet
    public var storageClass: StorageClass
    /// Retention in force or a legal hold: never deleted by lifecycle.
    public var locked: Bool

    public init(
        versionId: String, isLatest: Bool, isDeleteMarker: Bool = false, size: Int64 = 0, lastModified: Int64, tags: TagSet = TagSet(),
        storageClass: StorageClass = .standard, locked: Bool = false
    ) {
        self.versionId = versionId
        self.isLatest = isLatest
        self.isDeleteMarker = isDeleteMarker
        self.size = size
        self.lastModified = lastModified
        self.tags = tags
        self.storageClass = storageClass
        self.locked = locked
    }
}

/// What the scanner does to one version; `ruleId` names the rule that asked for it.
public enum LifecycleAction: Sendable, Equatable {
    /// The current version expires: removed in an unversioned bucket, hidden by a delete marker in a versioned one.
    case expireCurrent(versionId: String, ruleId: String)
    /// A version moves to a colder class (bytes to that class's tier).
    case transition(versionId: String, to: StorageClass, ruleId: String)
    /// A noncurrent version, or an expired object delete marker, is removed for good.
    case removeVersion(versionId: String, ruleId: String)
}

extension LifecycleRule {
    /// Whether the rule applies to an object with this key, tags and size.
    public func matches(key: String, tags: TagSet, size: Int64, isDeleteMarker: Bool = false) -> Bool {
        guard enabled, key.utf8.starts(with: prefix.utf8) else { return false }
        guard let filter else { return true }
        let wanted = filter.tags
        if isDeleteMarker { return wanted.isEmpty && filter.sizeGreaterThan == nil && filter.sizeLessThan == nil }
        for tag in wanted where !tags.tags.contains(tag) { return false }
        if let greater = filter.sizeGreaterThan, size <= greater { return false }
        if let less = filter.sizeLessThan, size >= less { return false }
        return true
    }

    /// Whether a transition to `target` applies to an object of `size` under `setting` (a filter
    /// naming ObjectSizeGreaterThan overrides the 128 KB default).
    func transitionAllowed(size: Int64, to target: StorageClass, setting: TransitionMinimumSize) -> Bool {
        if filter?.sizeGreaterThan != nil { return true }
        return size >= setting.minimumSize(for: target)
    }
}

extension LifecycleConfiguration {
    /// When the current version `version` of `key` will expire, and by which rule (the earliest wins):
    /// the `x-amz-expiration` header. Delete markers carry none.
    public func expiration(key: String, version: LifecycleVersion, clock: LifecycleClock) -> (due: Int64, ruleId: String)? {
        guard !version.isDeleteMarker else { return nil }
        var best: (due: Int64, ruleId: String)?
        for rule in rules where rule.matches(key: key, tags: version.tags, size: version.size) {
            let due: Int64
            switch rule.expiration {
            case .days(let days): due = clock.due(after: version.lastModified, days: days)
            case .date(let date): due = date * 1000
            default: continue
            }
            if best.map({ due < $0.due }) ?? true { best = (due, rule.id) }
        }
        return best
    }

    /// The rule aborting an upload of `key` initiated at `initiated` (ms), if one is due by `now`.
    public func abortRule(key: String, initiated: Int64, now: Int64, clock: LifecycleClock) -> String? {
        rules.first { rule in
            guard let days = rule.abortIncompleteUploadDays, rule.enabled, key.utf8.starts(with: rule.prefix.utf8) else { return false }
            return clock.due(after: initiated, days: days) <= now
        }?.id
    }

    /// The actions due by `now` for the versions of one key (newest first), in a bucket whose
    /// versioning is `versioning` (nil: never versioned). Locked versions are never removed.
    public func actions(key: String, versions: [LifecycleVersion], versioning: String?, now: Int64, clock: LifecycleClock) -> [LifecycleAction] {
        guard let current = versions.first else { return [] }
        var actions: [LifecycleAction] = []
        if current.isLatest {
            if current.isDeleteMarker {
                if versions.count == 1, let rule = expiredMarkerRule(key: key, marker: current, now: now, clock: clock) {
                    actions.append(.removeVersion(versionId: current.versionId, ruleId: rule))
                }
            } else if let action = currentAction(key: key, current, versioning: versioning, now: now, clock: clock) {
                actions.append(action)
            }
        }
        var newerNoncurrent = 0
        for index in versions.indices.dropFirst() {
            let version = versions[index]
            // A version became noncurrent when the next newer one was written.
            let since = versions[index - 1].lastModified
            if let action = noncurrentAction(key: key, version, since: since, newer: newerNoncurrent, now: now, clock: clock) {
                actions.append(action)
            }
            if !version.isDeleteMarker { newerNoncurrent += 1 }
        }
        return actions
    }

    func currentAction(key: String, _ current: LifecycleVersion, versioning: String?, now: Int64, clock: LifecycleClock) -> LifecycleAction? {
        if let (due, ruleId) = expiration(key: key, version: current, clock: clock), due <= now {
            // Unversioned and suspended buckets remove the null version: a locked one stays.
            let removes = versioning != "Enabled" && current.versionId == "null"
            if !(removes && current.locked) { return .expireCurrent(versionId: current.versionId, ruleId: ruleId) }
        }
        var target: (StorageClass, String)?
        for rule in rules where rule.matches(key: key, tags: current.tags, size: current.size) {
            for transition in rule.transitions where transition.storageClass.coldness > current.storageClass.coldness {
                let due = transition.date.map { $0 * 1000 } ?? clock.due(after: current.lastModified, days: transition.days ?? 0)
                guard due <= now, rule.transitionAllowed(size: current.size, to: transition.storageClass, setting: minimumObjectSize) else {
                    continue
                }
                if target.map({ transition.storageClass.coldness > $0.0.coldness }) ?? true { target = (transition.storageClass, rule.id) }
            }
        }
        return target.map { .transition(versionId: current.versionId, to: $0.0, ruleId: $0.1) }
    }

    func expiredMarkerRule(key: String, marker: LifecycleVersion, now: Int64, clock: LifecycleClock) -> String? {
        for rule in rules where rule.matches(key: key, tags: TagSet(), size: 0, isDeleteMarker: true) {
            switch rule.expiration {
            case .expiredObjectDeleteMarker(true): return rule.id
            case .days(let days) where clock.due(after: marker.lastModified, days: days) <= now: return rule.id
            case .date(let date) where date * 1000 <= now: return rule.id
            default: break
            }
            if let noncurrent = rule.noncurrentExpiration, clock.due(after: marker.lastModified, days: noncurrent.days) <= now { return rule.id }
        }
        return nil
    }

    /// `newer`: how many noncurrent (non-marker) versions are newer than this one.
    func noncurrentAction(key: String, _ version: LifecycleVersion, since: Int64, newer: Int, now: Int64, clock: LifecycleClock) -> LifecycleAction? {
        let matching = rules.filter { $0.matches(key: key, tags: version.tags, size: version.size, isDeleteMarker: version.isDeleteMarker) }
        for rule in matching {
            guard let expiration = rule.noncurrentExpiration, !version.locked else { continue }
            let kept = version.isDeleteMarker ? 0 : expiration.newerVersions ?? 0
            if newer >= kept, clock.due(after: since, days: expiration.days) <= now {
                return .removeVersion(versionId: version.versionId, ruleId: rule.id)
            }
        }
        guard !version.isDeleteMarker else { return nil }
        var target: (StorageClass, String)?
        for rule in matching {
            for transition in rule.noncurrentTransitions where transition.storageClass.coldness > version.storageClass.coldness {
                guard newer >= transition.newerVersions ?? 0, clock.due(after: since, days: transition.days) <= now,
                    rule.transitionAllowed(size: version.size, to: transition.storageClass, setting: minimumObjectSize)
                else { continue }
                if target.map({ transition.storageClass.coldness > $0.0.coldness }) ?? true { target = (transition.storageClass, rule.id) }
            }
        }
        return target.map { .transition(versionId: version.versionId, to: $0.0, ruleId: $0.1) }
    }
}
