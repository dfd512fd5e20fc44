package dev.gatehouse.core.user;

import java.util.List;

/** Storage port for environment roles. */
public interface RoleRepository {
    /** The environment's roles in creation order. */
    List<Role> list(String environmentId);

    /** Inserts; throws {@code DomainException.AlreadyExists} on a duplicate name in the environment. */
    void insert(Role role);
}
