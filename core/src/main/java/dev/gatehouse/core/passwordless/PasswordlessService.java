package dev.gatehouse.core.passwordless;

import dev.gatehouse.core.audit.AuditRecord;
import dev.gatehouse.core.audit.AuditTrail;
import dev.gatehouse.core.mail.EmailAddress;
import dev.gatehouse.core.mail.EmailTemplates;
import dev.gatehouse.core.mail.MailDeliveryException;
import dev.gatehouse.core.mail.MailMessage;
import dev.gatehouse.core.mail.Mailer;
import dev.gatehouse.core.ratelimit.RateLimit;
import dev.gatehouse.core.ratelimit.RateLimiter;
import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.shared.FieldViolation;
import dev.gatehouse.core.shared.Transactions;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Passwordless email (spec §2): send a one-time code and/or magic link, resend it, verify it. Used by
 * the headless API ({@code scalekit.v1.auth.passwordless.PasswordlessService}) and by the hosted login.
 *
 * <p>Limits: an address gets at most {@link #EMAILS_PER_ADDRESS} emails per minute, counted in the
 * database through the {@link RateLimiter} (so across nodes); a request dies after
 * {@link #MAX_FAILED_ATTEMPTS} wrong codes; a request is verified at most once. Codes and link tokens
 * are stored only as hashes and compared in constant time. Every refusal appends an audit record
 * ({@code passwordless.send.rejected}, {@code passwordless.resend.rejected}, {@code passwordless.verify.rejected}).
 *
 * <p>Invalid input to {@link #send} (address, link URI, state, expiry, template variables) throws
 * {@link DomainException.InvalidArgument} naming the API's fields; everything else is a typed result.
 */
public final class PasswordlessService {
    public static final Duration DEFAULT_EXPIRES_IN = Duration.ofSeconds(300);
    public static final Duration MIN_EXPIRES_IN = Duration.ofSeconds(60);
    public static final Duration MAX_EXPIRES_IN = Duration.ofDays(1);
    public static final int MAX_FAILED_ATTEMPTS = 5;
    public static final int EMAILS_PER_ADDRESS = 2;
    public static final RateLimit EMAIL_LIMIT = RateLimit.perMinute(EMAILS_PER_ADDRESS);
    public static final int STATE_MAX = 1000;
    public static final int MAGIC_LINK_URI_MAX = 1000;
    public static final int TEMPLATE_VARIABLES_MAX = 30;
    public static final int CODE_MAX = 20;
    public static final int LINK_TOKEN_MAX = 100;
    public static final int AUTH_REQUEST_ID_MAX = 200;
    public static final String AUDIT_SENT = "passwordless.email.sent";
    public static final String AUDIT_SEND_REJECTED = "passwordless.send.rejected";
    public static final String AUDIT_RESEND_REJECTED = "passwordless.resend.rejected";
    public static final String AUDIT_VERIFIED = "passwordless.verified";
    public static final String AUDIT_VERIFY_REJECTED = "passwordless.verify.rejected";
    /** Expired requests are kept this long (so a late verify says "expired", not "unknown"), then purged. */
    static final Duration RETENTION_AFTER_EXPIRY = Duration.ofDays(1);
    private static final int PURGE_EVERY_SENDS = 100;

    private final PasswordlessRequestRepository requests;
    private final PasswordlessSettingsRepository settings;
    private final EmailTemplates templates;
    private final Mailer mailer;
    private final RateLimiter rateLimiter;
    private final PasswordlessSecrets secrets;
    private final AuditTrail audit;
    private final Function<String, String> appNames;
    private final Clock clock;
    private final Transactions tx;
    private final AtomicLong sends = new AtomicLong();

    /** {@code appNames}: environment ID → the name emails show when the request names none. */
    public PasswordlessService(PasswordlessRequestRepository requests, PasswordlessSettingsRepository settings,
                               EmailTemplates templates, Mailer mailer, RateLimiter rateLimiter, PasswordlessSecrets secrets,
                               AuditTrail audit, Function<String, String> appNames, Clock clock, Transactions tx) {
        this.requests = requests;
        this.settings = settings;
        this.templates = templates;
        this.mailer = mailer;
        this.rateLimiter = rateLimiter;
        this.secrets = secrets;
        this.audit = audit;
        this.appNames = appNames;
        this.clock = clock;
        this.tx = tx;
    }

    // ------------------------------------------------------------------ settings

    public PasswordlessSettings settings(String environmentId) {
        return settings.find(environmentId).orElse(PasswordlessSettings.DEFAULT);
    }

    public PasswordlessSettings updateSettings(String environmentId, Optional<PasswordlessType> type,
                                               Optional<Boolean> enforceSameBrowserOrigin) {
        return tx.inTransaction(() -> {
            PasswordlessSettings current = settings(environmentId);
            PasswordlessSettings updated = new PasswordlessSettings(type.orElse(current.type()),
                    enforceSameBrowserOrigin.orElse(current.enforceSameBrowserOrigin()));
            settings.save(environmentId, updated, now());
            return updated;
        });
    }

    // ------------------------------------------------------------------ send / resend

    public SendResult send(String environmentId, SendPasswordless request, PasswordlessOrigin origin) {
        PasswordlessSettings environment = settings(environmentId);
        PasswordlessType type = request.type().orElse(environment.type());
        Duration expiresIn;
        try {
            expiresIn = checkSend(request, type);
        } catch (DomainException.InvalidArgument e) {
            audit(environmentId, AUDIT_SEND_REJECTED, AuditRecord.Outcome.FAILURE, origin, Optional.of(e.getMessage()),
                    Map.of("email", shown(request.email())));
            throw e;
        }
        Instant now = now();
        String id = secrets.newAuthRequestId();
        Credentials credentials = credentials(id, type);
        PasswordlessRequest stored = new PasswordlessRequest(id, environmentId, request.email().strip(), type,
                request.intent(), request.state().filter(s -> !s.isEmpty()), credentials.codeHash(),
                credentials.linkTokenHash(), request.magicLinkUri().filter(u -> type.sendsLink()),
                request.templateVariables(), request.appName(), request.enforceSameBrowser()
                .orElse(environment.enforceSameBrowserOrigin()), expiresIn, now.plus(expiresIn), now, now, 1, 0,
                Optional.empty());
        MailMessage message;
        try {
            message = message(stored, credentials);
        } catch (DomainException.InvalidArgument e) {
            audit(environmentId, AUDIT_SEND_REJECTED, AuditRecord.Outcome.FAILURE, origin, Optional.of(e.getMessage()),
                    Map.of("email", shown(stored.email())));
            throw e;
        }
        RateLimiter.Decision decision = rateLimiter.acquire(environmentId, rateKey(stored.email()), EMAIL_LIMIT);
        if (!decision.allowed()) {
            return refused(stored, AUDIT_SEND_REJECTED, origin, SendResult.Failure.RATE_LIMITED,
                    "at most " + EMAILS_PER_ADDRESS + " passwordless emails per minute to one address", decision.retryAfter());
        }
        requests.insert(stored);
        purgeNowAndThen(now);
        return deliver(stored, message, AUDIT_SEND_REJECTED, origin);
    }

    /** A new code and/or link for the same request (the old ones stop working), with a new expiry; same auth_request_id. */
    public SendResult resend(String environmentId, String authRequestId, PasswordlessOrigin origin) {
        if (authRequestId == null || authRequestId.isEmpty() || authRequestId.length() > AUTH_REQUEST_ID_MAX) {
            DomainException.InvalidArgument e = DomainException.InvalidArgument.of("auth_request_id",
                    "auth_request_id must be 1 to 200 characters", "string.len");
            audit(environmentId, AUDIT_RESEND_REJECTED, AuditRecord.Outcome.FAILURE, origin, Optional.of(e.getMessage()), Map.of());
            throw e;
        }
        record Prepared(PasswordlessRequest request, MailMessage message) {}
        Object outcome = tx.inTransaction(() -> {
            Optional<PasswordlessRequest> found = requests.lockById(environmentId, authRequestId);
            if (found.isEmpty()) {
                return new SendResult.Refused(SendResult.Failure.UNKNOWN_REQUEST, "unknown auth_request_id", Duration.ZERO);
            }
            PasswordlessRequest current = found.get();
            if (current.verifiedAt().isPresent()) {
                return new SendResult.Refused(SendResult.Failure.ALREADY_VERIFIED,
                        "this passwordless request was already verified", Duration.ZERO);
            }
            if (current.dead()) {
                return new SendResult.Refused(SendResult.Failure.TOO_MANY_ATTEMPTS,
                        "too many wrong codes: start over with a new passwordless email", Duration.ZERO);
            }
            RateLimiter.Decision decision = rateLimiter.acquire(environmentId, rateKey(current.email()), EMAIL_LIMIT);
            if (!decision.allowed()) {
                return new SendResult.Refused(SendResult.Failure.RATE_LIMITED, "at most " + EMAILS_PER_ADDRESS
                        + " passwordless emails per minute to one address", decision.retryAfter());
            }
            Credentials credentials = credentials(current.id(), current.type());
            PasswordlessRequest renewed = current.resent(credentials.codeHash(), credentials.linkTokenHash(), now());
            MailMessage message = message(renewed, credentials);
            requests.update(renewed);
            return new Prepared(renewed, message);
        });
        if (outcome instanceof SendResult.Refused refused) {
            audit(environmentId, AUDIT_RESEND_REJECTED, AuditRecord.Outcome.FAILURE, origin, Optional.of(refused.message()),
                    Map.of("auth_request_id", authRequestId, "failure", refused.failure().name()));
            return refused;
        }
        Prepared prepared = (Prepared) outcome;
        return deliver(prepared.request(), prepared.message(), AUDIT_RESEND_REJECTED, origin);
    }

    // ------------------------------------------------------------------ verify

    /** Verifies a one-time code of {@code authRequestId}. The 6th attempt after 5 wrong codes is TOO_MANY_ATTEMPTS. */
    public VerifyResult verifyCode(String environmentId, String authRequestId, String code, PasswordlessOrigin origin) {
        if (code == null || code.isEmpty() || code.length() > CODE_MAX) {
            return rejected(environmentId, authRequestId, origin, VerifyResult.Failure.MALFORMED,
                    code == null ? "a code or a link_token is required" : "code must be 1 to " + CODE_MAX + " characters", 0);
        }
        if (authRequestId == null || authRequestId.isEmpty() || authRequestId.length() > AUTH_REQUEST_ID_MAX) {
            return rejected(environmentId, null, origin, VerifyResult.Failure.MALFORMED,
                    "auth_request_id is required with a code", 0);
        }
        VerifyResult result = tx.inTransaction(() -> {
            Optional<PasswordlessRequest> found = requests.lockById(environmentId, authRequestId);
            if (found.isEmpty()) {
                return new VerifyResult.Rejected(VerifyResult.Failure.UNKNOWN_REQUEST, "unknown auth_request_id", 0);
            }
            PasswordlessRequest request = found.get();
            Optional<VerifyResult.Rejected> unusable = unusable(request);
            if (unusable.isPresent()) {
                return unusable.get();
            }
            if (request.codeHash().isEmpty()) {
                return new VerifyResult.Rejected(VerifyResult.Failure.WRONG_METHOD,
                        "this passwordless request sent a magic link, not a code", attemptsLeft(request));
            }
            if (!PasswordlessSecrets.same(request.codeHash().get(), secrets.codeHash(request.id(), code))) {
                PasswordlessRequest failed = request.withFailedAttempt();
                requests.update(failed);
                return new VerifyResult.Rejected(VerifyResult.Failure.WRONG_CODE, "the code is not valid",
                        attemptsLeft(failed));
            }
            return verified(request);
        });
        return audited(environmentId, authRequestId, origin, result);
    }

    /**
     * Verifies a magic link's token. {@code authRequestId} must be given when the request enforces the same
     * browser, and when given it must be the link's own request.
     */
    public VerifyResult verifyLink(String environmentId, String linkToken, Optional<String> authRequestId,
                                   PasswordlessOrigin origin) {
        if (linkToken == null || linkToken.isEmpty() || linkToken.length() > LINK_TOKEN_MAX) {
            return rejected(environmentId, authRequestId.orElse(null), origin, VerifyResult.Failure.MALFORMED,
                    "link_token must be 1 to " + LINK_TOKEN_MAX + " characters", 0);
        }
        Optional<String> claimedId = authRequestId.filter(id -> !id.isEmpty());
        if (claimedId.isPresent() && claimedId.get().length() > AUTH_REQUEST_ID_MAX) {
            return rejected(environmentId, null, origin, VerifyResult.Failure.MALFORMED,
                    "auth_request_id must be at most " + AUTH_REQUEST_ID_MAX + " characters", 0);
        }
        String hash = PasswordlessSecrets.linkTokenHash(linkToken);
        Object[] requestId = new Object[1];
        VerifyResult result = tx.inTransaction(() -> {
            Optional<PasswordlessRequest> found = requests.lockByLinkTokenHash(environmentId, hash)
                    .filter(r -> r.linkTokenHash().map(h -> PasswordlessSecrets.same(h, hash)).orElse(false));
            if (found.isEmpty()) {
                return new VerifyResult.Rejected(VerifyResult.Failure.INVALID_LINK,
                        "The magic link is invalid or has expired.", 0);
            }
            PasswordlessRequest request = found.get();
            requestId[0] = request.id();
            Optional<VerifyResult.Rejected> unusable = unusable(request);
            if (unusable.isPresent()) {
                return unusable.get();
            }
            if (claimedId.isEmpty() && request.enforceSameBrowser()) {
                return new VerifyResult.Rejected(VerifyResult.Failure.SAME_BROWSER_REQUIRED,
                        "auth_request_id is required: this magic link must be completed in the browser that asked for it",
                        attemptsLeft(request));
            }
            if (claimedId.isPresent() && !PasswordlessSecrets.same(request.id(), claimedId.get())) {
                PasswordlessRequest failed = request.withFailedAttempt();
                requests.update(failed);
                return new VerifyResult.Rejected(VerifyResult.Failure.WRONG_BROWSER,
                        "this magic link belongs to another auth_request_id", attemptsLeft(failed));
            }
            return verified(request);
        });
        return audited(environmentId, requestId[0] != null ? (String) requestId[0] : claimedId.orElse(null), origin, result);
    }

    // ------------------------------------------------------------------ internals

    private record Credentials(Optional<String> code, Optional<String> codeHash, Optional<String> linkToken,
                               Optional<String> linkTokenHash) {}

    private Credentials credentials(String authRequestId, PasswordlessType type) {
        Optional<String> code = type.sendsCode() ? Optional.of(secrets.newCode()) : Optional.empty();
        Optional<String> token = type.sendsLink() ? Optional.of(secrets.newLinkToken()) : Optional.empty();
        return new Credentials(code, code.map(c -> secrets.codeHash(authRequestId, c)), token,
                token.map(PasswordlessSecrets::linkTokenHash));
    }

    private MailMessage message(PasswordlessRequest request, Credentials credentials) {
        Optional<String> link = credentials.linkToken().map(token -> magicLink(request.magicLinkUri().orElseThrow(), token));
        String appName = request.appName().orElseGet(() -> appNames.apply(request.environmentId()));
        String templateId = PasswordlessEmails.templateId(request.type(), request.intent().orElse(PasswordlessIntent.SIGNIN));
        EmailTemplates.Rendered rendered = templates.render(request.environmentId(), templateId,
                PasswordlessEmails.variables(request, credentials.code(), link, appName));
        return new MailMessage(request.environmentId(), request.email(), rendered.subject(), rendered.textBody(),
                rendered.htmlBody());
    }

    /** {@code <uri>?link_token=<token>}, or {@code &link_token=} when the URI already has a query. */
    static String magicLink(String uri, String token) {
        return uri + (uri.indexOf('?') >= 0 ? "&" : "?") + "link_token=" + token;
    }

    private SendResult deliver(PasswordlessRequest request, MailMessage message, String rejectionType,
                               PasswordlessOrigin origin) {
        Mailer.Delivery delivery;
        try {
            delivery = mailer.send(message);
        } catch (MailDeliveryException e) {
            requests.delete(request.environmentId(), request.id());
            return refused(request, rejectionType, origin, SendResult.Failure.MAIL_FAILED,
                    "the email could not be sent: " + e.getMessage(), Duration.ZERO);
        } catch (DomainException.FailedPrecondition e) {
            requests.delete(request.environmentId(), request.id());
            return refused(request, rejectionType, origin, SendResult.Failure.MAIL_NOT_CONFIGURED, e.getMessage(),
                    Duration.ZERO);
        }
        audit(request.environmentId(), AUDIT_SENT, AuditRecord.Outcome.SUCCESS, origin, Optional.empty(),
                Map.of("auth_request_id", request.id(), "passwordless_type", request.type().name(), "email", request.email(),
                        "delivery", delivery.name(), "send_count", Integer.toString(request.sendCount())));
        return new SendResult.Sent(request.id(), request.environmentId(), request.email(), request.type(), request.intent(),
                request.expiresAt(), request.expiresIn(), delivery);
    }

    private SendResult.Refused refused(PasswordlessRequest request, String auditType, PasswordlessOrigin origin,
                                       SendResult.Failure failure, String message, Duration retryAfter) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("failure", failure.name());
        attributes.put("email", request.email());
        if (failure != SendResult.Failure.RATE_LIMITED) {
            attributes.put("auth_request_id", request.id());
        }
        audit(request.environmentId(), auditType, AuditRecord.Outcome.FAILURE, origin, Optional.of(message), attributes);
        return new SendResult.Refused(failure, message, retryAfter);
    }

    private Optional<VerifyResult.Rejected> unusable(PasswordlessRequest request) {
        if (request.verifiedAt().isPresent()) {
            return Optional.of(new VerifyResult.Rejected(VerifyResult.Failure.ALREADY_USED,
                    "this passwordless request was already verified", 0));
        }
        if (request.dead()) {
            return Optional.of(new VerifyResult.Rejected(VerifyResult.Failure.TOO_MANY_ATTEMPTS,
                    "too many wrong codes: start over with a new passwordless email", 0));
        }
        if (request.expired(now())) {
            return Optional.of(new VerifyResult.Rejected(VerifyResult.Failure.EXPIRED,
                    "the code or link has expired", attemptsLeft(request)));
        }
        return Optional.empty();
    }

    private VerifyResult.Verified verified(PasswordlessRequest request) {
        Instant now = now();
        requests.update(request.verified(now));
        return new VerifyResult.Verified(request.id(), request.environmentId(), request.email(), request.type(),
                request.intent(), request.state(), now);
    }

    private VerifyResult audited(String environmentId, String authRequestId, PasswordlessOrigin origin, VerifyResult result) {
        switch (result) {
            case VerifyResult.Verified v -> audit(environmentId, AUDIT_VERIFIED, AuditRecord.Outcome.SUCCESS, origin,
                    Optional.empty(), Map.of("auth_request_id", v.authRequestId(), "passwordless_type", v.type().name(),
                    "email", v.email()));
            case VerifyResult.Rejected r -> rejected(environmentId, authRequestId, origin, r.failure(), r.message(),
                    r.attemptsLeft());
        }
        return result;
    }

    private VerifyResult.Rejected rejected(String environmentId, String authRequestId, PasswordlessOrigin origin,
                                           VerifyResult.Failure failure, String message, int attemptsLeft) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("failure", failure.name());
        if (authRequestId != null && authRequestId.length() <= AUTH_REQUEST_ID_MAX) {
            attributes.put("auth_request_id", authRequestId);
        }
        audit(environmentId, AUDIT_VERIFY_REJECTED, AuditRecord.Outcome.FAILURE, origin, Optional.of(message), attributes);
        return new VerifyResult.Rejected(failure, message, attemptsLeft);
    }

    private static int attemptsLeft(PasswordlessRequest request) {
        return Math.max(0, MAX_FAILED_ATTEMPTS - request.failedAttempts());
    }

    private Duration checkSend(SendPasswordless request, PasswordlessType type) {
        List<FieldViolation> violations = new ArrayList<>();
        if (request.email() == null || request.email().isBlank()) {
            violations.add(new FieldViolation("email", "email is required", "required"));
        } else if (!EmailAddress.isValid(request.email().strip())) {
            violations.add(new FieldViolation("email", "email must be a valid email address of at most 254 characters",
                    "string.email"));
        }
        if (type.sendsLink()) {
            Optional<String> uri = request.magicLinkUri().filter(u -> !u.isEmpty());
            if (uri.isEmpty()) {
                violations.add(new FieldViolation("magiclink_auth_uri",
                        "magiclink_auth_uri is required when passwordless emails carry a magic link (" + type + ")",
                        "required"));
            } else {
                checkMagicLinkUri(uri.get(), violations);
            }
        }
        request.state().ifPresent(state -> {
            if (state.length() > STATE_MAX) {
                violations.add(new FieldViolation("state", "state must be at most 1000 characters", "string.max_len"));
            }
        });
        Duration expiresIn = request.expiresIn().filter(d -> !d.isZero()).orElse(DEFAULT_EXPIRES_IN);
        if (expiresIn.compareTo(MIN_EXPIRES_IN) < 0 || expiresIn.compareTo(MAX_EXPIRES_IN) > 0) {
            violations.add(new FieldViolation("expires_in", "expires_in must be between 60 and 86400 seconds", "uint32.range"));
        }
        request.appName().ifPresent(name -> {
            if (name.isBlank() || name.length() > 200) {
                violations.add(new FieldViolation("app_name", "app_name must be 1 to 200 characters", "string.len"));
            }
        });
        checkTemplateVariables(request.templateVariables(), violations);
        if (!violations.isEmpty()) {
            throw new DomainException.InvalidArgument(violations.getFirst().description(), violations);
        }
        return expiresIn;
    }

    private static void checkMagicLinkUri(String value, List<FieldViolation> violations) {
        String problem = null;
        if (value.length() > MAGIC_LINK_URI_MAX) {
            problem = "magiclink_auth_uri must be at most 1000 characters";
        } else {
            try {
                URI uri = new URI(value);
                if (uri.getScheme() == null || !(uri.getScheme().equalsIgnoreCase("https") || uri.getScheme().equalsIgnoreCase("http"))
                        || uri.getHost() == null) {
                    problem = "magiclink_auth_uri must be an absolute http(s) URL";
                } else if (uri.getRawFragment() != null) {
                    problem = "magiclink_auth_uri must not have a fragment";
                }
            } catch (URISyntaxException e) {
                problem = "magiclink_auth_uri is not a valid URL";
            }
        }
        if (problem != null) {
            violations.add(new FieldViolation("magiclink_auth_uri", problem, "string.uri"));
        }
    }

    private static void checkTemplateVariables(Map<String, String> variables, List<FieldViolation> violations) {
        if (variables.size() > TEMPLATE_VARIABLES_MAX) {
            violations.add(new FieldViolation("template_variables", "template_variables may hold at most 30 pairs",
                    "map.max_pairs"));
            return;
        }
        variables.forEach((key, value) -> {
            String field = "template_variables[" + key.replaceAll("\\p{Cntrl}", "?") + "]";
            if (key.length() < 2 || key.length() > 25 || !key.matches("[A-Za-z0-9_.-]+")) {
                violations.add(new FieldViolation(field, "keys must be 2 to 25 letters, digits, '_', '.' or '-'",
                        "map.keys.string.pattern"));
            } else if (PasswordlessEmails.RESERVED_VARIABLES.contains(key)) {
                violations.add(new FieldViolation(field, "'" + key + "' is reserved: Gatehouse fills it in", "map.keys.reserved"));
            }
            if (value == null || value.length() > 256) {
                violations.add(new FieldViolation(field, "values must be at most 256 characters", "map.values.string.max_len"));
            }
        });
    }

    private void audit(String environmentId, String type, AuditRecord.Outcome outcome, PasswordlessOrigin origin,
                       Optional<String> reason, Map<String, String> attributes) {
        audit.append(new AuditRecord(clock.instant(), Optional.of(environmentId), Optional.empty(), type, outcome,
                origin.actor(), reason, origin.remoteAddress(), attributes));
    }

    private void purgeNowAndThen(Instant now) {
        if (sends.incrementAndGet() % PURGE_EVERY_SENDS == 0) {
            requests.deleteExpiredBefore(now.minus(RETENTION_AFTER_EXPIRY));
        }
    }

    private static String rateKey(String email) {
        return "passwordless-email:" + EmailAddress.canonical(email.strip());
    }

    /** An address as written by the caller, cut to a length the audit trail keeps. */
    private static String shown(String email) {
        if (email == null) {
            return "";
        }
        String oneLine = email.replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() > 320 ? oneLine.substring(0, 320) : oneLine;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
