package dev.gatehouse.store;

import dev.gatehouse.core.mail.DevMail;
import dev.gatehouse.core.mail.DevMailbox;
import dev.gatehouse.core.mail.EmailAddress;
import dev.gatehouse.core.mail.MailMessage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

public final class JdbiDevMailbox implements DevMailbox {
    private final JdbiTransactions tx;

    public JdbiDevMailbox(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void append(MailMessage message, String from, Instant time, int keep) {
        tx.inTransaction(() -> tx.withHandle(h -> {
            h.createUpdate("""
                            insert into dev_mail_messages (environment_id, create_time, to_address, from_address, subject,
                                text_body, html_body) values (:env, :time, :to, :from, :subject, :text, :html)""")
                    .bind("env", message.environmentId()).bind("time", Timestamps.bind(time)).bind("to", message.to())
                    .bind("from", from).bind("subject", message.subject()).bind("text", message.textBody())
                    .bind("html", message.htmlBody().orElse(null)).execute();
            // Keep the newest `keep` messages of the environment.
            Optional<Long> oldestKept = h.createQuery("""
                            select id from dev_mail_messages where environment_id = :env
                            order by id desc limit 1 offset :skip""")
                    .bind("env", message.environmentId()).bind("skip", keep - 1).mapTo(Long.class).findOne();
            oldestKept.ifPresent(id -> h.createUpdate("delete from dev_mail_messages where environment_id = :env and id < :id")
                    .bind("env", message.environmentId()).bind("id", id).execute());
            return null;
        }));
    }

    @Override
    public List<DevMail> recent(String environmentId, Optional<String> to, int limit) {
        String sql = "select * from dev_mail_messages where environment_id = :env"
                + (to.isPresent() ? " and lower(to_address) = :to" : "") + " order by id desc limit :limit";
        return tx.withHandle(h -> {
            var query = h.createQuery(sql).bind("env", environmentId).bind("limit", limit);
            to.ifPresent(address -> query.bind("to", EmailAddress.canonical(address)));
            return query.map((rs, ctx) -> new DevMail(rs.getLong("id"), rs.getString("environment_id"),
                    Timestamps.read(rs, "create_time"), rs.getString("to_address"), rs.getString("from_address"),
                    rs.getString("subject"), rs.getString("text_body"), Optional.ofNullable(rs.getString("html_body"))))
                    .list();
        });
    }
}
