package dev.gatehouse.core.mail;

import dev.gatehouse.core.key.SecretSealer;
import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.shared.FieldViolation;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Each environment's own SMTP server (the management API's mail settings). The password is sealed
 * with {@link SecretSealer} under the master key, bound to the environment, and never shown again.
 */
public final class MailSettingsService {
    public static final int HOST_MAX = 253;
    public static final int USERNAME_MAX = 255;
    public static final int PASSWORD_MAX = 1024;
    public static final int FROM_NAME_MAX = 200;
    private static final Pattern HOST = Pattern.compile("^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$|^\\[[0-9A-Fa-f:.]+]$");

    private final SmtpSettingsRepository settings;
    private final SecretSealer sealer;
    private final Clock clock;

    public MailSettingsService(SmtpSettingsRepository settings, SecretSealer sealer, Clock clock) {
        this.settings = settings;
        this.sealer = sealer;
        this.clock = clock;
    }

    /** The environment's own settings as stored (the password only as "set or not"). */
    public Optional<StoredSmtpSettings> get(String environmentId) {
        return settings.find(environmentId);
    }

    public StoredSmtpSettings update(String environmentId, SmtpSettingsInput input) {
        List<FieldViolation> violations = new ArrayList<>();
        if (input.host() == null || input.host().isBlank() || input.host().strip().length() > HOST_MAX
                || !HOST.matcher(input.host().strip()).matches()) {
            violations.add(new FieldViolation("host", "host must be a host name or IP address of at most 253 characters",
                    "string.hostname"));
        }
        if (input.port() < 1 || input.port() > 65535) {
            violations.add(new FieldViolation("port", "port must be between 1 and 65535", "uint32.range"));
        }
        if (input.fromAddress() == null || !EmailAddress.isValid(input.fromAddress().strip())) {
            violations.add(new FieldViolation("from_address", "from_address must be a valid email address", "string.email"));
        }
        input.fromName().ifPresent(name -> {
            if (name.length() > FROM_NAME_MAX || hasControl(name)) {
                violations.add(new FieldViolation("from_name", "from_name must be at most 200 characters on one line",
                        "string.max_len"));
            }
        });
        input.username().ifPresent(user -> {
            if (user.length() > USERNAME_MAX || hasControl(user)) {
                violations.add(new FieldViolation("username", "username must be at most 255 characters", "string.max_len"));
            }
        });
        input.password().ifPresent(password -> {
            if (password.length() > PASSWORD_MAX) {
                violations.add(new FieldViolation("password", "password must be at most 1024 characters", "string.max_len"));
            }
        });
        if (!violations.isEmpty()) {
            throw new DomainException.InvalidArgument(violations.getFirst().description(), violations);
        }
        Optional<String> sealedPassword = input.password().isPresent()
                ? input.password().filter(p -> !p.isEmpty()).map(p -> seal(environmentId, p))
                : settings.find(environmentId).flatMap(StoredSmtpSettings::sealedPassword);
        StoredSmtpSettings stored = new StoredSmtpSettings(environmentId, input.host().strip(), input.port(), input.tlsMode(),
                input.username().filter(u -> !u.isEmpty()), sealedPassword, input.fromAddress().strip(),
                input.fromName().map(String::strip).filter(n -> !n.isEmpty()), clock.instant().truncatedTo(ChronoUnit.MICROS));
        settings.save(stored);
        return stored;
    }

    public void delete(String environmentId) {
        if (!settings.delete(environmentId)) {
            throw new DomainException.NotFound("this environment has no SMTP settings of its own");
        }
    }

    /** The environment's own settings with the password opened, ready to connect with. */
    public Optional<SmtpSettings> smtpOf(String environmentId) {
        return settings.find(environmentId).map(s -> new SmtpSettings(s.host(), s.port(), s.tlsMode(), s.username(),
                s.sealedPassword().map(sealed -> open(environmentId, sealed)), s.fromAddress(), s.fromName()));
    }

    private String seal(String environmentId, String password) {
        return Base64.getEncoder().encodeToString(sealer.seal(password.getBytes(StandardCharsets.UTF_8), aad(environmentId)));
    }

    private String open(String environmentId, String sealed) {
        return new String(sealer.open(Base64.getDecoder().decode(sealed), aad(environmentId)), StandardCharsets.UTF_8);
    }

    private static String aad(String environmentId) {
        return "smtp-password:" + environmentId;
    }

    static boolean hasControl(String value) {
        return value.chars().anyMatch(Character::isISOControl);
    }
}
