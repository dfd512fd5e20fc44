package dev.gatehouse.core.mail;

import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.shared.FieldViolation;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The email templates of every environment: built-in defaults, each replaceable per environment,
 * and rendering with variables (values are HTML-escaped in the HTML body and kept on one line in the subject).
 */
public final class EmailTemplates {
    public static final int SUBJECT_MAX = 998;
    public static final int TEXT_MAX = 20_000;
    public static final int HTML_MAX = 100_000;

    private final EmailTemplateRepository overrides;
    private final Map<String, EmailTemplate> defaults;
    private final Clock clock;

    /** {@code defaults}: every known template ID with its built-in version. */
    public EmailTemplates(EmailTemplateRepository overrides, Map<String, EmailTemplate> defaults, Clock clock) {
        this.overrides = overrides;
        this.defaults = Map.copyOf(defaults);
        this.clock = clock;
    }

    /** One template as an environment sees it. */
    public record Effective(String id, EmailTemplate template, boolean customized) {}

    /** A template rendered with its values, ready for a {@link MailMessage}. */
    public record Rendered(String subject, String textBody, Optional<String> htmlBody) {}

    public List<Effective> list(String environmentId) {
        Map<String, EmailTemplate> own = overrides.list(environmentId);
        List<Effective> result = new ArrayList<>();
        for (String id : new TreeSet<>(defaults.keySet())) {
            EmailTemplate custom = own.get(id);
            result.add(new Effective(id, custom != null ? custom : defaults.get(id), custom != null));
        }
        return result;
    }

    public Effective get(String environmentId, String templateId) {
        EmailTemplate builtIn = known(templateId);
        return overrides.find(environmentId, templateId)
                .map(t -> new Effective(templateId, t, true))
                .orElseGet(() -> new Effective(templateId, builtIn, false));
    }

    public Effective update(String environmentId, String templateId, EmailTemplate template) {
        known(templateId);
        List<FieldViolation> violations = new ArrayList<>();
        if (template.subject() == null || template.subject().isBlank() || template.subject().length() > SUBJECT_MAX
                || template.subject().indexOf('\n') >= 0 || template.subject().indexOf('\r') >= 0) {
            violations.add(new FieldViolation("template.subject", "subject must be one line of 1 to 998 characters",
                    "string.len"));
        }
        if (template.textBody() == null || template.textBody().isBlank() || template.textBody().length() > TEXT_MAX) {
            violations.add(new FieldViolation("template.text_body", "text_body must be 1 to 20000 characters", "string.len"));
        }
        template.htmlBody().ifPresent(html -> {
            if (html.length() > HTML_MAX) {
                violations.add(new FieldViolation("template.html_body", "html_body must be at most 100000 characters",
                        "string.max_len"));
            }
        });
        if (!violations.isEmpty()) {
            throw new DomainException.InvalidArgument(violations.getFirst().description(), violations);
        }
        EmailTemplate cleaned = new EmailTemplate(template.subject(), template.textBody(),
                template.htmlBody().filter(h -> !h.isBlank()));
        overrides.save(environmentId, templateId, cleaned, clock.instant().truncatedTo(ChronoUnit.MICROS));
        return new Effective(templateId, cleaned, true);
    }

    /** Goes back to the built-in version. */
    public Effective reset(String environmentId, String templateId) {
        EmailTemplate builtIn = known(templateId);
        overrides.delete(environmentId, templateId);
        return new Effective(templateId, builtIn, false);
    }

    /** The variables a template refers to, in all of its parts. */
    public static Set<String> variables(EmailTemplate template) {
        Set<String> names = new java.util.LinkedHashSet<>(TemplateText.variables(template.subject()));
        names.addAll(TemplateText.variables(template.textBody()));
        template.htmlBody().ifPresent(h -> names.addAll(TemplateText.variables(h)));
        return names;
    }

    /**
     * Renders the environment's version of {@code templateId}. Every variable the template uses must have a
     * value: otherwise INVALID_ARGUMENT naming them (as Scalekit answers 400 for an unsupplied variable).
     */
    public Rendered render(String environmentId, String templateId, Map<String, String> values) {
        EmailTemplate template = get(environmentId, templateId).template();
        List<String> missing = variables(template).stream().filter(v -> !values.containsKey(v)).toList();
        if (!missing.isEmpty()) {
            String description = "the email template uses variables that were not supplied: " + String.join(", ", missing);
            throw DomainException.InvalidArgument.of("template_variables", description, "template.variables");
        }
        Map<String, String> all = new LinkedHashMap<>(values);
        return new Rendered(
                TemplateText.render(template.subject(), all, TemplateText::oneLine),
                TemplateText.render(template.textBody(), all, v -> v),
                template.htmlBody().map(html -> TemplateText.render(html, all, TemplateText::html)));
    }

    private EmailTemplate known(String templateId) {
        EmailTemplate builtIn = defaults.get(templateId);
        if (builtIn == null) {
            throw new DomainException.NotFound("no email template " + templateId + " (known: "
                    + String.join(", ", new TreeSet<>(defaults.keySet())) + ")");
        }
        return builtIn;
    }
}
