import Foundation
import Logging
import MagpieCore
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO

/// The embedded metadata store: one SQLite file in WAL mode, one serialized writer connection and a
/// few reader connections. Object keys are BLOBs so that SQLite compares them as raw bytes — the
/// UTF-8 binary order S3 lists in — and prefixes are byte ranges, never `LIKE`.
public final class SQLiteMetadataStore: MetadataStore {
    let writerConnection: SQLiteConnection
    let readerConnections: [SQLiteConnection]
    let writer: any SQLDatabase
    let readers: [any SQLDatabase]
    let writeLock = SerialLock()
    let logger: Logger

    init(writer: SQLiteConnection, readers: [SQLiteConnection], logger: Logger) {
        self.writerConnection = writer
        self.readerConnections = readers
        self.writer = writer.sql()
        self.readers = readers.map { $0.sql() }
        self.logger = logger
    }

    /// Opens (creating if needed) the database at `path` and applies migrations.
    public static func open(path: String, readerCount: Int = 2, logger: Logger) async throws -> SQLiteMetadataStore {
        let threadPool = NIOThreadPool.singleton
        let eventLoop = MultiThreadedEventLoopGroup.singleton.any()
        func connect() async throws -> SQLiteConnection {
            let connection = try await SQLiteConnection.open(storage: .file(path: path), threadPool: threadPool, logger: logger, on: eventLoop).get()
            // busy_timeout: readers may briefly meet a checkpoint; never fail on contention.
            _ = try await connection.query("PRAGMA busy_timeout = 10000")
            return connection
        }
        let writer = try await connect()
        // WAL: readers never block the writer. synchronous=FULL: a commit is on disk before we answer.
        _ = try await writer.query("PRAGMA journal_mode = WAL")
        _ = try await writer.query("PRAGMA synchronous = FULL")
        let store = SQLiteMetadataStore(writer: writer, readers: [], logger: logger)
        try await store.migrate()
        var readers: [SQLiteConnection] = []
        for _ in 0..<max(1, readerCount) { readers.append(try await connect()) }
        return SQLiteMetadataStore(writer: writer, readers: readers, logger: logger)
    }

    public func close() async {
        for connection in readerConnections + [writerConnection] {
            try? await connection.close().get()
        }
    }

    /// A reader connection, round-robin by a cheap hash of the current task.
    var reader: any SQLDatabase {
        readers.isEmpty ? writer : readers[Int.random(in: 0..<readers.count)]
    }

