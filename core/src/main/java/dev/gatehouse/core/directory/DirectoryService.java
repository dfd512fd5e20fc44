package dev.gatehouse.core.directory;

import dev.gatehouse.core.credential.SecretGenerator;
import dev.gatehouse.core.credential.SecretHash;
import dev.gatehouse.core.organization.OrganizationRepository;
import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.shared.IdGenerator;
import dev.gatehouse.core.shared.IdPrefix;
import dev.gatehouse.core.shared.Page;
import dev.gatehouse.core.shared.PageRequest;
import dev.gatehouse.core.shared.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The use cases of the Directories API: directories, SCIM bearer tokens, role mappings, listings. */
public final class DirectoryService {
    public static final String SECRET_PREFIX = "gds_";
    /** How long the previous token keeps working after a new one is generated (docs/DECISIONS.md D-S3). */
    public static final Duration ROTATION_GRACE = Duration.ofHours(24);
    private static final Pattern ROLE_NAME = Pattern.compile("[a-zA-Z0-9_]{1,64}");

    private final DirectoryRepository directories;
    private final DirectoryResourceRepository resources;
    private final OrganizationRepository organizations;
    private final IdGenerator ids;
    private final SecretGenerator secrets;
    private final Clock clock;
    private final Transactions tx;
    private final DirectoryEventSink events;
    private final DirectoryUserSync sync;
    private final ScimTokenCache tokenCache = new ScimTokenCache();

    public DirectoryService(DirectoryRepository directories, DirectoryResourceRepository resources,
                            OrganizationRepository organizations, IdGenerator ids, SecretGenerator secrets,
                            Clock clock, Transactions tx, DirectoryEventSink events) {
        this(directories, resources, organizations, ids, secrets, clock, tx, events, DirectoryUserLinker.NONE);
    }

    /** With the users sync: a change of the group-to-role mappings re-links every user of the directory (D-L5). */
    public DirectoryService(DirectoryRepository directories, DirectoryResourceRepository resources,
                            OrganizationRepository organizations, IdGenerator ids, SecretGenerator secrets,
                            Clock clock, Transactions tx, DirectoryEventSink events, DirectoryUserLinker linker) {
        this.sync = new DirectoryUserSync(directories, resources, linker);
        this.directories = directories;
        this.resources = resources;
        this.organizations = organizations;
        this.ids = ids;
        this.secrets = secrets;
        this.clock = clock;
        this.tx = tx;
        this.events = events;
    }

    /** A new directory, disabled until {@link #enable} (the IdP needs its endpoint and token first). */
    public Directory create(String environmentId, String organizationId, DirectoryType type, DirectoryProvider provider) {
        if (organizations.findById(environmentId, organizationId).isEmpty()) {
            throw new DomainException.NotFound("organization " + organizationId + " not found");
        }
        Instant now = now();
        Directory directory = new Directory(ids.next(IdPrefix.DIRECTORY), environmentId, organizationId,
                provider.displayName() + " directory", type, provider, false, Optional.empty(), now, now);
        directories.insert(directory);
        return directory;
    }

    public Directory get(String environmentId, String organizationId, String directoryId) {
        return directories.findById(environmentId, organizationId, directoryId)
                .orElseThrow(() -> new DomainException.NotFound("directory " + directoryId + " not found"));
    }

    public List<Directory> list(String environmentId, String organizationId) {
        return directories.listByOrganization(environmentId, organizationId);
    }

    public void delete(String environmentId, String organizationId, String directoryId) {
        tokenCache.forget(directoryId);
        if (!directories.delete(environmentId, organizationId, directoryId)) {
            throw new DomainException.NotFound("directory " + directoryId + " not found");
        }
        tokenCache.forget(directoryId);
    }

    /** The outcome of enable/disable: the resulting state and, when nothing changed, why. */
    public record Toggle(boolean enabled, Optional<String> errorMessage) {}

