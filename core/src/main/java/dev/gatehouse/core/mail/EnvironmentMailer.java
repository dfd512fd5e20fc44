package dev.gatehouse.core.mail;

import dev.gatehouse.core.shared.DomainException;
import java.time.Clock;
import java.util.Optional;

/**
 * Picks where an environment's mail goes: its own SMTP server, else the process-wide one, else (in
 * development) the dev mailbox, else nowhere, which is an error the caller reports.
 */
public final class EnvironmentMailer implements Mailer {
    private final MailSettingsService settings;
    private final MailRouting routing;
    private final MailTransport transport;
    private final DevMailbox devMailbox;
    private final Clock clock;

    public EnvironmentMailer(MailSettingsService settings, MailRouting routing, MailTransport transport,
                             DevMailbox devMailbox, Clock clock) {
        this.settings = settings;
        this.routing = routing;
        this.transport = transport;
        this.devMailbox = devMailbox;
        this.clock = clock;
    }

    /** Where an environment's mail goes now. */
    public enum Route { ENVIRONMENT_SMTP, DEFAULT_SMTP, DEV_MAILBOX, NOWHERE }

    public Route route(String environmentId) {
        if (settings.get(environmentId).isPresent()) {
            return Route.ENVIRONMENT_SMTP;
        }
        if (routing.defaultSmtp().isPresent()) {
            return Route.DEFAULT_SMTP;
        }
        return routing.devMailboxEnabled() ? Route.DEV_MAILBOX : Route.NOWHERE;
    }

    /** Sends a short message to {@code to} through the environment's route, to check the settings. */
    public Delivery sendTest(String environmentId, String to) {
        if (to == null || !EmailAddress.isValid(to.strip())) {
            throw DomainException.InvalidArgument.of("to", "to must be a valid email address", "string.email");
        }
        return send(new MailMessage(environmentId, to.strip(), "Gatehouse test email",
                "This is a test email from Gatehouse: the mail settings of environment " + environmentId + " work.\n",
                Optional.empty()));
    }

    @Override
    public Delivery send(MailMessage message) {
        Optional<SmtpSettings> smtp = settings.smtpOf(message.environmentId()).or(routing::defaultSmtp);
        if (smtp.isPresent()) {
            transport.deliver(smtp.get(), message);
            return Delivery.SMTP;
        }
        if (routing.devMailboxEnabled()) {
            devMailbox.append(message, MailRouting.DEV_FROM, clock.instant(), MailRouting.DEV_MAILBOX_KEEP);
            return Delivery.DEV_MAILBOX;
        }
        throw new DomainException.FailedPrecondition(
                "no SMTP server is configured for this environment (set one with PUT /api/v1/email/smtp or GATEHOUSE_SMTP_HOST)");
    }
}
