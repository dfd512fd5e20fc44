package dev.gatehouse.core.directory;

import java.util.List;

/** A directory user with the groups it is a member of (in ID order), read together in one statement. */
public record DirectoryUserWithGroups(DirectoryUser user, List<DirectoryGroup> groups) {
    public DirectoryUserWithGroups {
        groups = List.copyOf(groups);
    }
}