    public Toggle setEnabled(String environmentId, String organizationId, String directoryId, boolean enabled) {
        Toggle toggle = tx.inTransaction(() -> {
            Directory current = get(environmentId, organizationId, directoryId);
            if (current.enabled() == enabled) {
                return new Toggle(enabled, Optional.of("The directory is already " + (enabled ? "enabled" : "disabled")));
            }
            Instant now = now();
            Directory updated = current.withEnabled(enabled, now);
            directories.update(updated);
            tokenCache.forget(directoryId);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("id", updated.id());
            data.put("directory_type", updated.type().name());
            data.put("enabled", enabled);
            data.put("organization_id", updated.organizationId());
            data.put("provider", updated.provider() == DirectoryProvider.GENERIC ? "" : updated.provider().name());
            data.put("updated_at", now.toString());
            events.publish(new DirectoryEvent(enabled ? DirectoryEvent.DIRECTORY_ENABLED : DirectoryEvent.DIRECTORY_DISABLED,
                    "Directory", environmentId, updated.organizationId(), updated.id(), now, data));
            return new Toggle(enabled, Optional.empty());
        });
        tokenCache.forget(directoryId); // again after commit: a check racing the change may have remembered the old state
        return toggle;
    }

    public List<DirectorySecret> secrets(String directoryId) {
        return directories.secrets(directoryId);
    }

    /** The first bearer token of a directory; refused when one is already valid (use {@link #regenerateSecret}). */
    public IssuedDirectorySecret createSecret(String environmentId, String organizationId, String directoryId) {
        IssuedDirectorySecret issued = tx.inTransaction(() -> {
            Directory directory = get(environmentId, organizationId, directoryId);
            Instant now = now();
            if (directories.secrets(directory.id()).stream().anyMatch(s -> s.isValidAt(now))) {
                throw new DomainException.FailedPrecondition(
                        "the directory already has a bearer token; regenerate it to rotate");
            }
            return issue(environmentId, directory, now);
        });
        tokenCache.forget(directoryId);
        return issued;
    }

    /**
     * Rotation: a new token; the newest previous token stays valid for {@link #ROTATION_GRACE}, every older one
     * is deactivated at once. So at most two tokens are ever valid.
     */
    public IssuedDirectorySecret regenerateSecret(String environmentId, String organizationId, String directoryId) {
        IssuedDirectorySecret issued = tx.inTransaction(() -> {
            Directory directory = get(environmentId, organizationId, directoryId);
            Instant now = now();
            boolean keptOne = false;
            for (DirectorySecret secret : directories.secrets(directory.id())) { // newest first
                if (!secret.isValidAt(now)) {
                    if (secret.active()) {
                        directories.updateSecret(withState(secret, false, secret.expireTime()));
                    }
                    continue;
                }
                if (!keptOne) {
                    keptOne = true;
                    Instant expiry = now.plus(ROTATION_GRACE);
                    if (secret.expireTime().map(e -> e.isAfter(expiry)).orElse(true)) {
                        directories.updateSecret(withState(secret, true, Optional.of(expiry)));
                    }
                } else {
                    directories.updateSecret(withState(secret, false, Optional.of(now)));
                }
            }
            return issue(environmentId, directory, now);
        });
        tokenCache.forget(directoryId);
        return issued;
    }

    private IssuedDirectorySecret issue(String environmentId, Directory directory, Instant now) {
        tokenCache.forget(directory.id());
        String plain = secrets.next(SECRET_PREFIX);
        DirectorySecret secret = new DirectorySecret(ids.next(IdPrefix.DIRECTORY_SECRET), directory.id(),
                SecretHash.of(plain), plain.substring(plain.length() - 4), true, now, Optional.empty(), Optional.empty());
        directories.insertSecret(environmentId, secret);
        return new IssuedDirectorySecret(secret, plain);
    }

    private static DirectorySecret withState(DirectorySecret s, boolean active, Optional<Instant> expiry) {
        return new DirectorySecret(s.id(), s.directoryId(), s.hash(), s.suffix(), active, s.createTime(), expiry, s.lastUsedTime());
    }

    /**
     * The directory a SCIM request may reach with this bearer token: the named directory when the token is one of
     * its valid secrets, else empty. Every stored secret is compared in constant time, so timing tells nothing.
     * An accepted token is remembered by its SHA-256 for {@link ScimTokenCache#TTL} (D-SP1): changes made through
     * this service (enable, disable, delete, rotation) are seen at once, other nodes' within the TTL. Refusals are
     * never cached, so each one costs the full check.
     */
    public Optional<Directory> authenticateScim(String directoryId, String presentedToken) {
        if (presentedToken == null || presentedToken.isEmpty()) {
            return Optional.empty();
        }
        Instant now = now();
        SecretHash presented = SecretHash.of(presentedToken);
        Optional<Directory> cached = tokenCache.find(directoryId, presented, now);
        if (cached.isPresent()) {
            return cached;
        }
        Optional<Directory> directory = directories.findForScim(directoryId);
        if (directory.isEmpty()) {
            return Optional.empty();
        }
        DirectorySecret matched = null;
        for (DirectorySecret secret : directories.secrets(directoryId)) {
            boolean matches = ScimTokenCache.sameHash(secret.hash(), presented);
            if (matches && secret.isValidAt(now)) {
                matched = secret;
            }
        }
        if (matched == null) {
            return Optional.empty();
        }
        if (matched.lastUsedTime().map(t -> t.isBefore(now.minusSeconds(60))).orElse(true)) {
            directories.touchSecret(matched.id(), now);
        }
        tokenCache.remember(directory.get(), presented, matched.expireTime(), now);
        return directory;
    }

