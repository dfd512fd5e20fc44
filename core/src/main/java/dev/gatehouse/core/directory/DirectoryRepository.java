package dev.gatehouse.core.directory;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Storage port for directories, their bearer tokens and their group-to-role mappings. */
public interface DirectoryRepository {
    void insert(Directory directory);

    Optional<Directory> findById(String environmentId, String organizationId, String directoryId);

    /**
     * Tenant-free lookup by the globally unique directory ID: what the SCIM endpoint has before the
     * bearer token is checked (the token then binds the request to this directory only).
     */
    Optional<Directory> findForScim(String directoryId);

    List<Directory> listByOrganization(String environmentId, String organizationId);

    boolean update(Directory directory);

    /**
     * Sets {@code last_synced_at} to {@code now} unless it is already at or after {@code notBefore}: one statement,
     * no read, and no row lock taken when the recorded sync is recent enough.
     */
    void recordSync(String environmentId, String directoryId, Instant now, Instant notBefore);

    boolean delete(String environmentId, String organizationId, String directoryId);

    void insertSecret(String environmentId, DirectorySecret secret);

    /** Every stored secret of the directory, newest first. */
    List<DirectorySecret> secrets(String directoryId);

    void updateSecret(DirectorySecret secret);

    void touchSecret(String secretId, Instant lastUsed);

    List<RoleAssignment> roleAssignments(String environmentId, String directoryId);

    void replaceRoleAssignments(String environmentId, String directoryId, List<RoleAssignment> assignments);

    int countUsers(String environmentId, String directoryId);

    int countGroups(String environmentId, String directoryId);
}
