package dev.gatehouse.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.core.audit.AuditChain;
import dev.gatehouse.core.audit.AuditLog;
import dev.gatehouse.core.audit.AuditQuery;
import dev.gatehouse.core.audit.AuditRecord;
import dev.gatehouse.core.audit.AuditTrail;
import dev.gatehouse.core.audit.ChainHead;
import dev.gatehouse.core.audit.StoredAuditRecord;
import dev.gatehouse.core.shared.IdGenerator;
import dev.gatehouse.core.shared.IdPrefix;
import dev.gatehouse.core.shared.Page;
import dev.gatehouse.core.shared.PageCursor;
import dev.gatehouse.core.shared.PageRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * The audit trail as one hash chain per environment (docs/DECISIONS.md D-A1, D-AW1, D-AU1). An append
 * inside the caller's transaction only inserts its record, unchained ({@code chain_seq},
 * {@code previous_hash} and {@code record_hash} null), committed or rolled back with it, so auditing
 * transactions never serialize on the chain head. An append outside a transaction joins a
 * group-committed batch (D-A2) that one writer thread chains as it inserts it, in a transaction of its
 * own that moves the head.
 *
 * <p>A chainer links unchained rows: it locks the environment's row in {@code audit_chain_heads}
 * ({@code select … for update}) in a short transaction of its own, gives the committed unchained rows
 * sequence numbers in insertion order, hashes each over the previous hash ({@link AuditChain}) and moves
 * the head. Because the head lock is taken by every chainer, several nodes on one database still form
 * one chain. Each instance runs one background chainer thread (started by the first append, woken after
 * every commit that wrote records, and sweeping every chain each {@link #SWEEP} for rows whose node
 * stopped before chaining them); reads that expose the chain ({@link #find}, {@link #chain} from the
 * start, {@link #chains}) chain on demand first, so `audit verify` and the audit APIs see every
 * committed record.
 */
public final class JdbiAuditTrail implements AuditTrail, AuditLog, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(JdbiAuditTrail.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH_MAX = 500;
    private static final int CHAIN_BATCH = 1000;
    /** How often the background chainer looks at every chain, not only those this node appended to. */
    static final Duration SWEEP = Duration.ofSeconds(1);
    /** The least time between two passes of the chainer, so that a busy node links records in batches. */
    static final Duration GAP = Duration.ofMillis(20);
    private static final String NO_ENVIRONMENT = "";
    private static final RowMapper<StoredAuditRecord> STORED = (rs, ctx) -> new StoredAuditRecord(
            rs.getString("record_id"),
            rs.getLong("chain_seq"),
            Optional.ofNullable(rs.getString("previous_hash")),
            Optional.ofNullable(rs.getString("record_hash")),
            new AuditRecord(
                    Timestamps.read(rs, "record_time"),
                    Optional.ofNullable(rs.getString("environment_id")),
                    Optional.ofNullable(rs.getString("organization_id")),
                    rs.getString("type"),
                    AuditRecord.Outcome.valueOf(rs.getString("outcome")),
                    Optional.ofNullable(rs.getString("actor")),
                    Optional.ofNullable(rs.getString("reason")),
                    Optional.ofNullable(rs.getString("remote_address")),
                    readAttributes(rs.getString("attributes")),
                    Optional.ofNullable(rs.getString("reason_code")),
                    Optional.ofNullable(rs.getString("target")),
                    Optional.ofNullable(rs.getString("before_state")),
                    Optional.ofNullable(rs.getString("after_state"))));

    private final JdbiTransactions tx;
    private final IdGenerator ids;
    private final AuditChain hashes;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    /** Chains this node wrote to since its chainer last linked them. */
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    private final Object signal = new Object();
    private Thread chainer;
    private Thread writer;
    private volatile boolean closed;

    /**
     * How long the writer waits for more records before committing a batch when appends keep coming (the
     * previous batch held more than one, or the next record was already waiting): a busy node then pays one
     * commit for several records. A lone append is written at once.
     */
    static final Duration LINGER = Duration.ofMillis(2);
    /** The chain heads as the writer's own last commits left them; touched by the writer thread only. */
    private final Map<String, ChainHead> writerHeads = new HashMap<>();

    private record Pending(AuditRecord record, CompletableFuture<Void> done) {}

    /** A record of the writer's batch with its place in the chain. */
    private record ChainedRow(String recordId, long sequence, String previousHash, String hash, AuditRecord record,
                              String attributesJson) {
        /** A row appended inside a caller's transaction: no place in the chain yet (the chainer links it). */
        static ChainedRow unchained(String recordId, AuditRecord record) {
            return new ChainedRow(recordId, 0, null, null, record, AuditChain.attributesJson(record.attributes()));
        }

        boolean isChained() {
            return hash != null;
        }
    }

    /** A row as read for chaining: its key and the record as stored. */
    private record Unchained(long key, StoredAuditRecord stored) {}

    public JdbiAuditTrail(JdbiTransactions tx, IdGenerator ids, AuditChain hashes) {
        this.tx = tx;
        this.ids = ids;
        this.hashes = hashes;
    }

    @Override
    public void append(AuditRecord record) {
        AuditRecord normalized = AuditChain.normalize(record);
        startChainer();
        if (tx.inTransaction()) {
            tx.withHandle(h -> {
                insert(h, List.of(normalized));
                h.afterCommit(() -> wake(List.of(normalized)));
                return null;
            });
            return;
        }
        try {
            enqueue(normalized).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** Outside a transaction: queued for the writer's next group commit, the caller not held (D-TP11). */
    @Override
    public CompletableFuture<Void> appendLater(AuditRecord record) {
        if (tx.inTransaction()) {
            return AuditTrail.super.appendLater(record);
        }
        AuditRecord normalized = AuditChain.normalize(record);
        startChainer();
        return enqueue(normalized).copy();
    }

    private CompletableFuture<Void> enqueue(AuditRecord normalized) {
        Pending mine = new Pending(normalized, new CompletableFuture<>());
        queue.add(mine);
        if (closed) {
            failQueued();
        }
        return mine.done();
    }

    /**
     * The group commit: one writer thread takes whatever is queued (up to {@link #BATCH_MAX}), writes it
     * in one transaction and completes each caller's future. Callers wait only on their own future, so
     * a burst of appends costs one commit and one wake-up per caller, not a hand-over of a lock.
     */
    private void writeLoop() {
        List<Pending> batch = new ArrayList<>();
        int previousSize = 0;
        while (true) {
            boolean busy;
            try {
                Pending first = queue.poll();
                busy = first != null || previousSize > 1;
                batch.add(first != null ? first : queue.take());
            } catch (InterruptedException e) {
                failQueued();
                return;
            }
            queue.drainTo(batch, BATCH_MAX - 1);
            if (busy && batch.size() < BATCH_MAX) {
                LockSupport.parkNanos(LINGER.toNanos());
                queue.drainTo(batch, BATCH_MAX - batch.size());
            }
            writeBatch(batch);
            previousSize = batch.size();
            batch.clear();
        }
    }

    private void failQueued() {
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(p -> p.done().completeExceptionally(new IllegalStateException("audit trail closed")));
    }

    /**
     * Writes the batch in one transaction, and once more if that fails (a dropped connection). Records
     * are normalized to fit their columns, so a failure is the database's, not one record's: then every
     * caller of the batch gets it.
     */
    private void writeBatch(List<Pending> batch) {
        List<AuditRecord> records = batch.stream().map(Pending::record).toList();
        RuntimeException failure;
        try {
            commit(records);
            batch.forEach(p -> p.done().complete(null));
            return;
        } catch (RuntimeException first) {
            failure = first;
            writerHeads.clear();
        }
        try {
            commit(records);
            batch.forEach(p -> p.done().complete(null));
        } catch (RuntimeException second) {
            writerHeads.clear();
            second.addSuppressed(failure);
            batch.forEach(p -> p.done().completeExceptionally(second));
        }
    }

    private void commit(List<AuditRecord> records) {
        tx.inTransaction(() -> tx.withHandle(h -> {
            insertChained(h, records);
            return null;
        }));
    }

    /**
     * The writer's batch, chained as it is inserted (D-AU1), chains in a fixed order (so that the writers
     * of two nodes never wait on each other's heads in a cycle). Where this writer knows the head from its
     * own last commit, one conditional update claims and moves it; otherwise, or when a chainer or
     * another node moved it meanwhile, the head is locked and read, the chain's committed unchained rows
     * (appended inside callers' transactions) are linked first, and the batch follows them. Either way
     * the batch's rows are inserted already chained, and the unique (environment, sequence) index makes a
     * fork impossible even if two writers computed the same place.
     */
    private void insertChained(Handle h, List<AuditRecord> records) {
        Map<String, List<AuditRecord>> byChain = new TreeMap<>();
        for (AuditRecord r : records) {
            byChain.computeIfAbsent(r.environmentId().orElse(NO_ENVIRONMENT), k -> new ArrayList<>()).add(r);
        }
        List<ChainedRow> rows = new ArrayList<>(records.size());
        for (Map.Entry<String, List<AuditRecord>> entry : byChain.entrySet()) {
            String chain = entry.getKey();
            List<ChainedRow> chained = claimKnownHead(h, chain, entry.getValue());
            if (chained == null) {
                chained = appendUnderLock(h, chain, entry.getValue());
            }
            ChainedRow last = chained.getLast();
            writerHeads.put(chain, new ChainHead(last.sequence(), Optional.of(last.hash())));
            rows.addAll(chained);
        }
        insertRows(h.getConnection(), rows);
    }

    /**
     * Inserts rows (the writer's chained ones, or a caller's unchained ones) with plain JDBC, as multi-row inserts of at most
     * {@link #ROWS_PER_INSERT} rows in power-of-two sizes (so that the database sees a few statements
     * it has prepared before): one statement per chunk rather than one execution per row (D-AU2).
     */
    private static void insertRows(Connection connection, List<ChainedRow> rows) {
        try {
            int from = 0;
            while (from < rows.size()) {
                int size = Math.min(ROWS_PER_INSERT, Integer.highestOneBit(rows.size() - from));
                try (PreparedStatement insert = connection.prepareStatement(insertOf(size))) {
                    int p = 1;
                    for (ChainedRow row : rows.subList(from, from + size)) {
                        AuditRecord r = row.record();
                        insert.setString(p++, row.recordId());
                        insert.setString(p++, r.environmentId().orElse(null));
                        insert.setString(p++, r.organizationId().orElse(null));
                        insert.setObject(p++, Timestamps.bind(r.time()));
                        insert.setString(p++, r.type());
                        insert.setString(p++, r.outcome().name());
                        insert.setString(p++, r.actor().orElse(null));
                        insert.setString(p++, r.reason().orElse(null));
                        insert.setString(p++, r.remoteAddress().orElse(null));
                        insert.setString(p++, row.attributesJson());
                        insert.setString(p++, r.target().orElse(null));
                        insert.setString(p++, r.reasonCode().orElse(null));
                        insert.setString(p++, r.before().orElse(null));
                        insert.setString(p++, r.after().orElse(null));
                        if (row.isChained()) {
                            insert.setLong(p++, row.sequence());
                        } else {
                            insert.setNull(p++, java.sql.Types.BIGINT);
                        }
                        insert.setString(p++, row.previousHash());
                        insert.setString(p++, row.hash());
                    }
                    insert.executeUpdate();
                }
                from += size;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("audit records could not be written: " + e.getMessage(), e);
        }
    }

    /** The most rows one insert statement carries. */
    static final int ROWS_PER_INSERT = 64;
    private static final String[] INSERTS_BY_ROWS = new String[ROWS_PER_INSERT + 1];

    private static String insertOf(int rows) {
        String sql = INSERTS_BY_ROWS[rows];
        if (sql == null) {
            StringBuilder b = new StringBuilder(INSERT).append(", chain_seq, previous_hash, record_hash) values ");
            for (int i = 0; i < rows; i++) {
                b.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            }
            sql = b.toString();
            INSERTS_BY_ROWS[rows] = sql;
        }
        return sql;
    }

    /** The records placed after the head this writer last left, or null when that head has moved since. */
    private List<ChainedRow> claimKnownHead(Handle h, String chain, List<AuditRecord> records) {
        ChainHead known = writerHeads.get(chain);
        if (known == null || dirty.contains(chain)) {
            return null;
        }
        List<ChainedRow> rows = chainAfter(known, records);
        ChainedRow last = rows.getLast();
        int moved;
        try (PreparedStatement update = h.getConnection().prepareStatement(
                "update audit_chain_heads set last_seq = ?, last_hash = ? where environment_id = ? and last_seq = ?")) {
            update.setLong(1, last.sequence());
            update.setString(2, last.hash());
            update.setString(3, chain);
            update.setLong(4, known.sequence());
            moved = update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("the audit chain head could not be moved: " + e.getMessage(), e);
        }
        return moved == 1 ? rows : null;
    }

    /** The records placed after the locked head and the chain's committed unchained rows, head moved. */
    private List<ChainedRow> appendUnderLock(Handle h, String chain, List<AuditRecord> records) {
        ChainHead head = lockHead(h, chain);
        Linked linked;
        do {
            linked = linkRows(h, chain, head);
            head = linked.head();
        } while (linked.count() == CHAIN_BATCH);
        List<ChainedRow> rows = chainAfter(head, records);
        ChainedRow last = rows.getLast();
        moveHead(h, chain, last.sequence(), last.hash());
        return rows;
    }

    private List<ChainedRow> chainAfter(ChainHead head, List<AuditRecord> records) {
        long sequence = head.sequence();
        String previous = head.hash().orElse(AuditChain.GENESIS);
        List<ChainedRow> rows = new ArrayList<>(records.size());
        for (AuditRecord r : records) {
            sequence++;
            String recordId = ids.next(IdPrefix.AUDIT_RECORD);
            String attributes = AuditChain.attributesJson(r.attributes());
            String hash = hashes.hash(recordId, sequence, previous, r, attributes);
            rows.add(new ChainedRow(recordId, sequence, previous, hash, r, attributes));
            previous = hash;
        }
        return rows;
    }

    private static final String INSERT = """
            insert into audit_records (record_id, environment_id, organization_id, record_time, type, outcome,
                actor, reason, remote_address, attributes, target, reason_code, before_state, after_state""";
    /** Inserts normalized records unchained (appends inside a caller's transaction). */
    private void insert(Handle h, List<AuditRecord> records) {
        insertRows(h.getConnection(), records.stream()
                .map(r -> ChainedRow.unchained(ids.next(IdPrefix.AUDIT_RECORD), r)).toList());
    }

    // ------------------------------------------------------------------ chaining

    /** Marks the records' chains for the chainer and wakes it. */
    private void wake(List<AuditRecord> records) {
        for (AuditRecord r : records) {
            dirty.add(r.environmentId().orElse(NO_ENVIRONMENT));
        }
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private void startChainer() {
        if (chainer != null) {
            return;
        }
        synchronized (signal) {
            if (chainer == null && !closed) {
                writer = Thread.ofPlatform().daemon().name("gatehouse-audit-writer").start(this::writeLoop);
                chainer = Thread.ofPlatform().daemon().name("gatehouse-audit-chainer").start(this::chainLoop);
            }
        }
    }

    private void chainLoop() {
        long nextSweep = System.nanoTime() + SWEEP.toNanos();
        long lastPass = System.nanoTime() - GAP.toNanos();
        while (true) {
            synchronized (signal) {
                while (!closed) {
                    long now = System.nanoTime();
                    long until = dirty.isEmpty() ? nextSweep : Math.min(nextSweep, lastPass + GAP.toNanos());
                    if (until - now <= 0) {
                        break;
                    }
                    try {
                        signal.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - now)));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
            }
            lastPass = System.nanoTime();
            try {
                if (lastPass - nextSweep >= 0) {
                    nextSweep = lastPass + SWEEP.toNanos();
                    dirty.clear();
                    chainAll();
                } else {
                    for (String chain : List.copyOf(dirty)) {
                        dirty.remove(chain);
                        chainPending(chain);
                    }
                }
            } catch (RuntimeException e) {
                // The rows stay unchained; the next sweep or read links them.
                LOG.log(System.Logger.Level.WARNING, "audit chaining failed; retrying on the next sweep: {0}", e.toString());
            }
        }
    }

    /** Links every chain's committed unchained rows. */
    void chainAll() {
        if (tx.inTransaction()) {
            return;
        }
        List<String> chains = tx.withHandle(h -> h.createQuery("select environment_id from audit_chain_heads")
                .mapTo(String.class).list());
        for (String chain : chains) {
            chainPending(chain);
        }
        // Chains whose first records are not linked yet have no head: look at each environment without
        // one (and at the records without an environment) through the (environment, sequence) index,
        // rather than scanning every record for unchained ones.
        List<String> headless = new ArrayList<>(tx.withHandle(h -> h.createQuery(
                        "select id from environments where id not in (select environment_id from audit_chain_heads)")
                .mapTo(String.class).list()));
        if (!chains.contains(NO_ENVIRONMENT)) {
            headless.add(NO_ENVIRONMENT);
        }
        for (String chain : headless) {
            chainPending(chain);
        }
    }

    /**
     * Links the committed unchained rows of one chain, in insertion order, under its head lock, in
     * transactions of at most {@link #CHAIN_BATCH} rows. Does nothing inside a caller's transaction,
     * which must not hold the head lock.
     */
    void chainPending(String chain) {
        if (tx.inTransaction()) {
            return;
        }
        // A cheap look first, without the lock: most reads find nothing to link.
        boolean any = tx.withHandle(h -> inChain(h.createQuery("select 1 from audit_records where " + scope(chain)
                        + " and chain_seq is null limit 1"), chain)
                .mapTo(Integer.class).findOne().isPresent());
        int linked = any ? CHAIN_BATCH : 0;
        while (linked == CHAIN_BATCH) {
            linked = tx.inTransaction(() -> tx.withHandle(h -> link(h, chain)));
        }
    }

    private static org.jdbi.v3.core.statement.Query inChain(org.jdbi.v3.core.statement.Query query, String chain) {
        return chain.equals(NO_ENVIRONMENT) ? query : query.bind("env", chain);
    }

    /** What linking left: how many rows it linked and the chain's head after them (not yet written). */
    private record Linked(int count, ChainHead head) {}

    private int link(Handle h, String chain) {
        Linked linked = linkRows(h, chain, lockHead(h, chain));
        if (linked.count() > 0) {
            moveHead(h, chain, linked.head().sequence(), linked.head().hash().orElseThrow());
        }
        return linked.count();
    }

    /**
     * Links up to {@link #CHAIN_BATCH} committed unchained rows of the chain after {@code head}, whose
     * lock the caller holds, in insertion order; the caller moves the head.
     */
    private Linked linkRows(Handle h, String chain, ChainHead head) {
        List<Unchained> rows = inChain(h.createQuery("select * from audit_records where " + scope(chain)
                        + " and chain_seq is null order by id limit :limit"), chain)
                .bind("limit", CHAIN_BATCH)
                .map((rs, ctx) -> new Unchained(rs.getLong("id"), STORED.map(rs, ctx)))
                .list();
        if (rows.isEmpty()) {
            return new Linked(0, head);
        }
        long sequence = head.sequence();
        String previous = head.hash().orElse(AuditChain.GENESIS);
        var update = h.prepareBatch("""
                update audit_records set chain_seq = :seq, previous_hash = :previous, record_hash = :hash
                where id = :key and chain_seq is null""");
        for (Unchained row : rows) {
            sequence++;
            // Hashed from the row as stored, exactly as `audit verify` will recompute it.
            String hash = hashes.hash(row.stored().id(), sequence, previous, AuditChain.normalize(row.stored().record()));
            update.bind("seq", sequence).bind("previous", previous).bind("hash", hash).bind("key", row.key()).add();
            previous = hash;
        }
        int[] counts = update.execute();
        for (int count : counts) {
            if (count != 1) {
                // Another chainer linked a row although we hold the head: roll back, never fork the chain.
                throw new IllegalStateException("audit row chained concurrently; chain " + chain + " left unchanged");
            }
        }
        return new Linked(rows.size(), new ChainHead(sequence, Optional.of(previous)));
    }

    private static void moveHead(Handle h, String chain, long sequence, String hash) {
        h.createUpdate("update audit_chain_heads set last_seq = :seq, last_hash = :hash where environment_id = :chain")
                .bind("seq", sequence).bind("hash", hash).bind("chain", chain).execute();
    }

    private static String scope(String chain) {
        return chain.equals(NO_ENVIRONMENT) ? "environment_id is null" : "environment_id = :env";
    }

    /** Stops the background chainer; rows still unchained are linked by the next reader or node. */
    @Override
    public void close() {
        Thread writing;
        Thread running;
        synchronized (signal) {
            closed = true;
            writing = writer;
            running = chainer;
            signal.notifyAll();
        }
        if (writing != null) {
            writing.interrupt(); // it fails what is still queued, then stops
            join(writing);
        }
        if (running != null) {
            join(running);
        }
        failQueued();
    }

    private static void join(Thread thread) {
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ChainHead lockHead(Handle h, String chain) {
        Optional<ChainHead> head = selectHead(h, chain, true);
        if (head.isPresent()) {
            return head.get();
        }
        // First record of this chain: create the head; a concurrent creator wins silently.
        h.createUpdate("insert into audit_chain_heads (environment_id, last_seq, last_hash) values (:chain, 0, null) "
                + "on conflict do nothing").bind("chain", chain).execute();
        return selectHead(h, chain, true).orElseThrow();
    }

    private static Optional<ChainHead> selectHead(Handle h, String chain, boolean lock) {
        return h.createQuery("select last_seq, last_hash from audit_chain_heads where environment_id = :chain"
                        + (lock ? " for update" : ""))
                .bind("chain", chain)
                .map((rs, ctx) -> new ChainHead(rs.getLong("last_seq"), Optional.ofNullable(rs.getString("last_hash"))))
                .findOne();
    }

    @Override
    public List<AuditRecord> recent(String environmentId, Optional<String> type, Instant since, int limit) {
        String sql = "select * from audit_records where environment_id = :env"
                + " and record_time >= :since" + (type.isPresent() ? " and type = :type" : "")
                + " order by id desc limit :limit";
        return tx.withHandle(h -> {
            var query = h.createQuery(sql).bind("env", environmentId).bind("since", Timestamps.bind(since))
                    .bind("limit", limit);
            type.ifPresent(t -> query.bind("type", t));
            return query.map(STORED).map(StoredAuditRecord::record).list();
        });
    }

    // ------------------------------------------------------------------ AuditLog

    @Override
    public Page<StoredAuditRecord> find(AuditQuery query, PageRequest page) {
        Map<String, Object> parameters = new HashMap<>();
        String filter = filter(query, parameters);
        Optional<PageCursor> cursor = page.cursor();
        chainPending(query.environmentId());
        // Newest first: "forward" pages go to lower sequence numbers.
        boolean backward = cursor.map(c -> c.direction() == PageCursor.Direction.BACKWARD).orElse(false);
        return tx.withHandle(h -> {
            String sql = "select * from audit_records where " + filter
                    + cursor.map(c -> backward ? " and chain_seq > :anchor" : " and chain_seq < :anchor").orElse("")
                    + (backward ? " order by chain_seq asc" : " order by chain_seq desc") + " limit :limit";
            var select = h.createQuery(sql).bindMap(parameters).bind("limit", page.size() + 1);
            cursor.ifPresent(c -> select.bind("anchor", anchor(c)));
            List<StoredAuditRecord> rows = new ArrayList<>(select.map(STORED).list());
            boolean more = rows.size() > page.size();
            if (more) {
                rows.removeLast();
            }
            if (backward) {
                Collections.reverse(rows);
            }
            Optional<PageCursor> next = Optional.empty();
            Optional<PageCursor> previous = Optional.empty();
            if (!rows.isEmpty()) {
                long newest = rows.getFirst().sequence();
                long oldest = rows.getLast().sequence();
                boolean hasOlder = backward ? exists(h, filter, parameters, "chain_seq < :anchor", oldest) : more;
                boolean hasNewer = backward ? more : cursor.isPresent() && exists(h, filter, parameters, "chain_seq > :anchor", newest);
                next = hasOlder ? Optional.of(PageCursor.after(Long.toString(oldest))) : Optional.empty();
                previous = hasNewer ? Optional.of(PageCursor.before(Long.toString(newest))) : Optional.empty();
            }
            long total = h.createQuery("select count(*) from audit_records where " + filter)
                    .bindMap(parameters).mapTo(Long.class).one();
            return new Page<>(rows, next, previous, total);
        });
    }

    private static long anchor(PageCursor cursor) {
        try {
            return Long.parseLong(cursor.anchorId());
        } catch (NumberFormatException e) {
            throw dev.gatehouse.core.shared.DomainException.InvalidArgument.of("page_token", "Invalid page token",
                    "page_token");
        }
    }

    private static boolean exists(Handle h, String filter, Map<String, Object> parameters, String condition, long anchor) {
        return h.createQuery("select 1 from audit_records where " + filter + " and " + condition + " limit 1")
                .bindMap(parameters).bind("anchor", anchor).mapTo(Integer.class).findOne().isPresent();
    }

    /** The SQL condition of a query, always scoped to its environment, with its parameters. */
    private static String filter(AuditQuery query, Map<String, Object> parameters) {
        StringBuilder sql = new StringBuilder("environment_id = :env and chain_seq is not null");
        parameters.put("env", query.environmentId());
        query.organizationId().ifPresent(org -> {
            sql.append(" and organization_id = :org");
            parameters.put("org", org);
        });
        query.type().ifPresent(type -> {
            if (type.endsWith("*")) {
                sql.append(" and type like :type_prefix").append(LikeLiteral.ESCAPE);
                parameters.put("type_prefix", LikeLiteral.of(type.substring(0, type.length() - 1)) + "%");
            } else {
                sql.append(" and type = :type");
                parameters.put("type", type);
            }
        });
        query.actor().ifPresent(actor -> {
            sql.append(" and actor = :actor");
            parameters.put("actor", actor);
        });
        query.email().ifPresent(email -> {
            String lower = email.toLowerCase(java.util.Locale.ROOT);
            sql.append(" and (lower(actor) = :email or lower(attributes) like :email_attribute").append(LikeLiteral.ESCAPE).append(')');
            parameters.put("email", lower);
            parameters.put("email_attribute", LikeLiteral.containing("\"email\":" + dev.gatehouse.core.event.Json.quote(lower)));
        });
        int attribute = 0;
        for (Map.Entry<String, String> entry : new TreeMap<>(query.attributes()).entrySet()) {
            String name = "attribute" + attribute++;
            sql.append(" and attributes like :").append(name).append(LikeLiteral.ESCAPE);
            parameters.put(name, LikeLiteral.containing(dev.gatehouse.core.event.Json.quote(entry.getKey()) + ":"
                    + dev.gatehouse.core.event.Json.quote(entry.getValue())));
        }
        if (!query.outcomes().isEmpty()) {
            List<String> names = query.outcomes().stream().map(Enum::name).sorted().toList();
            StringBuilder in = new StringBuilder();
            for (int i = 0; i < names.size(); i++) {
                in.append(i == 0 ? ":outcome" : ", :outcome").append(i);
                parameters.put("outcome" + i, names.get(i));
            }
            sql.append(" and outcome in (").append(in).append(')');
        }
        query.start().ifPresent(start -> {
            sql.append(" and record_time >= :start");
            parameters.put("start", Timestamps.bind(start));
        });
        query.end().ifPresent(end -> {
            sql.append(" and record_time < :end");
            parameters.put("end", Timestamps.bind(end));
        });
        if (query.authenticationOnly()) {
            sql.append(" and type not like :management_prefix").append(LikeLiteral.ESCAPE);
            parameters.put("management_prefix", LikeLiteral.of(AuditQuery.MANAGEMENT_TYPE_PREFIX) + "%");
        }
        return sql.toString();
    }

    @Override
    public List<Optional<String>> chains() {
        chainAll();
        return tx.withHandle(h -> h.createQuery("""
                        select environment_id as chain from audit_chain_heads
                        union
                        select distinct coalesce(environment_id, '') as chain from audit_records
                        order by chain""")
                .mapTo(String.class).list().stream()
                .map(chain -> chain.equals(NO_ENVIRONMENT) ? Optional.<String>empty() : Optional.of(chain))
                .toList());
    }

    @Override
    public Optional<ChainHead> head(Optional<String> environmentId) {
        return tx.withHandle(h -> selectHead(h, environmentId.orElse(NO_ENVIRONMENT), false));
    }

    @Override
    public List<StoredAuditRecord> chain(Optional<String> environmentId, long afterSequence, int limit) {
        String scope = environmentId.isPresent() ? "environment_id = :env" : "environment_id is null";
        if (afterSequence == 0) {
            chainPending(environmentId.orElse(NO_ENVIRONMENT));
        }
        return tx.withHandle(h -> {
            var query = h.createQuery("select * from audit_records where " + scope
                            + " and chain_seq > :after order by chain_seq limit :limit")
                    .bind("after", afterSequence).bind("limit", limit);
            environmentId.ifPresent(env -> query.bind("env", env));
            return query.map(STORED).list();
        });
    }

    private static Map<String, String> readAttributes(String json) {
        try {
            return JSON.readValue(json, new TypeReference<TreeMap<String, String>>() {});
        } catch (JsonProcessingException e) {
            return Map.of("unreadable", json.length() > 200 ? json.substring(0, 200) : json);
        }
    }
}