    /** The directory a refused SCIM request named, found without its token: for the audit record only. */
    public Optional<Directory> findForAudit(String directoryId) {
        return directories.findForScim(directoryId);
    }

    public List<RoleAssignment> roleAssignments(String environmentId, String organizationId, String directoryId) {
        Directory directory = get(environmentId, organizationId, directoryId);
        return directories.roleAssignments(environmentId, directory.id());
    }

    /**
     * Replaces the group-to-role mappings; the first one is the default role. The directory's users are re-linked in
     * the same transaction, so their memberships' roles follow the new mappings at once (D-L5).
     */
    public List<RoleAssignment> assignRoles(String environmentId, String organizationId, String directoryId,
                                            List<RoleAssignment> assignments) {
        sync.prepare(get(environmentId, organizationId, directoryId));
        return tx.inTransaction(() -> {
            Directory directory = get(environmentId, organizationId, directoryId);
            Set<String> seen = new HashSet<>();
            List<RoleAssignment> cleaned = new ArrayList<>();
            for (RoleAssignment assignment : assignments) {
                if (assignment.roleName() == null || !ROLE_NAME.matcher(assignment.roleName()).matches()) {
                    throw DomainException.InvalidArgument.of("role_assignments.assignments.role_name",
                            "role_name must match ^[a-zA-Z0-9_]{1,64}$", "string.pattern");
                }
                String groupId = assignment.groupId() == null ? "" : assignment.groupId();
                if (!groupId.isEmpty() && resources.findGroup(environmentId, directory.id(), groupId).isEmpty()) {
                    throw new DomainException.NotFound("directory group " + groupId + " not found");
                }
                if (seen.add(groupId + "\u0000" + assignment.roleName())) {
                    cleaned.add(new RoleAssignment(groupId, assignment.roleName()));
                }
            }
            directories.replaceRoleAssignments(environmentId, directory.id(), cleaned);
            sync.linkAll(directory);
            return List.copyOf(cleaned);
        });
    }

    /**
     * The roles a directory user gets: those of their mapped groups, or the default (first) role when none of their
     * groups is mapped. Used by the users sync seam.
     */
    public static List<String> rolesFor(List<RoleAssignment> assignments, List<String> groupIds) {
        List<String> roles = new ArrayList<>();
        for (RoleAssignment a : assignments) {
            if (!a.groupId().isEmpty() && groupIds.contains(a.groupId()) && !roles.contains(a.roleName())) {
                roles.add(a.roleName());
            }
        }
        if (roles.isEmpty() && !assignments.isEmpty()) {
            roles.add(assignments.getFirst().roleName());
        }
        return roles;
    }

    public Page<DirectoryUser> listUsers(String environmentId, String organizationId, String directoryId, PageRequest page,
                                         Optional<String> groupId, Optional<Instant> updatedAfter) {
        Directory directory = get(environmentId, organizationId, directoryId);
        return resources.listUsers(environmentId, directory.id(), page, groupId, updatedAfter);
    }

    public Page<DirectoryGroup> listGroups(String environmentId, String organizationId, String directoryId, PageRequest page,
                                           Optional<Instant> updatedAfter) {
        Directory directory = get(environmentId, organizationId, directoryId);
        return resources.listGroups(environmentId, directory.id(), page, updatedAfter);
    }

    public List<DirectoryGroup> groupsOfUser(Directory directory, String userId) {
        return resources.groupsOfUser(directory.environmentId(), directory.id(), userId);
    }

    public int countMembers(Directory directory, String groupId) {
        return resources.countMembers(directory.environmentId(), directory.id(), groupId);
    }

    public int countUsers(Directory directory) {
        return directories.countUsers(directory.environmentId(), directory.id());
    }

    public int countGroups(Directory directory) {
        return directories.countGroups(directory.environmentId(), directory.id());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
