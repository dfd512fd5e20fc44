package dev.gatehouse.core.user;

import java.util.List;

/** A user with their memberships, as the API returns them. */
public record UserView(User user, List<Membership> memberships) {
    public UserView {
        memberships = List.copyOf(memberships);
    }
}
