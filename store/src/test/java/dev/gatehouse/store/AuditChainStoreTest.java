package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.audit.AuditChain;
import dev.gatehouse.core.audit.AuditLogService;
import dev.gatehouse.core.audit.AuditQuery;
import dev.gatehouse.core.audit.AuditRecord;
import dev.gatehouse.core.audit.ChainReport;
import dev.gatehouse.core.audit.StoredAuditRecord;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.shared.IdGenerator;
import dev.gatehouse.core.shared.PageRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** The per-environment hash chain of the audit trail: appends, concurrency, two nodes, tampering. */
class AuditChainStoreTest {
    private static AuditRecord record(Instant time, Optional<String> environmentId, String type, String actor) {
        return new AuditRecord(time, environmentId, Optional.empty(), type, AuditRecord.Outcome.FAILURE,
                Optional.of(actor), Optional.of("because"), Optional.of("203.0.113.7"), Map.of("n", actor));
    }

    private static List<StoredAuditRecord> chain(StoreFixture f, Optional<String> environmentId) {
        return f.audit.chain(environmentId, 0, 10_000);
    }

    private static void sql(StoreFixture f, String statement, Object... arguments) {
        f.database.jdbi().useHandle(h -> {
            var update = h.createUpdate(statement);
            for (int i = 0; i < arguments.length; i++) {
                update.bind(i, arguments[i]);
            }
            update.execute();
        });
    }

