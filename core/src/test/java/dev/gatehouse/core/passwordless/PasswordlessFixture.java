package dev.gatehouse.core.passwordless;

import dev.gatehouse.core.audit.AuditRecord;
import dev.gatehouse.core.audit.AuditTrail;
import dev.gatehouse.core.mail.EmailTemplate;
import dev.gatehouse.core.mail.EmailTemplateRepository;
import dev.gatehouse.core.mail.EmailTemplates;
import dev.gatehouse.core.mail.MailDeliveryException;
import dev.gatehouse.core.mail.MailMessage;
import dev.gatehouse.core.mail.Mailer;
import dev.gatehouse.core.ratelimit.InMemoryRateLimiter;
import dev.gatehouse.core.testing.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PasswordlessService over in-memory ports, a hand-moved clock, and a mailer that keeps what it sends. */
final class PasswordlessFixture {
    static final Instant START = Instant.parse("2026-01-05T10:00:00.123456789Z");
    static final String ENV = "env_1";
    static final PasswordlessOrigin ORIGIN = new PasswordlessOrigin(Optional.of("skc_1"), Optional.of("203.0.113.9"));
    private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");
    private static final Pattern LINK_TOKEN = Pattern.compile("link_token=([A-Za-z0-9_-]+)");

    final MutableClock clock = new MutableClock(START);
    final Map<String, PasswordlessRequest> requests = new LinkedHashMap<>();
    final Map<String, PasswordlessSettings> settings = new HashMap<>();
    final Map<String, EmailTemplate> templateOverrides = new HashMap<>();
    final List<MailMessage> sent = new CopyOnWriteArrayList<>();
    final List<AuditRecord> audit = new CopyOnWriteArrayList<>();
    boolean mailFails;
    final PasswordlessService service;

    PasswordlessFixture() {
        PasswordlessRequestRepository repository = new PasswordlessRequestRepository() {
            @Override
            public void insert(PasswordlessRequest request) {
                requests.put(request.environmentId() + "/" + request.id(), request);
            }

            @Override
            public Optional<PasswordlessRequest> lockById(String environmentId, String id) {
                return Optional.ofNullable(requests.get(environmentId + "/" + id));
            }

            @Override
            public Optional<PasswordlessRequest> lockByLinkTokenHash(String environmentId, String hash) {
                return requests.values().stream().filter(r -> r.environmentId().equals(environmentId)
                        && r.linkTokenHash().equals(Optional.of(hash))).findFirst();
            }

            @Override
            public void update(PasswordlessRequest request) {
                insert(request);
            }

            @Override
            public void delete(String environmentId, String id) {
                requests.remove(environmentId + "/" + id);
            }

            @Override
            public int deleteExpiredBefore(Instant before) {
                int size = requests.size();
                requests.values().removeIf(r -> r.expiresAt().isBefore(before));
                return size - requests.size();
            }
        };
        PasswordlessSettingsRepository settingsRepository = new PasswordlessSettingsRepository() {
            @Override
            public Optional<PasswordlessSettings> find(String environmentId) {
                return Optional.ofNullable(settings.get(environmentId));
            }

            @Override
            public void save(String environmentId, PasswordlessSettings value, Instant updateTime) {
                settings.put(environmentId, value);
            }
        };
        EmailTemplateRepository templates = new EmailTemplateRepository() {
            @Override
            public Optional<EmailTemplate> find(String environmentId, String templateId) {
                return Optional.ofNullable(templateOverrides.get(environmentId + "/" + templateId));
            }

            @Override
            public Map<String, EmailTemplate> list(String environmentId) {
                Map<String, EmailTemplate> own = new HashMap<>();
                templateOverrides.forEach((k, v) -> {
                    if (k.startsWith(environmentId + "/")) {
                        own.put(k.substring(environmentId.length() + 1), v);
                    }
                });
                return own;
            }

            @Override
            public void save(String environmentId, String templateId, EmailTemplate template, Instant updateTime) {
                templateOverrides.put(environmentId + "/" + templateId, template);
            }

            @Override
            public boolean delete(String environmentId, String templateId) {
                return templateOverrides.remove(environmentId + "/" + templateId) != null;
            }
        };
        Mailer mailer = message -> {
            if (mailFails) {
                throw new MailDeliveryException("SMTP smtp.example.test:587: connection refused", null);
            }
            sent.add(message);
            return Mailer.Delivery.SMTP;
        };
        AuditTrail auditTrail = new AuditTrail() {
            @Override
            public void append(AuditRecord record) {
                audit.add(record);
            }

            @Override
            public List<AuditRecord> recent(String environmentId, Optional<String> type, Instant since, int limit) {
                return List.copyOf(audit);
            }
        };
        service = new PasswordlessService(repository, settingsRepository,
                new EmailTemplates(templates, PasswordlessEmails.defaults(), clock), mailer,
                new InMemoryRateLimiter(clock, 1000), PasswordlessSecrets.fromMasterKey(new byte[32]), auditTrail,
                env -> "Acme", clock, new dev.gatehouse.core.shared.Transactions() {
                    @Override
                    public <T> T inTransaction(java.util.function.Supplier<T> work) {
                        return work.get();
                    }
                });
    }

    static SendPasswordless otp(String email) {
        return SendPasswordless.headless(email, Optional.empty(), Optional.empty(), Optional.of("st-1"), Optional.empty(),
                Map.of());
    }

    static SendPasswordless link(String email) {
        return SendPasswordless.headless(email, Optional.of(PasswordlessIntent.SIGNIN),
                Optional.of("https://app.example.com/auth/callback"), Optional.empty(), Optional.empty(), Map.of());
    }

    SendResult.Sent sent(SendResult result) {
        if (result instanceof SendResult.Sent s) {
            return s;
        }
        throw new AssertionError("expected Sent, got " + result);
    }

    MailMessage lastMail() {
        return sent.getLast();
    }

    String lastCode() {
        Matcher m = CODE.matcher(lastMail().textBody());
        if (!m.find()) {
            throw new AssertionError("no code in " + lastMail().textBody());
        }
        return m.group(1);
    }

    String lastLinkToken() {
        Matcher m = LINK_TOKEN.matcher(lastMail().textBody());
        if (!m.find()) {
            throw new AssertionError("no link in " + lastMail().textBody());
        }
        return m.group(1);
    }

    List<AuditRecord> audit(String type) {
        return new ArrayList<>(audit.stream().filter(r -> r.type().equals(type)).toList());
    }
}