    /// Runs `body` as one IMMEDIATE transaction on the single writer connection.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await writeLock.withLock { [writer] in
            try await writer.raw("BEGIN IMMEDIATE").run()
            do {
                let value = try await body(writer)
                try await writer.raw("COMMIT").run()
                return value
            } catch {
                try? await writer.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    static let migrations: [String] = [
        """
        CREATE TABLE users (canonical_id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, email TEXT,
            is_root INTEGER NOT NULL, created_at INTEGER NOT NULL);
        CREATE TABLE access_keys (access_key TEXT PRIMARY KEY, secret_key TEXT NOT NULL,
            user_id TEXT NOT NULL REFERENCES users(canonical_id) ON DELETE CASCADE, created_at INTEGER NOT NULL);
        CREATE TABLE buckets (name TEXT PRIMARY KEY, owner_id TEXT NOT NULL, region TEXT NOT NULL, created_at INTEGER NOT NULL);
        CREATE TABLE objects (bucket TEXT NOT NULL, key BLOB NOT NULL, version_id TEXT NOT NULL,
            is_latest INTEGER NOT NULL, is_delete_marker INTEGER NOT NULL, size INTEGER NOT NULL, etag TEXT NOT NULL,
            last_modified INTEGER NOT NULL, headers TEXT NOT NULL, blob_id TEXT NOT NULL, checksum_algorithm TEXT,
            checksum_value TEXT, integrity_crc32c INTEGER NOT NULL, storage_class TEXT NOT NULL, owner_id TEXT NOT NULL,
            PRIMARY KEY (bucket, key, version_id));
        CREATE INDEX objects_latest ON objects (bucket, is_latest, key);
        CREATE INDEX objects_blob ON objects (blob_id);
        """,
        """
        ALTER TABLE objects ADD COLUMN part_sizes TEXT;
        CREATE TABLE uploads (upload_id TEXT PRIMARY KEY, bucket TEXT NOT NULL, key BLOB NOT NULL, initiated INTEGER NOT NULL,
            owner_id TEXT NOT NULL, headers TEXT NOT NULL, checksum_algorithm TEXT, checksum_type TEXT, storage_class TEXT NOT NULL);
        CREATE INDEX uploads_listing ON uploads (bucket, key, initiated, upload_id);
        CREATE TABLE parts (upload_id TEXT NOT NULL REFERENCES uploads(upload_id) ON DELETE CASCADE, part_number INTEGER NOT NULL,
            size INTEGER NOT NULL, etag TEXT NOT NULL, blob_id TEXT NOT NULL, checksum_value TEXT, crc32c INTEGER NOT NULL,
            last_modified INTEGER NOT NULL, PRIMARY KEY (upload_id, part_number));
        CREATE INDEX parts_blob ON parts (blob_id);
        """,
        """
        ALTER TABLE buckets ADD COLUMN versioning TEXT;
        ALTER TABLE objects ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
        UPDATE objects SET seq = rowid;
        CREATE INDEX objects_versions ON objects (bucket, key, seq);
        """,
        """
        ALTER TABLE objects ADD COLUMN tags TEXT;
        ALTER TABLE objects ADD COLUMN part_checksums TEXT;
        ALTER TABLE uploads ADD COLUMN tags TEXT;
        ALTER TABLE buckets ADD COLUMN tags TEXT;
        """,
        """
        ALTER TABLE buckets ADD COLUMN object_lock TEXT;
        ALTER TABLE objects ADD COLUMN retention TEXT;
        ALTER TABLE objects ADD COLUMN legal_hold INTEGER NOT NULL DEFAULT 0;
        """,
        // v6-jobs: the media job queue, per-bucket processing rules, webhook deliveries.
        """
        CREATE TABLE jobs (id TEXT PRIMARY KEY, owner_id TEXT NOT NULL, work_class TEXT NOT NULL, spec TEXT NOT NULL,
            status TEXT NOT NULL, progress INTEGER NOT NULL, attempts INTEGER NOT NULL, error_code TEXT, error_message TEXT,
            result TEXT, rule_id TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, started_at INTEGER,
            finished_at INTEGER, run_after INTEGER NOT NULL, lease_owner TEXT, lease_expires INTEGER,
            cancel_requested INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX jobs_claim ON jobs (status, work_class, run_after, created_at);
        CREATE INDEX jobs_owner ON jobs (owner_id, created_at);
        CREATE TABLE job_rules (bucket TEXT PRIMARY KEY, rules TEXT NOT NULL, updated_at INTEGER NOT NULL);
        CREATE TABLE webhook_deliveries (id TEXT PRIMARY KEY, job_id TEXT NOT NULL, url TEXT NOT NULL, body TEXT NOT NULL,
            attempts INTEGER NOT NULL, next_at INTEGER NOT NULL, status TEXT NOT NULL, last_error TEXT);
        CREATE INDEX webhook_due ON webhook_deliveries (status, next_at);
        """,
        // Access control: bucket policy, CORS, Block Public Access, Object Ownership and ACLs (bucket, object, upload).
        """
        ALTER TABLE buckets ADD COLUMN policy TEXT;
        ALTER TABLE buckets ADD COLUMN cors TEXT;
        ALTER TABLE buckets ADD COLUMN public_access_block TEXT;
        ALTER TABLE buckets ADD COLUMN object_ownership TEXT;
        ALTER TABLE buckets ADD COLUMN acl TEXT;
        ALTER TABLE objects ADD COLUMN acl TEXT;
        ALTER TABLE uploads ADD COLUMN acl TEXT;
        """,
        // Lifecycle and storage tiers: the tier holding each blob, restores of archived versions
        // (state as JSON, the next time the restore worker acts, the restored copy's blob), bucket
        // lifecycle configurations and the scanner's resumable cursor.
        """
        ALTER TABLE objects ADD COLUMN tier TEXT NOT NULL DEFAULT 'standard';
        ALTER TABLE objects ADD COLUMN restore TEXT;
        ALTER TABLE objects ADD COLUMN restore_due INTEGER;
        ALTER TABLE objects ADD COLUMN restored_blob_id TEXT;
        CREATE INDEX objects_restore_due ON objects (restore_due) WHERE restore_due IS NOT NULL;
        CREATE INDEX objects_restored_blob ON objects (restored_blob_id) WHERE restored_blob_id IS NOT NULL;
        ALTER TABLE buckets ADD COLUMN lifecycle TEXT;
        CREATE TABLE lifecycle_progress (name TEXT PRIMARY KEY, value TEXT NOT NULL);
        """,
        // Encryption at rest: how each version, upload and part is encrypted (JSON, with the wrapped
        // data keys), bucket default encryption, and the local KMS keyring (key material wrapped by
        // the master key).
        """
        ALTER TABLE objects ADD COLUMN encryption TEXT;
        ALTER TABLE uploads ADD COLUMN encryption TEXT;
        ALTER TABLE parts ADD COLUMN sealing TEXT;
        ALTER TABLE buckets ADD COLUMN encryption TEXT;
        CREATE TABLE kms_keys (name TEXT PRIMARY KEY, material TEXT NOT NULL, created_at INTEGER NOT NULL,
            enabled INTEGER NOT NULL DEFAULT 1);
        """,
    ]

    func migrate() async throws {
        let rows = try await writer.raw("PRAGMA user_version").all()
        let version = try rows.first?.decode(column: "user_version", as: Int.self) ?? 0
        guard version < Self.migrations.count else { return }
        for (index, script) in Self.migrations.enumerated().dropFirst(version) {
            let statements = script.split(separator: ";").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            try await transaction { db in
                for statement in statements { try await db.raw(SQLQueryString(statement)).run() }
                try await db.raw("PRAGMA user_version = \(unsafeRaw: String(index + 1))").run()
            }
            logger.info("metadata schema migrated", metadata: ["version": "\(index + 1)"])
        }
    }
}
