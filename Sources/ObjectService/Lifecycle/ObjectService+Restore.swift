import BlobStore
import Logging
import MagpieCore
import MetadataStore
import S3Protocol

extension ObjectService {
    public enum RestoreOutcome: Sendable, Equatable {
        /// A restore was started (202 Accepted).
        case started
        /// The version was already restored; the copy's lifetime was renewed (200 OK).
        case renewed
    }

    /// RestoreObject: archived versions (GLACIER, DEEP_ARCHIVE) get a readable copy in the STANDARD
    /// tier that lives `request.days` lifecycle days after the restore completes. Instant unless the
    /// server is configured with a restore delay, which the restore worker then honours.
    public func restoreObject(_ bucket: BucketName, _ key: ObjectKey, versionId: String?, request: RestoreRequest, for principal: Principal)
        async throws -> RestoreOutcome
    {
        _ = try await existingBucket(bucket, for: principal)
        if let versionId { try Self.validateVersionId(versionId) }
        let now = Self.nowMillis()
        let delay = configuration.restoreSeconds * 1000
        let clock = clock
        let update = RestoreUpdate { record in
            guard StorageClass(record.storageClass).isArchive else {
                throw MagpieError(.invalidObjectState, "Restore is not allowed for the object's current storage class")
            }
            guard var restore = record.restore else { return RestoreState(requestedAt: now, readyAt: now + delay, days: request.days) }
            guard !restore.isOngoing else { throw MagpieError(.restoreAlreadyInProgress) }
            restore.days = request.days
            restore.expiresAt = clock.due(after: now, days: request.days)
            return restore
        }
        let (before, after) = try await metadata.updateRestore(bucket: bucket.rawValue, key: key.rawValue, versionId: versionId, update: update)
        if before.restore != nil { return .renewed }
        if delay == 0 { try await completeRestore(after) }
        return .started
    }

    /// Makes the restored copy of an ongoing restore: the archived bytes are copied (and checked)
    /// into the STANDARD class's tier, then the version records the copy and its expiry.
    public func completeRestore(_ record: ObjectRecord) async throws {
        guard let pending = record.restore, pending.isOngoing else { return }
        let tier = tier(for: StorageClass.standard.rawValue)
        let copy = try await copyBlob(record, toTier: tier)
        let completed = Self.nowMillis()
        let clock = clock
        let update = RestoreUpdate { current in
            // Only the restore that was copied completes (not one requested again after a delete, say).
            guard current.blobId == record.blobId, let restore = current.restore, restore.isOngoing, restore.requestedAt == pending.requestedAt else {
                throw MagpieError(.conditionalRequestConflict, "The version changed while it was being restored.")
            }
            return RestoreState(
                requestedAt: restore.requestedAt, readyAt: completed, days: restore.days, blobId: copy, tier: tier,
                expiresAt: clock.due(after: completed, days: restore.days)
            )
        }
        do {
            _ = try await metadata.updateRestore(bucket: record.bucket, key: record.key, versionId: record.versionId, update: update)
        } catch {
            await blobs.delete(copy)
            throw error
        }
    }

    /// Removes a restored copy whose lifetime is over; the version is archived-only again.
    public func expireRestore(_ record: ObjectRecord, now: Int64) async throws {
        guard let restore = record.restore, let copy = restore.blobId, let expiry = restore.expiresAt, expiry <= now else { return }
        let update = RestoreUpdate { current in
            guard let state = current.restore, state.blobId == copy, (state.expiresAt ?? .max) <= now else {
                throw MagpieError(.conditionalRequestConflict, "The restore was renewed meanwhile.")
            }
            return nil
        }
        _ = try await metadata.updateRestore(bucket: record.bucket, key: record.key, versionId: record.versionId, update: update)
        await blobs.delete(copy)
    }

    /// Completes due restores and removes expired copies, at most `limit`; returns how many were handled.
    public func processDueRestores(now: Int64, limit: Int = 100) async -> Int {
        guard let due = try? await metadata.restoresDue(by: now, limit: limit) else { return 0 }
        var handled = 0
        for record in due {
            do {
                if record.restore?.isOngoing == true { try await completeRestore(record) } else { try await expireRestore(record, now: now) }
                handled += 1
            } catch let error as MagpieError
                where error.code == .conditionalRequestConflict || error.code == .noSuchKey || error.code == .noSuchVersion
            {
                continue  // changed meanwhile: the next round sees it as it is now
            } catch {
                logger.error("restore step failed", metadata: ["bucket": "\(record.bucket)", "error": "\(error)"])
            }
        }
        return handled
    }
}
