import BlobStore
import CoreMetrics
import Logging
import MagpieCore
import MetadataStore
import S3Protocol

extension ObjectService {
    /// The tier `storageClass` writes to (the default tier when that tier is not configured here,
    /// as in single-store test setups; the server validates its layout at start-up).
    public func tier(for storageClass: String) -> String {
        let name = configuration.classTiers[StorageClass(storageClass)] ?? tiers.defaultTier
        return tiers.tiers[name] != nil ? name : tiers.defaultTier
    }

    /// The plaintext a GET serves: `storedBlob`, decrypted when the version is encrypted.
    func openBlob(_ record: ObjectRecord, customerKey: CustomerKey? = nil) async throws -> any BlobReader {
        let raw = try await storedBlob(record)
        do {
            return try await plaintextReader(raw, record: record, customerKey: customerKey)
        } catch {
            await raw.close()
            throw error
        }
    }

    /// The stored bytes of a version: its blob in its tier, or for an archived version its
    /// restored copy — `InvalidObjectState` while there is none.
    func storedBlob(_ record: ObjectRecord) async throws -> any BlobReader {
        if StorageClass(record.storageClass).isArchive {
            guard let restore = record.restore, let copy = restore.blobId else {
                throw MagpieError(
                    .invalidObjectState, "The operation is not valid for the object's storage class", details: [("StorageClass", record.storageClass)]
                )
            }
            return try await tiers.open(copy, inTier: restore.tier ?? tiers.defaultTier)
        }
        return try await tiers.open(record.blobId, inTier: record.tier)
    }

    /// Copies a version's blob into `tier` under a new id (temp file, fsync, rename), checking the
    /// bytes against the stored CRC32C on the way: a corrupt blob is never copied. An encrypted
    /// blob is copied as stored (its chunks' tags protect it; the size is checked here).
    func copyBlob(_ record: ObjectRecord, toTier tier: String) async throws -> String {
        let reader = try await tiers.open(record.blobId, inTier: record.tier)
        let writer: any BlobWriter
        do {
            writer = try await tiers.create(inTier: tier)
        } catch {
            await reader.close()
            throw error
        }
        do {
            // The stored CRC32C is of the plaintext: an encrypted blob is checked by size here and by
            // its chunks' tags when read.
            let plaintext = record.encryption == nil
            var crc = Digester(.crc32c)
            for try await chunk in reader.chunks(chunkSize: configuration.readChunkSize) {
                if plaintext { crc.update(chunk) }
                try await writer.write(chunk)
            }
            await reader.close()
            let intact = !plaintext || crc.finalize().reduce(UInt32(0)) { $0 << 8 | UInt32($1) } == record.integrityCRC32C
            guard intact, writer.bytesWritten == storedSize(record) else {
                checksumFailures.increment()
                logger.error(
                    "blob failed its integrity check while being copied between tiers",
                    metadata: ["bucket": "\(record.bucket)", "blob": "\(record.blobId)"])
                throw IntegrityFailure(bucket: record.bucket, blobId: record.blobId)
            }
            try await writer.commit()
            return writer.id
        } catch {
            await reader.close()
            await writer.abort()
            throw error
        }
    }

    /// Moves a version to `target`: its bytes go to that class's tier without changing ETag, version
    /// id, metadata or Last-Modified. Crash-safe: the copy is committed under a new blob id first, one
    /// transaction then switches blob, tier and class (only if the version is unchanged), and only
    /// then is the old blob removed — a crash leaves one of the two referenced, and start-up garbage
    /// collection removes the other. Returns false when the version changed meanwhile.
    @discardableResult
    public func transition(_ record: ObjectRecord, to target: StorageClass) async throws -> Bool {
        guard !record.isDeleteMarker else { return false }
        let targetTier = tier(for: target.rawValue)
        if targetTier == record.tier {
            return try await metadata.switchBlob(record, to: record.blobId, tier: record.tier, storageClass: target.rawValue)
        }
        let copy: String
        do {
            copy = try await copyBlob(record, toTier: targetTier)
        } catch is BlobNotFound {
            return false  // replaced or removed since it was read
        }
        let switched: Bool
        do {
            switched = try await metadata.switchBlob(record, to: copy, tier: targetTier, storageClass: target.rawValue)
        } catch {
            await blobs.delete(copy)
            throw error
        }
        guard switched else {
            await blobs.delete(copy)
            return false
        }
        await blobs.delete(record.blobId)
        return true
    }

    /// Start-up check: every tier a stored blob is recorded in must be configured.
    public func checkTiersInUse() async throws {
        let missing = try await metadata.tiersInUse().subtracting(tiers.tiers.keys)
        guard missing.isEmpty else {
            throw TierLayoutError(
                "stored objects are in tier(s) \(missing.sorted().joined(separator: ", ")), which are not configured (add --tier NAME=PATH)")
        }
    }
}
