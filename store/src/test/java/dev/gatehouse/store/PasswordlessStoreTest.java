package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.audit.AuditRecord;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.key.SecretSealer;
import dev.gatehouse.core.mail.DevMail;
import dev.gatehouse.core.mail.EmailTemplate;
import dev.gatehouse.core.mail.EmailTemplates;
import dev.gatehouse.core.mail.EnvironmentMailer;
import dev.gatehouse.core.mail.MailMessage;
import dev.gatehouse.core.mail.MailRouting;
import dev.gatehouse.core.mail.MailSettingsService;
import dev.gatehouse.core.mail.Mailer;
import dev.gatehouse.core.mail.SmtpSettings;
import dev.gatehouse.core.mail.SmtpSettingsInput;
import dev.gatehouse.core.mail.TlsMode;
import dev.gatehouse.core.passwordless.PasswordlessEmails;
import dev.gatehouse.core.passwordless.PasswordlessOrigin;
import dev.gatehouse.core.passwordless.PasswordlessSecrets;
import dev.gatehouse.core.passwordless.PasswordlessService;
import dev.gatehouse.core.passwordless.PasswordlessType;
import dev.gatehouse.core.passwordless.SendPasswordless;
import dev.gatehouse.core.passwordless.SendResult;
import dev.gatehouse.core.passwordless.VerifyResult;
import dev.gatehouse.core.ratelimit.RateLimit;
import dev.gatehouse.core.ratelimit.RateLimiter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Passwordless requests, rate limits, SMTP settings, templates and the dev mailbox on H2 and PostgreSQL. */
class PasswordlessStoreTest {
    private static final PasswordlessOrigin ORIGIN = new PasswordlessOrigin(Optional.of("skc_1"), Optional.empty());
    private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");

    /** The services as Wiring builds them, mail going to the dev mailbox. */
    private record Services(JdbiDevMailbox mailbox, MailSettingsService smtp, EnvironmentMailer mailer,
                            PasswordlessService passwordless) {}

    private static Services services(StoreFixture f) {
        return services(f, f.tx);
    }

    private static Services services(StoreFixture f, JdbiTransactions tx) {
        SecretSealer sealer = new SecretSealer(f.masterKey);
        JdbiDevMailbox mailbox = new JdbiDevMailbox(tx);
        MailSettingsService smtp = new MailSettingsService(new JdbiSmtpSettingsRepository(tx), sealer, f.clock);
        EnvironmentMailer mailer = new EnvironmentMailer(smtp, new MailRouting(Optional.empty(), true),
                (settings, message) -> {
                    throw new AssertionError("no SMTP in this test");
                }, mailbox, f.clock);
        PasswordlessService passwordless = new PasswordlessService(new JdbiPasswordlessRequestRepository(tx),
                new JdbiPasswordlessSettingsRepository(tx),
                new EmailTemplates(new JdbiEmailTemplateRepository(tx), PasswordlessEmails.defaults(), f.clock), mailer,
                new JdbiRateLimiter(tx, f.clock), PasswordlessSecrets.fromMasterKey(f.masterKey), f.audit,
                env -> "Acme",
                f.clock, tx);
        return new Services(mailbox, smtp, mailer, passwordless);
    }

    private static String lastCode(Services s, String environmentId, String to) {
        DevMail mail = s.mailbox().recent(environmentId, Optional.of(to), 1).getFirst();
        Matcher m = CODE.matcher(mail.textBody());
        assertThat(m.find()).as(mail.textBody()).isTrue();
        return m.group(1);
    }

    private static SendPasswordless otp(String email) {
        return SendPasswordless.headless(email, Optional.empty(), Optional.empty(), Optional.of("s"), Optional.empty(),
                Map.of());
    }

