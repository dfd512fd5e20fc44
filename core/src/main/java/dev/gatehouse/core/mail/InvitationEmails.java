package dev.gatehouse.core.mail;

import dev.gatehouse.core.organization.Organization;
import dev.gatehouse.core.user.InvitationSender;
import dev.gatehouse.core.user.Membership;
import dev.gatehouse.core.user.User;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Invitation emails: who invited whom to which organization, until when, and a link to the app's initiate-login URL
 * (the environment client's {@code initiate_login_uri}) with {@code login_hint} and {@code organization_id}, so the
 * app starts a sign-in straight into that organization. Accepting is signing in: the first sign-in of the invited
 * address into the organization turns the membership ACTIVE.
 */
public final class InvitationEmails implements InvitationSender {
    private static final Logger LOG = LoggerFactory.getLogger(InvitationEmails.class);

    private final Mailer mailer;
    private final Function<String, Optional<String>> initiateLoginUris;
    private final Function<String, String> appNames;

    /**
     * @param initiateLoginUris environment ID → the app's initiate-login URL, if it has one
     * @param appNames          environment ID → the name shown in the email
     */
    public InvitationEmails(Mailer mailer, Function<String, Optional<String>> initiateLoginUris,
                            Function<String, String> appNames) {
        this.mailer = mailer;
        this.initiateLoginUris = initiateLoginUris;
        this.appNames = appNames;
    }

    @Override
    public void invite(Organization organization, User user, Membership membership) {
        String environmentId = organization.environmentId();
        String app = appNames.apply(environmentId);
        String inviter = membership.inviterEmail().map(email -> email + " has invited you")
                .orElse("You have been invited");
        String expiry = membership.inviteExpireTime().map(t -> t.truncatedTo(ChronoUnit.MINUTES))
                .map(Instant::toString).map(t -> "The invitation expires " + t.replace("T", " ").replace("Z", " UTC") + ".")
                .orElse("");
        Optional<String> link = initiateLoginUris.apply(environmentId).map(uri -> uri + (uri.contains("?") ? "&" : "?")
                + "login_hint=" + encode(user.email()) + "&organization_id=" + encode(organization.id()));
        String text = inviter + " to join " + organization.displayName() + " on " + app + ".\n\n"
                + link.map(l -> "Accept the invitation by signing in:\n\n" + l + "\n\n")
                        .orElse("Accept the invitation by signing in to " + app + " with " + user.email() + ".\n\n")
                + expiry + "\n";
        try {
            mailer.send(new MailMessage(environmentId, user.email(),
                    oneLine("Join " + organization.displayName() + " on " + app), text, Optional.empty()));
        } catch (RuntimeException e) {
            LOG.warn("invitation email for {} in {} not sent ({}); it can be resent", user.id(), organization.id(),
                    e.getClass().getSimpleName());
        }
    }

    private static String oneLine(String value) {
        return value.replace('\r', ' ').replace('\n', ' ');
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
