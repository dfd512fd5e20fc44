package dev.gatehouse.core.mail;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** An environment's own versions of the built-in email templates, by template ID. */
public interface EmailTemplateRepository {
    Optional<EmailTemplate> find(String environmentId, String templateId);

    Map<String, EmailTemplate> list(String environmentId);

    /** Inserts or replaces. */
    void save(String environmentId, String templateId, EmailTemplate template, Instant updateTime);

    boolean delete(String environmentId, String templateId);
}
