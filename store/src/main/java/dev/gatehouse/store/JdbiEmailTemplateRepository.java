package dev.gatehouse.store;

import dev.gatehouse.core.mail.EmailTemplate;
import dev.gatehouse.core.mail.EmailTemplateRepository;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

public final class JdbiEmailTemplateRepository implements EmailTemplateRepository {
    private static final RowMapper<EmailTemplate> MAPPER = (rs, ctx) -> new EmailTemplate(rs.getString("subject"),
            rs.getString("text_body"), Optional.ofNullable(rs.getString("html_body")));

    private final JdbiTransactions tx;

    public JdbiEmailTemplateRepository(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public Optional<EmailTemplate> find(String environmentId, String templateId) {
        return tx.withHandle(h -> h.createQuery(
                        "select * from email_templates where environment_id = :env and template_id = :id")
                .bind("env", environmentId).bind("id", templateId).map(MAPPER).findOne());
    }

    @Override
    public Map<String, EmailTemplate> list(String environmentId) {
        Map<String, EmailTemplate> result = new LinkedHashMap<>();
        tx.withHandle(h -> h.createQuery("select * from email_templates where environment_id = :env order by template_id")
                .bind("env", environmentId)
                .map((rs, ctx) -> Map.entry(rs.getString("template_id"), MAPPER.map(rs, ctx)))
                .list()).forEach(e -> result.put(e.getKey(), e.getValue()));
        return result;
    }

    @Override
    public void save(String environmentId, String templateId, EmailTemplate template, Instant updateTime) {
        tx.inTransaction(() -> tx.withHandle(h -> {
            h.createUpdate("delete from email_templates where environment_id = :env and template_id = :id")
                    .bind("env", environmentId).bind("id", templateId).execute();
            return h.createUpdate("""
                            insert into email_templates (environment_id, template_id, subject, text_body, html_body, update_time)
                            values (:env, :id, :subject, :text, :html, :updated)""")
                    .bind("env", environmentId).bind("id", templateId).bind("subject", template.subject())
                    .bind("text", template.textBody()).bind("html", template.htmlBody().orElse(null))
                    .bind("updated", Timestamps.bind(updateTime)).execute();
        }));
    }

    @Override
    public boolean delete(String environmentId, String templateId) {
        return tx.withHandle(h -> h.createUpdate("delete from email_templates where environment_id = :env and template_id = :id")
                .bind("env", environmentId).bind("id", templateId).execute()) == 1;
    }
}
