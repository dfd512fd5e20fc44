package dev.gatehouse.app;

import dev.gatehouse.core.login.LoginLimits;
import dev.gatehouse.core.ratelimit.RateLimit;

import dev.gatehouse.core.mail.EmailAddress;
import dev.gatehouse.core.mail.MailRouting;
import dev.gatehouse.core.mail.SmtpSettings;
import dev.gatehouse.core.mail.TlsMode;
import dev.gatehouse.http.HttpSettings;
import dev.gatehouse.oauth.key.RsaSigningSettings;
import dev.gatehouse.store.Database;
import dev.gatehouse.webhooks.WebhookSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Everything configurable, read once from {@code GATEHOUSE_*} environment variables.
 * The README's configuration table lists the same names and defaults.
 */
public record GatehouseConfig(
        int port,
        String publicUrl,
        Path dataDirectory,
        String databaseUrl,
        String databaseUser,
        String databasePassword,
        int databasePoolSize,
        Optional<String> masterKey,
        Optional<String> bootstrapClientId,
        Optional<String> bootstrapClientSecret,
        Optional<Path> tlsCertificate,
        Optional<Path> tlsPrivateKey,
        int nodeId,
        int maxRequestBytes,
        int blockingThreads,
        Duration shutdownQuietPeriod,
        Duration shutdownTimeout,
        Duration requestTimeout,
        WebhookSettings webhooks,
        MailRouting mail,
        SsoSettings sso,
        boolean auditSuccess,
        boolean testOrganization,
        LoginLimits loginLimits,
        RsaSigningSettings rsaSigning) {

    @Override
    public String toString() {
        return "GatehouseConfig[port=" + port + ", publicUrl=" + publicUrl + ", dataDirectory=" + dataDirectory
                + ", database=" + databaseUrl.replaceAll("password=[^&;]*", "password=redacted") + ", nodeId=" + nodeId + "]";
    }

    public static GatehouseConfig fromEnvironment(Map<String, String> env) {
        int port = integer(env, "GATEHOUSE_PORT", 8080, 0, 65535);
        Path data = Path.of(env.getOrDefault("GATEHOUSE_DATA_DIR", "./data"));
        String databaseUrl = nonEmpty(env, "GATEHOUSE_DATABASE_URL")
                .orElse(Database.h2FileUrl(data, bool(env, "GATEHOUSE_H2_DURABLE", false)));
        return new GatehouseConfig(
                port,
                nonEmpty(env, "GATEHOUSE_PUBLIC_URL").orElse("http://localhost:" + (port == 0 ? 8080 : port)),
                data,
                databaseUrl,
                nonEmpty(env, "GATEHOUSE_DATABASE_USER").orElse(databaseUrl.startsWith("jdbc:h2:") ? "sa" : "postgres"),
                env.getOrDefault("GATEHOUSE_DATABASE_PASSWORD", ""),
                integer(env, "GATEHOUSE_DATABASE_POOL_SIZE", 16, 1, 500),
                nonEmpty(env, "GATEHOUSE_MASTER_KEY"),
                nonEmpty(env, "GATEHOUSE_BOOTSTRAP_CLIENT_ID"),
                nonEmpty(env, "GATEHOUSE_BOOTSTRAP_CLIENT_SECRET"),
                nonEmpty(env, "GATEHOUSE_TLS_CERT").map(Path::of),
                nonEmpty(env, "GATEHOUSE_TLS_KEY").map(Path::of),
                integer(env, "GATEHOUSE_NODE_ID", 0, 0, 63),
                integer(env, "GATEHOUSE_MAX_REQUEST_BYTES", HttpSettings.DEFAULT_MAX_REQUEST_BYTES, 1024, 64 * 1024 * 1024),
                integer(env, "GATEHOUSE_BLOCKING_THREADS", 64, 2, 1024),
                Duration.ofMillis(integer(env, "GATEHOUSE_SHUTDOWN_QUIET_MILLIS", 500, 0, 600_000)),
                Duration.ofMillis(integer(env, "GATEHOUSE_SHUTDOWN_TIMEOUT_MILLIS", 15_000, 0, 600_000)),
                Duration.ofMillis(integer(env, "GATEHOUSE_REQUEST_TIMEOUT_MILLIS",
                        (int) HttpSettings.DEFAULT_REQUEST_TIMEOUT.toMillis(), 100, 600_000)),
                webhookSettings(env),
                mailRouting(env),
                ssoSettings(env),
                bool(env, "GATEHOUSE_AUDIT_SUCCESS", true),
                bool(env, "GATEHOUSE_TEST_ORGANIZATION", true),
                new LoginLimits(
                        RateLimit.perMinute(integer(env, "GATEHOUSE_LOGIN_EMAILS_PER_IP", 20, 1, RateLimit.MAX_PERMITS)),
                        RateLimit.perMinute(integer(env, "GATEHOUSE_LOGIN_PROOFS_PER_IP", 30, 1, RateLimit.MAX_PERMITS)),
                        LoginLimits.DEFAULTS.proofsPerAccount()),
                rsaSigning(env));
    }

    /** GATEHOUSE_RSA_PROVIDER (auto, openssl, conscrypt, jdk) and GATEHOUSE_LIBCRYPTO: what signs tokens (D-N1…D-N4). */
    private static RsaSigningSettings rsaSigning(Map<String, String> env) {
        try {
            return RsaSigningSettings.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** GATEHOUSE_SMTP_*: the SMTP server of environments without their own; GATEHOUSE_DEV_MAILBOX: auto, true or false. */
    private static MailRouting mailRouting(Map<String, String> env) {
        Optional<SmtpSettings> smtp = nonEmpty(env, "GATEHOUSE_SMTP_HOST").map(host -> {
            int port = integer(env, "GATEHOUSE_SMTP_PORT", 587, 1, 65535);
            String tls = nonEmpty(env, "GATEHOUSE_SMTP_TLS").orElse(port == 465 ? "tls" : "starttls");
            TlsMode mode = switch (tls) {
                case "none" -> TlsMode.NONE;
                case "starttls" -> TlsMode.STARTTLS;
                case "tls" -> TlsMode.TLS;
                default -> throw new ConfigException("GATEHOUSE_SMTP_TLS must be none, starttls or tls, got '" + tls + "'");
            };
            String from = nonEmpty(env, "GATEHOUSE_SMTP_FROM").orElseThrow(() ->
                    new ConfigException("GATEHOUSE_SMTP_FROM (the sender address) is required with GATEHOUSE_SMTP_HOST"));
            if (!EmailAddress.isValid(from)) {
                throw new ConfigException("GATEHOUSE_SMTP_FROM must be an email address, got '" + from + "'");
            }
            return new SmtpSettings(host, port, mode, nonEmpty(env, "GATEHOUSE_SMTP_USERNAME"),
                    Optional.ofNullable(env.get("GATEHOUSE_SMTP_PASSWORD")).filter(p -> !p.isEmpty()), from,
                    nonEmpty(env, "GATEHOUSE_SMTP_FROM_NAME"));
        });
        String devMailbox = nonEmpty(env, "GATEHOUSE_DEV_MAILBOX").orElse("auto");
        boolean enabled = switch (devMailbox) {
            case "auto" -> smtp.isEmpty();
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException("GATEHOUSE_DEV_MAILBOX must be auto, true or false, got '" + devMailbox + "'");
        };
        return new MailRouting(smtp, enabled);
    }

    private static SsoSettings ssoSettings(Map<String, String> env) {
        String allowPrivate = nonEmpty(env, "GATEHOUSE_SSO_ALLOW_PRIVATE_METADATA").orElse("false");
        if (!allowPrivate.equals("true") && !allowPrivate.equals("false")) {
            throw new ConfigException("GATEHOUSE_SSO_ALLOW_PRIVATE_METADATA must be true or false, got '" + allowPrivate + "'");
        }
        return new SsoSettings(allowPrivate.equals("true"),
                Duration.ofMinutes(integer(env, "GATEHOUSE_SSO_METADATA_REFRESH_MINUTES", 60, 5, 7 * 24 * 60)),
                Duration.ofSeconds(integer(env, "GATEHOUSE_SSO_CLOCK_SKEW_SECONDS", 120, 0, 600)));
    }

    private static boolean bool(Map<String, String> env, String name, boolean fallback) {
        String value = nonEmpty(env, name).orElse(Boolean.toString(fallback));
        return switch (value) {
            case "true", "on" -> true;
            case "false", "off" -> false;
            default -> throw new ConfigException(name + " must be true or false, got '" + value + "'");
        };
    }

    private static WebhookSettings webhookSettings(Map<String, String> env) {
        String allowPrivate = nonEmpty(env, "GATEHOUSE_WEBHOOKS_ALLOW_PRIVATE").orElse("false");
        if (!allowPrivate.equals("true") && !allowPrivate.equals("false")) {
            throw new ConfigException("GATEHOUSE_WEBHOOKS_ALLOW_PRIVATE must be true or false, got '" + allowPrivate + "'");
        }
        return new WebhookSettings(
                allowPrivate.equals("true"),
                Duration.ofHours(integer(env, "GATEHOUSE_WEBHOOKS_SECRET_OVERLAP_HOURS", 24, 0, 24 * 30)),
                Duration.ofDays(integer(env, "GATEHOUSE_WEBHOOKS_RETENTION_DAYS", 30, 1, 3650)),
                integer(env, "GATEHOUSE_WEBHOOKS_WORKERS", 2, 0, 64),
                Duration.ofMillis(integer(env, "GATEHOUSE_WEBHOOKS_POLL_MILLIS", 100, 10, 60_000)));
    }

    public HttpSettings httpSettings() {
        return new HttpSettings(port, tlsCertificate, tlsPrivateKey, maxRequestBytes, blockingThreads,
                shutdownQuietPeriod, shutdownTimeout, requestTimeout);
    }

    private static Optional<String> nonEmpty(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    private static int integer(Map<String, String> env, String name, int fallback, int min, int max) {
        Optional<String> raw = nonEmpty(env, name);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value < min || value > max) {
                throw new ConfigException(name + " must be between " + min + " and " + max + ", got " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a whole number, got '" + raw.get() + "'");
        }
    }

    /** A configuration value that can't be used; the message names the variable. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }
}
