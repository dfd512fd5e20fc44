package dev.gatehouse.core.user;

import dev.gatehouse.core.organization.Organization;

/**
 * Port: tells an invited user about their invitation (by email). Called after the invitation is committed; a
 * failure to send never undoes the invitation (it can be resent).
 */
public interface InvitationSender {
    InvitationSender NONE = (organization, user, membership) -> { };

    void invite(Organization organization, User user, Membership membership);
}
