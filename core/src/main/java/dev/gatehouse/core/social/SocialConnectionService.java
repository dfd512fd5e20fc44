package dev.gatehouse.core.social;

import dev.gatehouse.core.connection.SealedValue;
import dev.gatehouse.core.key.SecretSealer;
import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.shared.FieldViolation;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Social login settings per environment (Gatehouse's own API, {@code gatehouse.v1.social}): validated, the client
 * secret sealed with {@link SecretSealer} bound to the environment and provider, never returned.
 */
public final class SocialConnectionService {
    public static final int MAX_CLIENT_ID = 256;
    public static final int MAX_SECRET = 1024;
    public static final int MAX_SCOPES = 20;
    public static final int MAX_URL = 2048;
    private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,100}");

    private final SocialConnectionRepository repository;
    private final SecretSealer sealer;
    private final Clock clock;

    public SocialConnectionService(SocialConnectionRepository repository, SecretSealer sealer, Clock clock) {
        this.repository = repository;
        this.sealer = sealer;
        this.clock = clock;
    }

    public List<SocialConnection> list(String environmentId) {
        return repository.list(environmentId);
    }

    public SocialConnection get(String environmentId, String provider) {
        return repository.find(environmentId, parse(provider))
                .orElseThrow(() -> new DomainException.NotFound("social connection " + provider + " is not configured"));
    }

    /** The enabled settings of {@code provider}, for the sign-in flow. */
    public Optional<SocialConnection> active(String environmentId, String provider) {
        return SocialProvider.fromWire(provider).flatMap(p -> repository.find(environmentId, p))
                .filter(SocialConnection::enabled);
    }

    public SocialConnection put(String environmentId, SocialConnectionInput input) {
        SocialProvider provider = parse(input.provider());
        Optional<SocialConnection> existing = repository.find(environmentId, provider);
        List<FieldViolation> violations = new ArrayList<>();
        if (input.clientId().isBlank() || input.clientId().length() > MAX_CLIENT_ID) {
            violations.add(new FieldViolation("client_id", "client_id is required (at most " + MAX_CLIENT_ID
                    + " characters)", "string.len"));
        }
        if (input.clientSecret().isEmpty() && existing.isEmpty()) {
            violations.add(new FieldViolation("client_secret", "client_secret is required", "required"));
        }
        input.clientSecret().filter(s -> s.isEmpty() || s.length() > MAX_SECRET).ifPresent(s -> violations.add(
                new FieldViolation("client_secret", "client_secret must be 1-" + MAX_SECRET + " characters", "string.len")));
        if (input.scopes().size() > MAX_SCOPES || input.scopes().stream().anyMatch(s -> !SCOPE.matcher(s).matches())) {
            violations.add(new FieldViolation("scopes", "at most " + MAX_SCOPES + " scopes of printable characters",
                    "repeated.items"));
        }
        checkUrl("authorize_url", input.authorizeUrl(), violations);
        checkUrl("token_url", input.tokenUrl(), violations);
        checkUrl("profile_url", input.profileUrl(), violations);
        if (!violations.isEmpty()) {
            throw new DomainException.InvalidArgument("invalid social connection", violations);
        }
        Instant now = clock.instant();
        SealedValue secret = input.clientSecret().map(s -> seal(environmentId, provider, s))
                .orElseGet(() -> existing.orElseThrow().clientSecret());
        SocialConnection saved = new SocialConnection(environmentId, provider, input.clientId(), secret, input.scopes(),
                input.authorizeUrl(), input.tokenUrl(), input.profileUrl(), input.enabled(),
                existing.map(SocialConnection::createTime).orElse(now), now);
        repository.save(saved);
        return saved;
    }

    public void delete(String environmentId, String provider) {
        if (!repository.delete(environmentId, parse(provider))) {
            throw new DomainException.NotFound("social connection " + provider + " is not configured");
        }
    }

    /** The client secret in clear, for the token exchange only. */
    public String clientSecret(SocialConnection connection) {
        return new String(sealer.open(Base64.getDecoder().decode(connection.clientSecret().base64()),
                aad(connection.environmentId(), connection.provider())), StandardCharsets.UTF_8);
    }

    private SealedValue seal(String environmentId, SocialProvider provider, String secret) {
        return new SealedValue(Base64.getEncoder().encodeToString(
                sealer.seal(secret.getBytes(StandardCharsets.UTF_8), aad(environmentId, provider))));
    }

    private static String aad(String environmentId, SocialProvider provider) {
        return "social-client-secret:" + environmentId + ":" + provider.wire();
    }

    private static SocialProvider parse(String provider) {
        return SocialProvider.fromWire(provider == null ? "" : provider).orElseThrow(() -> DomainException.InvalidArgument
                .of("provider", "provider must be one of google, microsoft, github, gitlab, linkedin, salesforce",
                        "string.in"));
    }

    private static void checkUrl(String field, Optional<String> url, List<FieldViolation> violations) {
        if (url.isEmpty()) {
            return;
        }
        try {
            URI uri = new URI(url.get());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme();
            if (url.get().length() > MAX_URL || uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
                violations.add(new FieldViolation(field, field + " must be an absolute http(s) URL", "string.uri"));
            }
        } catch (URISyntaxException e) {
            violations.add(new FieldViolation(field, field + " must be an absolute http(s) URL", "string.uri"));
        }
    }
}