    @EachDatabase
    void appendsFormOneLinkedChainPerEnvironment(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment a = f.environment("alpha");
            Environment b = f.environment("beta");
            Instant t = f.clock.instant();
            for (int i = 0; i < 5; i++) {
                f.audit.append(record(t, Optional.of(a.id()), "oauth.token.rejected", "a" + i));
                f.audit.append(record(t, Optional.of(b.id()), "oauth.token.rejected", "b" + i));
            }
            f.audit.append(record(t, Optional.empty(), "oauth.token.rejected", "nobody"));

            List<StoredAuditRecord> ofA = chain(f, Optional.of(a.id()));
            assertThat(ofA).extracting(StoredAuditRecord::sequence).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(ofA.getFirst().previousHash()).contains(AuditChain.GENESIS);
            for (int i = 1; i < ofA.size(); i++) {
                assertThat(ofA.get(i).previousHash()).isEqualTo(ofA.get(i - 1).hash());
            }
            assertThat(ofA).extracting(r -> r.record().actor().orElseThrow()).containsExactly("a0", "a1", "a2", "a3", "a4");
            assertThat(ofA).allSatisfy(r -> assertThat(r.id()).startsWith("aud_"));
            assertThat(chain(f, Optional.empty())).extracting(StoredAuditRecord::sequence).containsExactly(1L);

            AuditLogService log = new AuditLogService(f.audit, f.auditChain);
            List<ChainReport> reports = log.verifyAll();
            assertThat(reports).extracting(ChainReport::environmentId)
                    .containsExactlyInAnyOrder(Optional.of(a.id()), Optional.of(b.id()), Optional.empty());
            assertThat(reports).allSatisfy(r -> assertThat(r.intact()).as(r.toString()).isTrue());
            assertThat(log.verify(Optional.of(a.id())).records()).isEqualTo(5);
            assertThat(log.verify(Optional.of(a.id())).head().hash()).isEqualTo(ofA.getLast().hash());
        }
    }

    @EachDatabase
    void concurrentAppendsInAndOutOfTransactionsOnTwoNodesFormOneChain(String kind) throws Exception {
        try (StoreFixture f = StoreFixture.open(kind); Database second = f.testDatabase.open()) {
            Environment a = f.environment("alpha");
            Environment b = f.environment("beta");
            // A second node: its own pool, transactions, ID generator and chainer on the same database.
            JdbiTransactions otherTx = new JdbiTransactions(second.jdbi());
            JdbiAuditTrail otherNode = new JdbiAuditTrail(otherTx, new IdGenerator(f.clock, 2), f.auditChain);
            int threads = 8;
            int perThread = 42;
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    boolean first = t % 2 == 0;
                    String env = t % 4 < 3 ? a.id() : b.id();
                    int thread = t;
                    futures.add(pool.submit((Callable<Void>) () -> {
                        start.await();
                        for (int i = 0; i < perThread; i++) {
                            AuditRecord r = record(f.clock.instant(), Optional.of(env), "oauth.token.issued", thread + "-" + i);
                            switch (i % 3) {
                                case 0 -> (first ? f.audit : otherNode).append(r);
                                case 1 -> (first ? f.tx : otherTx).inTransaction(() -> {
                                    (first ? f.audit : otherNode).append(r);
                                    return null;
                                });
                                default -> {
                                    try {
                                        (first ? f.tx : otherTx).inTransaction(() -> {
                                            (first ? f.audit : otherNode).append(r.withReasonCode("rolled_back"));
                                            throw new IllegalStateException("abort");
                                        });
                                    } catch (IllegalStateException expected) {
                                        // the transaction rolled back, and its record with it
                                    }
                                }
                            }
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> future : futures) {
                    future.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }

            int kept = 2 * perThread / 3;
            List<StoredAuditRecord> ofA = chain(f, Optional.of(a.id()));
            List<StoredAuditRecord> ofB = chain(f, Optional.of(b.id()));
            assertThat(ofA).hasSize(6 * kept);
            assertThat(ofB).hasSize(2 * kept);
            assertThat(ofA).extracting(StoredAuditRecord::sequence)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 6L * kept).boxed().toList());
            assertThat(ofA).noneSatisfy(r -> assertThat(r.record().reasonCode()).contains("rolled_back"));
            assertThat(f.audit.recent(a.id(), Optional.empty(), Instant.EPOCH, 10_000)).hasSize(6 * kept);
            AuditLogService log = new AuditLogService(f.audit, f.auditChain);
            assertThat(log.verify(Optional.of(a.id())).intact()).isTrue();
            assertThat(log.verify(Optional.of(b.id())).intact()).isTrue();
            assertThat(log.verify(Optional.of(a.id())).head().sequence()).isEqualTo(6L * kept);
            assertThat(new AuditLogService(otherNode, f.auditChain).verify(Optional.of(b.id())).head().sequence())
                    .isEqualTo(2L * kept);
            otherNode.close();
        }
    }

    @EachDatabase
    void aBurstOfAppendsIsChainedInMultiRowInsertsWithEveryFieldKept(String kind) throws Exception {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment a = f.environment("alpha");
            // More appenders than one insert statement carries (D-AU2), released together, so the writer's
            // batches are split into several multi-row inserts.
            int appenders = 3 * JdbiAuditTrail.ROWS_PER_INSERT + 7;
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < appenders; i++) {
                String n = String.valueOf(i);
                AuditRecord r = new AuditRecord(f.clock.instant(), Optional.of(a.id()), Optional.of("org_" + n),
                        "user.updated", AuditRecord.Outcome.SUCCESS, Optional.of("actor-" + n), Optional.of("reason " + n),
                        Optional.of("198.51.100." + (i % 250)), Map.of("n", n, "k\"ey", "v\u00e9"))
                        .withReasonCode("code_" + n).withTarget("usr_" + n)
                        .withChange(Optional.of("{\"before\":" + n + "}"), Optional.of("{\"after\":" + n + "}"));
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    f.audit.append(r);
                }));
            }
            start.countDown();
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(120));
            }

            List<StoredAuditRecord> rows = chain(f, Optional.of(a.id()));
            assertThat(rows).hasSize(appenders);
            assertThat(rows).extracting(StoredAuditRecord::sequence)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, appenders).boxed().toList());
            assertThat(rows).allSatisfy(row -> {
                AuditRecord r = row.record();
                String n = r.attributes().get("n");
                assertThat(r.organizationId()).contains("org_" + n);
                assertThat(r.type()).isEqualTo("user.updated");
                assertThat(r.outcome()).isEqualTo(AuditRecord.Outcome.SUCCESS);
                assertThat(r.actor()).contains("actor-" + n);
                assertThat(r.reason()).contains("reason " + n);
                assertThat(r.remoteAddress()).contains("198.51.100." + (Integer.parseInt(n) % 250));
                assertThat(r.attributes()).containsEntry("k\"ey", "v\u00e9");
                assertThat(r.reasonCode()).contains("code_" + n);
                assertThat(r.target()).contains("usr_" + n);
                assertThat(r.before()).contains("{\"before\":" + n + "}");
                assertThat(r.after()).contains("{\"after\":" + n + "}");
                assertThat(r.time()).isEqualTo(f.clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
            });
            assertThat(rows).extracting(row -> row.record().attributes().get("n")).doesNotHaveDuplicates();
            assertThat(new AuditLogService(f.audit, f.auditChain).verify(Optional.of(a.id())).intact()).isTrue();
        }
    }

    @EachDatabase
    void recordsAreChainedInTheBackgroundWithoutAReader(String kind) throws Exception {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment a = f.environment("alpha");
            for (int i = 0; i < 5; i++) {
                f.audit.append(record(f.clock.instant(), Optional.of(a.id()), "oauth.token.rejected", "a" + i));
            }

            // head() does not chain on demand: only the background chainer moves it.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (f.audit.head(Optional.of(a.id())).map(h -> h.sequence()).orElse(0L) < 5 && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }

            assertThat(f.audit.head(Optional.of(a.id())).orElseThrow().sequence()).isEqualTo(5);
            assertThat(new AuditLogService(f.audit, f.auditChain).verify(Optional.of(a.id())).intact()).isTrue();
        }
    }

    @EachDatabase
    void unchainedRecordOfAStoppedNodeIsChainedByAnotherNode(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment a = f.environment("alpha");
            f.audit.append(record(f.clock.instant(), Optional.of(a.id()), "oauth.token.rejected", "chained"));
            assertThat(chain(f, Optional.of(a.id()))).hasSize(1);
            // What a node that stopped between its insert and its chainer leaves behind.
            sql(f, "insert into audit_records (record_id, environment_id, record_time, type, outcome, attributes) "
                    + "values ('aud_orphan', ?, current_timestamp, 'oauth.token.rejected', 'FAILURE', '{}')", a.id());

            List<StoredAuditRecord> chained = chain(f, Optional.of(a.id()));

            assertThat(chained).extracting(StoredAuditRecord::id).endsWith("aud_orphan");
            assertThat(chained.getLast().sequence()).isEqualTo(2);
            assertThat(new AuditLogService(f.audit, f.auditChain).verify(Optional.of(a.id())).intact()).isTrue();
        }
    }

    @EachDatabase
    void editedRowIsReportedAtItsSequence(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment a = f.environment("alpha");
            for (int i = 0; i < 6; i++) {
                f.audit.append(record(f.clock.instant(), Optional.of(a.id()), "oauth.token.rejected", "a" + i));
            }
            chain(f, Optional.of(a.id())); // tampering targets linked rows
            sql(f, "update audit_records set reason = 'nothing to see' where environment_id = ? and chain_seq = 3", a.id());

            ChainReport report = new AuditLogService(f.audit, f.auditChain).verify(Optional.of(a.id()));

            assertThat(report.intact()).isFalse();
            assertThat(report.firstBreak().orElseThrow().sequence()).isEqualTo(3);
            assertThat(report.firstBreak().orElseThrow().kind()).isEqualTo(ChainReport.Kind.EDITED);
            assertThat(report.firstBreak().orElseThrow().recordId()).contains(chain(f, Optional.of(a.id())).get(2).id());
        }
    }

    @EachDatabase
    void everyKindOfTamperingIsDetected(String kind) {
        record Tamper(String name, String sql, long sequence, ChainReport.Kind kind) {}
        List<Tamper> tampers = List.of(
                new Tamper("delete a middle row", "delete from audit_records where environment_id = ? and chain_seq = 2",
                        2, ChainReport.Kind.MISSING),
                new Tamper("delete the last row", "delete from audit_records where environment_id = ? and chain_seq = 4",
                        4, ChainReport.Kind.MISSING),
                new Tamper("edit the actor", "update audit_records set actor = 'someone else' where environment_id = ? and chain_seq = 1",
                        1, ChainReport.Kind.EDITED),
                new Tamper("edit the time", "update audit_records set record_time = record_time + interval '1' second "
                        + "where environment_id = ? and chain_seq = 4", 4, ChainReport.Kind.EDITED),
                new Tamper("renumber a row", "update audit_records set chain_seq = 7 where environment_id = ? and chain_seq = 3",
                        3, ChainReport.Kind.MISSING),
                new Tamper("remove a hash", "update audit_records set record_hash = null where environment_id = ? and chain_seq = 2",
                        2, ChainReport.Kind.UNHASHED),
                new Tamper("replace a hash", "update audit_records set record_hash = '" + "ab".repeat(32)
                        + "' where environment_id = ? and chain_seq = 2", 2, ChainReport.Kind.EDITED),
                new Tamper("relink a row", "update audit_records set previous_hash = '" + AuditChain.GENESIS
                        + "' where environment_id = ? and chain_seq = 3", 3, ChainReport.Kind.RELINKED));
        for (Tamper tamper : tampers) {
            try (StoreFixture f = StoreFixture.open(kind)) {
                Environment a = f.environment("alpha");
                Environment b = f.environment("beta");
                for (int i = 0; i < 4; i++) {
                    f.audit.append(record(f.clock.instant(), Optional.of(a.id()), "management.update_user", "a" + i));
                    f.audit.append(record(f.clock.instant(), Optional.of(b.id()), "management.update_user", "b" + i));
                }
                chain(f, Optional.of(a.id())); // tampering targets linked rows
                sql(f, tamper.sql(), a.id());

                AuditLogService log = new AuditLogService(f.audit, f.auditChain);
                ChainReport report = log.verify(Optional.of(a.id()));

                assertThat(report.firstBreak()).as(tamper.name()).isPresent();
                assertThat(report.firstBreak().get().sequence()).as(tamper.name()).isEqualTo(tamper.sequence());
                assertThat(report.firstBreak().get().kind()).as(tamper.name()).isEqualTo(tamper.kind());
                assertThat(log.verify(Optional.of(b.id())).intact()).as("the other environment's chain").isTrue();
            }
        }
    }

    @EachDatabase
    void rowAddedOutsideTheChainIsDetected(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment a = f.environment("alpha");
            for (int i = 0; i < 3; i++) {
                f.audit.append(record(f.clock.instant(), Optional.of(a.id()), "oauth.token.rejected", "a" + i));
            }
            StoredAuditRecord last = chain(f, Optional.of(a.id())).getLast();
            // Even a forger who holds the master key (a correct HMAC) is caught by the chain head.
            Instant time = Instant.parse("2025-06-01T12:00:00Z");
            AuditRecord forged = new AuditRecord(time, Optional.of(a.id()), Optional.empty(), "x", AuditRecord.Outcome.SUCCESS,
                    Optional.empty(), Optional.empty(), Optional.empty(), Map.of());
            String hash = f.auditChain.hash("aud_1", 4, last.hash().orElseThrow(), AuditChain.normalize(forged));
            sql(f, "insert into audit_records (record_id, environment_id, record_time, type, outcome, attributes, chain_seq, "
                    + "previous_hash, record_hash) values ('aud_1', ?, ?, 'x', 'SUCCESS', '{}', 4, ?, ?)",
                    a.id(), time.atOffset(java.time.ZoneOffset.UTC), last.hash().orElseThrow(), hash);
            // And one without the key, after it, fails its HMAC.
            sql(f, "update audit_chain_heads set last_seq = 4, last_hash = ? where environment_id = ?", "cd".repeat(32), a.id());

            ChainReport withForgedHead = new AuditLogService(f.audit, f.auditChain).verify(Optional.of(a.id()));
            assertThat(withForgedHead.firstBreak().orElseThrow().kind()).isEqualTo(ChainReport.Kind.HEAD_MISMATCH);

            sql(f, "update audit_chain_heads set last_seq = 3, last_hash = ? where environment_id = ?",
                    last.hash().orElseThrow(), a.id());
            ChainReport report = new AuditLogService(f.audit, f.auditChain).verify(Optional.of(a.id()));

            assertThat(report.firstBreak().orElseThrow().kind()).isEqualTo(ChainReport.Kind.HEAD_MISMATCH);
            assertThat(report.firstBreak().orElseThrow().sequence()).isEqualTo(4);
        }
    }

    @EachDatabase
    void deletingEveryRowOfAChainIsDetectedByItsHead(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment a = f.environment("alpha");
            f.audit.append(record(f.clock.instant(), Optional.of(a.id()), "oauth.token.rejected", "a"));
            chain(f, Optional.of(a.id())); // tampering targets linked rows
            sql(f, "delete from audit_records where environment_id = ?", a.id());

            ChainReport report = new AuditLogService(f.audit, f.auditChain).verify(Optional.of(a.id()));

            assertThat(report.firstBreak().orElseThrow().kind()).isEqualTo(ChainReport.Kind.MISSING);
            assertThat(report.firstBreak().orElseThrow().sequence()).isEqualTo(1);
        }
    }

    @EachDatabase
    void recordsWrittenBeforeHashingAreCountedNotFailed(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment a = f.environment("alpha");
            // What migration V0008 leaves for older rows: a sequence number, no hash, a head without a hash.
            sql(f, "insert into audit_records (record_id, environment_id, record_time, type, outcome, attributes, chain_seq) "
                    + "values ('aud_7', ?, current_timestamp, 'oauth.token.rejected', 'FAILURE', '{}', 1)", a.id());
            sql(f, "insert into audit_chain_heads (environment_id, last_seq, last_hash) values (?, 1, null)", a.id());
            f.audit.append(record(f.clock.instant(), Optional.of(a.id()), "oauth.token.rejected", "new"));

            ChainReport report = new AuditLogService(f.audit, f.auditChain).verify(Optional.of(a.id()));

            assertThat(report.intact()).as(report.toString()).isTrue();
            assertThat(report.records()).isEqualTo(2);
            assertThat(report.unhashedRecords()).isEqualTo(1);
            assertThat(chain(f, Optional.of(a.id())).getLast().previousHash()).contains(AuditChain.GENESIS);
        }
    }

    @EachDatabase
    void appendOutsideATransactionIsChainedByItsOwnCommitAfterTheRowsCommittedBeforeIt(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment a = f.environment("alpha");
            // A row appended inside a caller's transaction, committed, not linked yet.
            sql(f, "insert into audit_records (record_id, environment_id, record_time, type, outcome, attributes) "
                    + "values ('aud_earlier', ?, current_timestamp, 'oauth.token.rejected', 'FAILURE', '{}')", a.id());

            f.audit.append(record(f.clock.instant(), Optional.of(a.id()), "oauth.token.rejected", "later"));

            // Read straight from the table: no reader has chained anything on demand.
            List<String> rows = f.database.jdbi().withHandle(h -> h.createQuery(
                            "select coalesce(actor, record_id) || ':' || chain_seq from audit_records "
                                    + "where environment_id = :env order by chain_seq")
                    .bind("env", a.id()).mapTo(String.class).list());
            assertThat(rows).containsExactly("aud_earlier:1", "later:2");
            assertThat(f.audit.head(Optional.of(a.id())).orElseThrow().sequence()).isEqualTo(2);
            assertThat(new AuditLogService(f.audit, f.auditChain).verify(Optional.of(a.id())).intact()).isTrue();
        }
    }

    @EachDatabase
    void appendInsideATransactionCommitsOrRollsBackWithIt(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment a = f.environment("alpha");
            f.audit.append(record(f.clock.instant(), Optional.of(a.id()), "oauth.token.rejected", "first"));
            try {
                f.tx.inTransaction(() -> {
                    f.audit.append(record(f.clock.instant(), Optional.of(a.id()), "oauth.token.rejected", "rolled back"));
                    throw new IllegalStateException("abort");
                });
            } catch (IllegalStateException expected) {
                // the transaction rolled back
            }
            f.tx.inTransaction(() -> {
                f.audit.append(record(f.clock.instant(), Optional.of(a.id()), "oauth.token.rejected", "committed"));
                return null;
            });

            assertThat(chain(f, Optional.of(a.id()))).extracting(r -> r.record().actor().orElseThrow())
                    .containsExactly("first", "committed");
            assertThat(new AuditLogService(f.audit, f.auditChain).verify(Optional.of(a.id())).intact()).isTrue();
        }
    }

    @EachDatabase
    void appendWhenTheDatabaseIsGoneFailsTheCallerInsteadOfHanging(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment a = f.environment("alpha");
            f.database.close();

            org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                    f.audit.append(record(f.clock.instant(), Optional.of(a.id()), "oauth.token.rejected", "a")))
                    .isInstanceOf(RuntimeException.class);
        }
    }

    @EachDatabase
    void hostileTextIsStoredSoTheChainStillVerifies(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment a = f.environment("alpha");
            String hostile = "nul\0 lone\uD800 quote\" back\\slash 😀 " + "x".repeat(2000);
            f.audit.append(new AuditRecord(f.clock.instant(), Optional.of(a.id()), Optional.of(hostile), hostile,
                    AuditRecord.Outcome.FAILURE, Optional.of(hostile), Optional.of(hostile), Optional.of(hostile),
                    Map.of(hostile.substring(0, 20), hostile))
                    .withReasonCode(hostile).withTarget(hostile)
                    .withChange(Optional.of("{\"a\":\"" + hostile + "\"}"), Optional.of("y".repeat(AuditChain.STATE_MAX + 1))));

            assertThat(new AuditLogService(f.audit, f.auditChain).verify(Optional.of(a.id())).intact()).isTrue();
            AuditRecord read = chain(f, Optional.of(a.id())).getFirst().record();
            assertThat(read.after().orElseThrow()).startsWith("{\"truncated\":true");
            assertThat(read.actor().orElseThrow()).hasSize(AuditChain.ACTOR_MAX).doesNotContain("\0");
        }
    }

    @EachDatabase
    void findFiltersPagesNewestFirstAndStaysInItsEnvironment(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment a = f.environment("alpha");
            Environment b = f.environment("beta");
            Instant t0 = Instant.parse("2025-07-01T00:00:00Z");
            for (int i = 0; i < 12; i++) {
                boolean change = i % 3 == 0;
                f.audit.append(new AuditRecord(t0.plusSeconds(i), Optional.of(a.id()),
                        Optional.of(i % 2 == 0 ? "org_even" : "org_odd"),
                        change ? "management.update_user" : "oauth.token.issued",
                        i % 4 == 0 ? AuditRecord.Outcome.FAILURE : AuditRecord.Outcome.SUCCESS,
                        Optional.of(i < 6 ? "skc_first" : "skc_second"), Optional.empty(), Optional.empty(),
                        i == 5 ? Map.of("email", "Ann@Example.com") : Map.of()));
            }
            f.audit.append(record(t0, Optional.of(b.id()), "oauth.token.issued", "skc_first"));
            AuditLogService log = new AuditLogService(f.audit, f.auditChain);

            var all = log.find(AuditQuery.all(a.id()), PageRequest.first(5));
            assertThat(all.items()).extracting(StoredAuditRecord::sequence).containsExactly(12L, 11L, 10L, 9L, 8L);
            assertThat(all.totalSize()).isEqualTo(12);
            assertThat(all.previous()).isEmpty();
            var second = log.find(AuditQuery.all(a.id()), new PageRequest(5, all.next()));
            assertThat(second.items()).extracting(StoredAuditRecord::sequence).containsExactly(7L, 6L, 5L, 4L, 3L);
            var last = log.find(AuditQuery.all(a.id()), new PageRequest(5, second.next()));
            assertThat(last.items()).extracting(StoredAuditRecord::sequence).containsExactly(2L, 1L);
            assertThat(last.next()).isEmpty();
            var back = log.find(AuditQuery.all(a.id()), new PageRequest(5, last.previous()));
            assertThat(back.items()).extracting(StoredAuditRecord::sequence).containsExactly(7L, 6L, 5L, 4L, 3L);

            AuditQuery q = AuditQuery.all(a.id());
            PageRequest all100 = PageRequest.first(100);
            assertThat(log.find(q.withOrganization("org_even"), all100).items())
                    .hasSize(6).allSatisfy(r -> assertThat(r.record().organizationId()).contains("org_even"));
            assertThat(log.find(q.withType("management.*"), all100).items())
                    .extracting(StoredAuditRecord::sequence).containsExactly(10L, 7L, 4L, 1L);
            assertThat(log.find(q.withType("management"), all100).items()).isEmpty();
            assertThat(log.find(q.withType("oauth.token.issued").withActor("skc_second")
                    .withOutcomes(java.util.Set.of(AuditRecord.Outcome.SUCCESS)), all100).items())
                    .extracting(StoredAuditRecord::sequence).containsExactly(12L, 11L, 8L);
            assertThat(log.find(q.between(Optional.of(t0.plusSeconds(3)), Optional.of(t0.plusSeconds(5))), all100).items())
                    .extracting(StoredAuditRecord::sequence).containsExactly(5L, 4L);
            assertThat(log.find(q.withEmail("ann@example.COM"), all100).items())
                    .extracting(StoredAuditRecord::sequence).containsExactly(6L);
            assertThat(log.find(q.withAttribute("email", "Ann@Example.com"), all100).items())
                    .extracting(StoredAuditRecord::sequence).containsExactly(6L);
            assertThat(log.find(q.withAttribute("email", "Ann@Example"), all100).items()).isEmpty();
            assertThat(log.find(q.authenticationDecisions(), all100).items())
                    .hasSize(8).noneMatch(r -> r.record().type().startsWith("management."));
            // Several pattern filters in one statement (the authentication-logs list with an email: once a 500).
            assertThat(log.find(q.authenticationDecisions().withEmail("ann@example.com").withAttribute("email", "Ann@Example.com")
                    .withType("oauth.*"), all100).items())
                    .extracting(StoredAuditRecord::sequence).containsExactly(6L);
            // LIKE's wildcards and the escape character in a filter match only themselves.
            assertThat(log.find(q.withEmail("ann@example_com"), all100).items()).isEmpty();
            assertThat(log.find(q.withEmail("%"), all100).items()).isEmpty();
            assertThat(log.find(q.withType("oauth!*"), all100).items()).isEmpty();
            assertThat(log.find(q.withType("oauth_token%*"), all100).items()).isEmpty();

            var ofB = log.find(AuditQuery.all(b.id()), all100);
            assertThat(ofB.items()).hasSize(1).allSatisfy(r -> assertThat(r.record().environmentId()).contains(b.id()));
            assertThat(log.find(AuditQuery.all(b.id()).withOrganization("org_even"), all100).items()).isEmpty();
            assertThat(log.find(AuditQuery.all(b.id()).withActor("skc_second"), all100).items()).isEmpty();
        }
    }
}