    @EachDatabase
    void sendVerifyWhenStoredThenCodeWorksOnceAndOnlyHashesAreInTheTable(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("pl");
            Services s = services(f);

            SendResult.Sent sent = (SendResult.Sent) s.passwordless().send(env.id(), otp("ann@example.com"), ORIGIN);
            String code = lastCode(s, env.id(), "ANN@example.com");

            String row = f.database.jdbi().withHandle(h -> h.createQuery(
                    "select code_hash || '|' || coalesce(link_token_hash, '') from passwordless_requests").mapTo(String.class).one());
            assertThat(row).doesNotContain(code).startsWith(row.substring(0, 64)).hasSize(65);
            assertThat(s.passwordless().verifyCode(env.id(), sent.authRequestId(), code, ORIGIN))
                    .isInstanceOfSatisfying(VerifyResult.Verified.class, v -> {
                        assertThat(v.email()).isEqualTo("ann@example.com");
                        assertThat(v.state()).contains("s");
                    });
            assertThat(s.passwordless().verifyCode(env.id(), sent.authRequestId(), code, ORIGIN))
                    .isInstanceOfSatisfying(VerifyResult.Rejected.class,
                            r -> assertThat(r.failure()).isEqualTo(VerifyResult.Failure.ALREADY_USED));
        }
    }

    @EachDatabase
    void twoNodesWhenOneSendsThenTheOtherVerifiesAndSeesTheDevMailAndTheAddressLimit(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("nodes");
            Services node1 = services(f);
            // Both nodes share the database, each with its own services, limiter and transactions.
            Services node2 = services(f, new JdbiTransactions(f.database.jdbi()));

            SendResult.Sent sent = (SendResult.Sent) node1.passwordless().send(env.id(), otp("ann@example.com"), ORIGIN);
            String code = lastCode(node2, env.id(), "ann@example.com");
            node2.passwordless().resend(env.id(), sent.authRequestId(), ORIGIN);
            String resent = lastCode(node1, env.id(), "ann@example.com");

            assertThat(node1.passwordless().send(env.id(), otp("ann@example.com"), ORIGIN))
                    .isInstanceOfSatisfying(SendResult.Refused.class,
                            r -> assertThat(r.failure()).isEqualTo(SendResult.Failure.RATE_LIMITED));
            if (!code.equals(resent)) {
                assertThat(node2.passwordless().verifyCode(env.id(), sent.authRequestId(), code, ORIGIN))
                        .isInstanceOf(VerifyResult.Rejected.class);
            }
            assertThat(node2.passwordless().verifyCode(env.id(), sent.authRequestId(), resent, ORIGIN))
                    .isInstanceOf(VerifyResult.Verified.class);
        }
    }

    @EachDatabase
    void verifyWhenFiveWrongCodesThenDeadAndEveryFailureAudited(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("pl");
            Services s = services(f);
            SendResult.Sent sent = (SendResult.Sent) s.passwordless().send(env.id(), otp("ann@example.com"), ORIGIN);
            String right = lastCode(s, env.id(), "ann@example.com");
            String wrong = right.equals("999999") ? "999998" : "999999";

            for (int i = 0; i < 5; i++) {
                s.passwordless().verifyCode(env.id(), sent.authRequestId(), wrong, ORIGIN);
            }
            VerifyResult sixth = s.passwordless().verifyCode(env.id(), sent.authRequestId(), right, ORIGIN);

            assertThat(sixth).isInstanceOfSatisfying(VerifyResult.Rejected.class,
                    r -> assertThat(r.failure()).isEqualTo(VerifyResult.Failure.TOO_MANY_ATTEMPTS));
            List<AuditRecord> records = f.audit.recent(env.id(), Optional.of(PasswordlessService.AUDIT_VERIFY_REJECTED),
                    Instant.EPOCH, 100);
            assertThat(records).hasSize(6).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(AuditRecord.Outcome.FAILURE));
            assertThat(records.getFirst().attributes()).containsEntry("failure", "TOO_MANY_ATTEMPTS");
        }
    }

    @EachDatabase
    void passwordlessWhenOtherEnvironmentThenItCannotVerifyOrResendAndSettingsAreSeparate(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment a = f.environment("a");
            Environment b = f.environment("b");
            Services s = services(f);
            s.passwordless().updateSettings(a.id(), Optional.of(PasswordlessType.LINK_OTP), Optional.of(true));
            SendResult.Sent sent = (SendResult.Sent) s.passwordless().send(a.id(), SendPasswordless.headless(
                    "ann@example.com", Optional.empty(), Optional.of("https://app.example.com/cb"), Optional.empty(),
                    Optional.empty(), Map.of()), ORIGIN);
            String code = lastCode(s, a.id(), "ann@example.com");
            String mail = s.mailbox().recent(a.id(), Optional.empty(), 1).getFirst().textBody();
            String token = mail.substring(mail.indexOf("link_token=") + "link_token=".length()).split("\\s")[0];

            assertThat(s.passwordless().settings(b.id()).type()).isEqualTo(PasswordlessType.OTP);
            assertThat(s.mailbox().recent(b.id(), Optional.empty(), 10)).isEmpty();
            assertThat(s.passwordless().verifyCode(b.id(), sent.authRequestId(), code, ORIGIN))
                    .isInstanceOfSatisfying(VerifyResult.Rejected.class,
                            r -> assertThat(r.failure()).isEqualTo(VerifyResult.Failure.UNKNOWN_REQUEST));
            assertThat(s.passwordless().verifyLink(b.id(), token, Optional.of(sent.authRequestId()), ORIGIN))
                    .isInstanceOfSatisfying(VerifyResult.Rejected.class,
                            r -> assertThat(r.failure()).isEqualTo(VerifyResult.Failure.INVALID_LINK));
            assertThat(s.passwordless().resend(b.id(), sent.authRequestId(), ORIGIN))
                    .isInstanceOfSatisfying(SendResult.Refused.class,
                            r -> assertThat(r.failure()).isEqualTo(SendResult.Failure.UNKNOWN_REQUEST));
            // Still intact in its own environment.
            assertThat(s.passwordless().verifyLink(a.id(), token, Optional.of(sent.authRequestId()), ORIGIN))
                    .isInstanceOf(VerifyResult.Verified.class);
        }
    }

    @EachDatabase
    void rateLimiterWhenTwoNodesShareTheDatabaseThenLimitHoldsAcrossThem(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("rl");
            Environment other = f.environment("rl2");
            RateLimiter node1 = new JdbiRateLimiter(f.tx, f.clock);
            RateLimiter node2 = new JdbiRateLimiter(new JdbiTransactions(f.database.jdbi()), f.clock);
            RateLimit limit = RateLimit.perMinute(2);

            assertThat(node1.acquire(env.id(), "k", limit).allowed()).isTrue();
            f.clock.advance(Duration.ofSeconds(15));
            assertThat(node2.acquire(env.id(), "k", limit).allowed()).isTrue();
            RateLimiter.Decision third = node1.acquire(env.id(), "k", limit);

            assertThat(third.allowed()).isFalse();
            assertThat(third.retryAfterSeconds()).isEqualTo(45);
            assertThat(node2.acquire(other.id(), "k", limit).allowed()).isTrue();
            f.clock.advance(Duration.ofSeconds(45));
            assertThat(node2.acquire(env.id(), "k", limit).allowed()).isTrue();
            f.clock.advance(Duration.ofMinutes(5));
            assertThat(((JdbiRateLimiter) node1).purgeExpired(f.clock.instant())).isEqualTo(2);
        }
    }

    @EachDatabase
    void rateLimiterWhenManyConcurrentCallersThenExactlyThePermittedNumberPass(String kind) throws Exception {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("rlc");
            RateLimit limit = RateLimit.perMinute(3);
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                List<Callable<Boolean>> calls = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    RateLimiter node = new JdbiRateLimiter(new JdbiTransactions(f.database.jdbi()), f.clock);
                    calls.add(() -> node.acquire(env.id(), "burst", limit).allowed());
                }
                int allowed = 0;
                for (Future<Boolean> result : pool.invokeAll(calls, 60, TimeUnit.SECONDS)) {
                    allowed += result.get() ? 1 : 0;
                }
                assertThat(allowed).isEqualTo(3);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @EachDatabase
    void smtpSettingsWhenSavedThenPasswordSealedKeptOnUpdateAndScopedToEnvironment(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment a = f.environment("ma");
            Environment b = f.environment("mb");
            Services s = services(f);

            s.smtp().update(a.id(), new SmtpSettingsInput("smtp.example.com", 587, TlsMode.STARTTLS, Optional.of("apikey"),
                    Optional.of("s3cret-pass"), "no-reply@example.com", Optional.of("Acme")));
            s.smtp().update(a.id(), new SmtpSettingsInput("smtp2.example.com", 465, TlsMode.TLS, Optional.of("apikey"),
                    Optional.empty(), "no-reply@example.com", Optional.empty()));

            String column = f.database.jdbi().withHandle(h -> h.createQuery("select sealed_password from smtp_settings")
                    .mapTo(String.class).one());
            assertThat(column).doesNotContain("s3cret");
            SmtpSettings opened = s.smtp().smtpOf(a.id()).orElseThrow();
            assertThat(opened.host()).isEqualTo("smtp2.example.com");
            assertThat(opened.password()).contains("s3cret-pass");
            assertThat(opened.toString()).doesNotContain("s3cret");
            assertThat(s.smtp().smtpOf(b.id())).isEmpty();
            assertThat(s.mailer().route(a.id())).isEqualTo(EnvironmentMailer.Route.ENVIRONMENT_SMTP);
            assertThat(s.mailer().route(b.id())).isEqualTo(EnvironmentMailer.Route.DEV_MAILBOX);
        }
    }

    @EachDatabase
    void templatesAndDevMailboxWhenTwoEnvironmentsThenEachSeesOnlyItsOwn(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment a = f.environment("ta");
            Environment b = f.environment("tb");
            EmailTemplates templates = new EmailTemplates(new JdbiEmailTemplateRepository(f.tx), PasswordlessEmails.defaults(),
                    f.clock);
            JdbiDevMailbox mailbox = new JdbiDevMailbox(f.tx);

            templates.update(a.id(), "passwordless_otp_signin", new EmailTemplate("Code {{otp}}", "{{otp}}", Optional.empty()));
            for (int i = 0; i < 5; i++) {
                mailbox.append(new MailMessage(a.id(), "ann@example.com", "m" + i, "body " + i, Optional.empty()),
                        "from@example.com", f.clock.instant(), 3);
            }
            mailbox.append(new MailMessage(a.id(), "bob@example.com", "bob", "b", Optional.of("<p>b</p>")),
                    "from@example.com", f.clock.instant(), 3);

            assertThat(templates.get(a.id(), "passwordless_otp_signin").customized()).isTrue();
            assertThat(templates.get(b.id(), "passwordless_otp_signin").customized()).isFalse();
            assertThat(templates.list(a.id())).hasSize(6).filteredOn(EmailTemplates.Effective::customized).hasSize(1);
            assertThat(mailbox.recent(a.id(), Optional.empty(), 10)).extracting(DevMail::subject)
                    .containsExactly("bob", "m4", "m3");
            assertThat(mailbox.recent(a.id(), Optional.of("ANN@example.com"), 10)).extracting(DevMail::subject)
                    .containsExactly("m4", "m3");
            assertThat(mailbox.recent(b.id(), Optional.empty(), 10)).isEmpty();
            assertThat(templates.reset(a.id(), "passwordless_otp_signin").customized()).isFalse();
            assertThat(templates.get(a.id(), "passwordless_otp_signin").customized()).isFalse();
            assertThat(new EnvironmentMailer(new MailSettingsService(new JdbiSmtpSettingsRepository(f.tx),
                    new SecretSealer(f.masterKey), f.clock), new MailRouting(Optional.empty(), true), (x, y) -> { }, mailbox,
                    f.clock).send(new MailMessage(b.id(), "c@example.com", "s", "t", Optional.empty())))
                    .isEqualTo(Mailer.Delivery.DEV_MAILBOX);
        }
    }
}
