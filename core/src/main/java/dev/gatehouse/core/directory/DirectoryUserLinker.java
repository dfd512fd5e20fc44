package dev.gatehouse.core.directory;

import java.util.List;
import java.util.Optional;

/**
 * Turns directory users into environment users with a membership in the directory's organization, linked by email
 * (spec §1.1 identities), with the roles their groups map to. Called inside the transaction of the SCIM change.
 * Returns the linked environment user ID, which is stored in {@code directory_users.linked_user_id}.
 * {@link EnvironmentUserLinker} is the implementation; {@link #NONE} links nobody (docs/DECISIONS.md D-S6, D-L1…).
 */
public interface DirectoryUserLinker {
    DirectoryUserLinker NONE = new DirectoryUserLinker() {
        @Override
        public Optional<String> upsert(Directory directory, DirectoryUser user, List<String> roleNames) {
            return Optional.empty();
        }

        @Override
        public void deprovision(Directory directory, DirectoryUser user) {}
    };

    /**
     * Called before the transaction of a SCIM write opens: whatever must exist first and may race with other nodes
     * (the environment's default roles) is created here, in its own transaction.
     */
    default void prepare(Directory directory) {}

    /** Creates or updates the linked user and membership; an inactive user keeps data but loses sessions. */
    Optional<String> upsert(Directory directory, DirectoryUser user, List<String> roleNames);

    /** DELETE of a directory user: removes the membership and revokes sessions. */
    void deprovision(Directory directory, DirectoryUser user);
}
