package dev.gatehouse.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.filters.FilterType;
import dev.gatehouse.core.audit.AuditTrail;
import dev.gatehouse.core.directory.Directory;
import dev.gatehouse.core.directory.DirectoryEvent;
import dev.gatehouse.core.directory.DirectoryEventSink;
import dev.gatehouse.core.directory.DirectoryGroup;
import dev.gatehouse.core.directory.DirectoryRepository;
import dev.gatehouse.core.directory.DirectoryResourceRepository;
import dev.gatehouse.core.directory.DirectoryService;
import dev.gatehouse.core.directory.DirectoryUser;
import dev.gatehouse.core.directory.DirectoryUserLinker;
import dev.gatehouse.core.directory.DirectoryUserSync;
import dev.gatehouse.core.directory.DirectoryUserWithGroups;
import dev.gatehouse.core.directory.RoleAssignment;
import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.shared.IdGenerator;
import dev.gatehouse.core.shared.IdPrefix;
import dev.gatehouse.core.shared.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SCIM 2.0 service provider of one directory (RFC 7643/7644): discovery, Users and Groups. Framework-free:
 * a {@link ScimRequest} already bound to its directory in, a {@link ScimResponse} out. Every failure is a SCIM error;
 * an unexpected one is a logged 500 in the same shape.
 */
public final class ScimEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(ScimEndpoint.class);
    private static final Set<String> USER_SCHEMAS = Set.of(ScimSchemas.USER, ScimSchemas.ENTERPRISE_USER);
    private static final Set<String> GROUP_SCHEMAS = Set.of(ScimSchemas.GROUP);

    private final DirectoryResourceRepository resources;
    private final DirectoryRepository directories;
    private final Transactions tx;
    private final IdGenerator ids;
    private final Clock clock;
    private final DirectoryEventSink events;
    private final DirectoryUserSync sync;
    private final ScimChangeAudit changes;
    private final ScimSchemas schemas = new ScimSchemas();
    private static final Duration SYNC_RESOLUTION = Duration.ofSeconds(60);
    private final Map<String, Instant> lastRecordedSync = new ConcurrentHashMap<>();

    public ScimEndpoint(DirectoryResourceRepository resources, DirectoryRepository directories, Transactions tx,
                        IdGenerator ids, Clock clock, DirectoryEventSink events, DirectoryUserLinker linker,
                        AuditTrail audit) {
        this.resources = resources;
        this.directories = directories;
        this.tx = tx;
        this.ids = ids;
        this.clock = clock;
        this.events = events;
        this.sync = new DirectoryUserSync(directories, resources, linker);
        this.changes = new ScimChangeAudit(audit, clock);
    }

    public ScimResponse handle(Directory directory, ScimRequest request) {
        try {
            if (!directory.enabled()) {
                throw new ScimProblem(403, null, "directory sync is disabled for this directory");
            }
            if (!request.method().equals("GET")) {
                sync.prepare(directory);
            }
            return route(directory, request);
        } catch (ScimProblem problem) {
            return problem.toResponse();
        } catch (DomainException.AlreadyExists e) {
            return new ScimProblem(409, "uniqueness", e.getMessage()).toResponse();
        } catch (DomainException.NotFound e) {
            return ScimProblem.notFound(e.getMessage()).toResponse();
        } catch (DomainException e) {
            return ScimProblem.badRequest("invalidValue", e.getMessage()).toResponse();
        } catch (RuntimeException e) {
            LOG.error("SCIM request {} {} of directory {} failed", request.method(), request.path(), directory.id(), e);
            return new ScimProblem(500, null, "internal error").toResponse();
        }
    }

    private ScimResponse route(Directory directory, ScimRequest request) {
        String path = request.path();
        while (path.endsWith("/") && path.length() > 1) {
            path = path.substring(0, path.length() - 1);
        }
        String[] segments = path.startsWith("/") ? path.substring(1).split("/", -1) : path.split("/", -1);
        String collection = segments[0];
        String id = segments.length > 1 ? segments[1] : null;
        if (segments.length > 2) {
            throw ScimProblem.notFound("no such endpoint: " + path);
        }
        String method = request.method();
        String base = request.baseUrl();
        switch (collection) {
            case "ServiceProviderConfig" -> {
                requireGet(method, id == null);
                return ok(schemas.serviceProviderConfig(base));
            }
            case "ResourceTypes" -> {
                requireGet(method, true);
                List<ObjectNode> types = schemas.resourceTypes(base);
                return id == null ? ok(ScimSchemas.listOf(types)) : ok(types.stream()
                        .filter(t -> t.path("id").asText().equals(id)).findFirst()
                        .orElseThrow(() -> ScimProblem.notFound("no resource type " + id)));
            }
            case "Schemas" -> {
                requireGet(method, true);
                List<ObjectNode> all = schemas.schemas(base);
                return id == null ? ok(ScimSchemas.listOf(all)) : ok(all.stream()
                        .filter(t -> t.path("id").asText().equals(id)).findFirst()
                        .orElseThrow(() -> ScimProblem.notFound("no schema " + id)));
            }
            case "Bulk" -> throw new ScimProblem(501, null, "bulk operations are not supported (see ServiceProviderConfig)");
            case "Users", "Groups" -> {
                boolean users = collection.equals("Users");
                if (id == null) {
                    return switch (method) {
                        case "GET" -> list(directory, request, request.query(), users);
                        case "POST" -> users ? createUser(directory, request) : createGroup(directory, request);
                        default -> throw methodNotAllowed(method);
                    };
                }
                if (id.equals(".search")) {
                    if (!method.equals("POST")) {
                        throw methodNotAllowed(method);
                    }
                    return list(directory, request, searchQuery(request.body()), users);
                }
                return switch (method) {
                    case "GET" -> users ? getUser(directory, request, id) : getGroup(directory, request, id);
                    case "PUT" -> users ? replaceUser(directory, request, id) : replaceGroup(directory, request, id);
                    case "PATCH" -> users ? patchUser(directory, request, id) : patchGroup(directory, request, id);
                    case "DELETE" -> users ? deleteUser(directory, request, id) : deleteGroup(directory, request, id);
                    default -> throw methodNotAllowed(method);
                };
            }
            default -> throw ScimProblem.notFound("no such endpoint: " + path);
        }
    }

    private static void requireGet(String method, boolean valid) {
        if (!method.equals("GET")) {
            throw methodNotAllowed(method);
        }
        if (!valid) {
            throw ScimProblem.notFound("no such endpoint");
        }
    }

    private static ScimProblem methodNotAllowed(String method) {
        return new ScimProblem(405, null, "method " + method + " is not allowed here");
    }

    private static ScimResponse ok(ObjectNode body) {
        return ScimResponse.of(200, body.toString());
    }

    // ---------------------------------------------------------------- listing

    private ScimResponse list(Directory directory, ScimRequest request, Map<String, List<String>> query, boolean users) {
        ScimRequest q = new ScimRequest(request.method(), request.path(), query, "", request.baseUrl());
        Optional<Filter> filter = q.param("filter").filter(f -> !f.isBlank()).map(ScimFilters::parse);
        int startIndex = Math.max(1, integer(q, "startIndex", 1));
        int count = Math.min(ScimSchemas.MAX_RESULTS, Math.max(0, integer(q, "count", ScimSchemas.DEFAULT_COUNT)));
        Optional<String> sortBy = q.param("sortBy").filter(s -> !s.isBlank());
        boolean descending = q.param("sortOrder").map(o -> {
            String order = o.toLowerCase(Locale.ROOT);
            if (!order.equals("ascending") && !order.equals("descending")) {
                throw ScimProblem.badRequest("invalidValue", "sortOrder must be ascending or descending");
            }
            return order.equals("descending");
        }).orElse(false);
        String needs = (q.param("filter").orElse("") + " " + sortBy.orElse("")).toLowerCase(Locale.ROOT);
        Optional<String> attributes = q.param("attributes");
        Optional<String> excluded = q.param("excludedAttributes");
        String coreSchema = users ? ScimSchemas.USER : ScimSchemas.GROUP;

        List<ObjectNode> candidates = new ArrayList<>();
        Map<String, List<DirectoryGroup>> groupsRead = new HashMap<>();
        if (users) {
            boolean withGroups = needs.contains("groups");
            for (DirectoryUser user : userCandidates(directory, filter, groupsRead)) {
                candidates.add(userNode(user, request.baseUrl(),
                        withGroups ? Optional.of(groupsOf(directory, user.id(), groupsRead)) : Optional.empty()));
            }
        } else {
            boolean withMembers = needs.contains("members");
            for (DirectoryGroup group : groupCandidates(directory, filter)) {
                candidates.add(groupNode(directory, group, request.baseUrl(), withMembers));
            }
        }
        List<ObjectNode> matched = filter.map(f -> candidates.stream().filter(n -> ScimFilters.matches(f, n)).toList())
                .orElse(candidates);
        if (sortBy.isPresent()) {
            matched = new ArrayList<>(matched);
            matched.sort(ScimFilters.comparator(sortBy.get(), descending));
        }
        int from = (int) Math.min((long) startIndex - 1, matched.size());
        int to = (int) Math.min((long) from + count, matched.size());
        List<ObjectNode> page = matched.subList(from, to);

        ObjectNode list = ScimJson.NODES.objectNode();
        list.putArray("schemas").add(ScimSchemas.LIST_RESPONSE);
        list.put("totalResults", matched.size()).put("startIndex", startIndex).put("itemsPerPage", page.size());
        ArrayNode out = list.putArray("Resources");
        boolean wantsComputed = !excludes(excluded, users ? "groups" : "members");
        for (ObjectNode node : page) {
            if (users && !needs.contains("groups") && wantsComputed) {
                addGroups(node, groupsOf(directory, node.path("id").asText(), groupsRead), request.baseUrl());
            } else if (!users && !needs.contains("members") && wantsComputed) {
                addMembers(directory, node, request.baseUrl());
            }
            out.add(ScimJson.project(node, attributes, excluded, coreSchema));
        }
        return ok(list);
    }

    /**
     * {@code userName eq "x"}, the lookup every IdP makes before a create, is answered by the unique index, with the
     * user's groups in the same statement (put in {@code groupsRead}); no count query, no scan (D-SP3).
     */
    private List<DirectoryUser> userCandidates(Directory directory, Optional<Filter> filter,
                                               Map<String, List<DirectoryGroup>> groupsRead) {
        if (filter.isPresent() && filter.get().getFilterType() == FilterType.EQUAL) {
            Filter eq = filter.get();
            var attribute = eq.getAttributePath();
            if (attribute.size() == 1 && attribute.getElement(0).getValueFilter() == null
                    && attribute.getElement(0).getAttribute().equalsIgnoreCase("userName")
                    && (attribute.getSchemaUrn() == null || attribute.getSchemaUrn().equalsIgnoreCase(ScimSchemas.USER))
                    && eq.getComparisonValue() != null && eq.getComparisonValue().isTextual()) {
                Optional<DirectoryUserWithGroups> found = resources.findUserWithGroupsByUserName(directory.environmentId(),
                        directory.id(), eq.getComparisonValue().asText());
                found.ifPresent(f -> groupsRead.put(f.user().id(), f.groups()));
                return found.map(f -> List.of(f.user())).orElse(List.of());
            }
        }
        return resources.allUsers(directory.environmentId(), directory.id());
    }

    private List<DirectoryGroup> groupCandidates(Directory directory, Optional<Filter> filter) {
        return resources.allGroups(directory.environmentId(), directory.id());
    }

    private static boolean excludes(Optional<String> excluded, String attribute) {
        return excluded.map(e -> {
            for (String part : e.split(",")) {
                if (part.strip().equalsIgnoreCase(attribute)) {
                    return true;
                }
            }
            return false;
        }).orElse(false);
    }

    private static int integer(ScimRequest request, String name, int fallback) {
        Optional<String> value = request.param(name);
        if (value.isEmpty() || value.get().isBlank()) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value.get().strip());
            return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, parsed));
        } catch (NumberFormatException e) {
            throw ScimProblem.badRequest("invalidValue", name + " must be an integer");
        }
    }

    /** A SearchRequest body (POST /.search, RFC 7644 §3.4.3) as the query parameters of a GET. */
    private static Map<String, List<String>> searchQuery(String body) {
        ObjectNode search = ScimJson.parseObject(body);
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (String name : List.of("filter", "sortBy", "sortOrder", "startIndex", "count", "attributes", "excludedAttributes")) {
            JsonNode value = ScimJson.get(search, name);
            if (value == null || value.isNull()) {
                continue;
            }
            if (value.isArray()) {
                List<String> parts = new ArrayList<>();
                value.forEach(v -> parts.add(v.asText()));
                query.put(name, List.of(String.join(",", parts)));
            } else if (value.isValueNode()) {
                query.put(name, List.of(value.asText()));
            } else {
                throw ScimProblem.badRequest("invalidValue", name + " has an invalid value");
            }
        }
        return query;
    }

    // ---------------------------------------------------------------- users

    private ScimResponse getUser(Directory directory, ScimRequest request, String id) {
        DirectoryUser user = findUser(directory, id);
        ObjectNode node = userNode(user, request.baseUrl(), excludes(request.param("excludedAttributes"), "groups")
                ? Optional.empty() : Optional.of(groupsOf(directory, user.id())));
        return ok(ScimJson.project(node, request.param("attributes"), request.param("excludedAttributes"), ScimSchemas.USER));
    }

    private DirectoryUser findUser(Directory directory, String id) {
        return resources.findUser(directory.environmentId(), directory.id(), id)
                .orElseThrow(() -> ScimProblem.notFound("User " + id + " not found"));
    }

    private DirectoryUser lockUser(Directory directory, String id) {
        return resources.lockUser(directory.environmentId(), directory.id(), id)
                .orElseThrow(() -> ScimProblem.notFound("User " + id + " not found"));
    }

    /**
     * A write reads each row once (D-SP2): the role mappings and the user's groups are read one time and serve the
     * link, the event and the response; a new user is in no group, so its groups are not read at all. The userName
     * uniqueness check is the unique index itself (no lookup first).
     */
    private ScimResponse createUser(Directory directory, ScimRequest request) {
        ObjectNode resource = userResource(ScimJson.parseObject(request.body()));
        DirectoryUser created = tx.inTransaction(() -> {
            Instant now = now();
            DirectoryUser user = toUser(directory, ids.next(IdPrefix.DIRECTORY_USER), resource, Optional.empty(), now, now);
            // Linked first, so the row is inserted once with its link (D-SW3); a taken userName still fails the
            // insert, and the transaction, link included, rolls back.
            List<RoleAssignment> assignments = directories.roleAssignments(directory.environmentId(), directory.id());
            DirectoryUser linked = sync.linkUnstored(directory, user, assignments);
            try {
                resources.insertUser(linked);
            } catch (DomainException.AlreadyExists e) {
                throw new ScimProblem(409, "uniqueness", "a user with userName '" + user.userName() + "' already exists");
            }
            publishUser(directory, DirectoryEvent.USER_CREATED, linked, resource, List.of(), assignments, now);
            touch(directory, now);
            return linked;
        });
        changes.record(directory, request, "scim.user.created", created.id(), Optional.empty(),
                Optional.of(ScimChangeAudit.snapshot(created.id(), resource)));
        ObjectNode node = userNode(created, resource, request.baseUrl(), Optional.of(List.of()));
        return new ScimResponse(201, Map.of("location", node.path("meta").path("location").asText()), node.toString());
    }

    private ScimResponse replaceUser(Directory directory, ScimRequest request, String id) {
        ObjectNode resource = userResource(ScimJson.parseObject(request.body()));
        Written updated = tx.inTransaction(() -> {
            DirectoryUser current = lockUser(directory, id);
            Instant now = now();
            DirectoryUser user = toUser(directory, id, resource, current.linkedUserId(), current.createTime(), now);
            resources.updateUser(user);
            List<DirectoryGroup> groups = resources.groupsOfUser(directory.environmentId(), directory.id(), id);
            return new Written(write(directory, user, resource, groups, DirectoryEvent.USER_UPDATED, now), resource, groups,
                    ScimChangeAudit.snapshot(id, readStored(current.resourceJson())));
        });
        changes.record(directory, request, "scim.user.replaced", id, Optional.of(updated.before()),
                Optional.of(ScimChangeAudit.snapshot(id, updated.resource())));
        return ok(userNode(updated.user(), updated.resource(), request.baseUrl(), Optional.of(updated.groups())));
    }

    private ScimResponse patchUser(Directory directory, ScimRequest request, String id) {
        List<ScimPatch.Op> ops = ScimPatch.parse(request.body(), USER_SCHEMAS);
        Written updated = tx.inTransaction(() -> {
            DirectoryUser current = lockUser(directory, id);
            ObjectNode resource = (ObjectNode) readStored(current.resourceJson());
            ObjectNode before = ScimChangeAudit.snapshot(id, resource);
            for (ScimPatch.Op op : ops) {
                if (op.targets("id") || op.targets("meta") || op.targets("groups")) {
                    throw ScimProblem.badRequest("mutability", "'" + op.path() + "' is read-only");
                }
                ScimPatch.apply(op, resource);
            }
            ObjectNode checked = userResource(resource);
            Instant now = now();
            DirectoryUser user = toUser(directory, id, checked, current.linkedUserId(), current.createTime(), now);
            resources.updateUser(user);
            List<DirectoryGroup> groups = resources.groupsOfUser(directory.environmentId(), directory.id(), id);
            return new Written(write(directory, user, checked, groups, DirectoryEvent.USER_UPDATED, now), checked, groups,
                    before);
        });
        changes.record(directory, request, "scim.user.patched", id, Optional.of(updated.before()),
                Optional.of(ScimChangeAudit.snapshot(id, updated.resource())));
        return ok(userNode(updated.user(), updated.resource(), request.baseUrl(), Optional.of(updated.groups())));
    }

    /**
     * A user written in a transaction, with its stored resource (parsed), its groups as read there, and the resource
     * before the write as audited.
     */
    private record Written(DirectoryUser user, ObjectNode resource, List<DirectoryGroup> groups, ObjectNode before) {}

    /** The rest of a user write, after its row is stored: link, event, sync time. Returns the user as linked. */
    private DirectoryUser write(Directory directory, DirectoryUser user, ObjectNode resource, List<DirectoryGroup> groups,
                                String eventType, Instant now) {
        List<RoleAssignment> assignments = directories.roleAssignments(directory.environmentId(), directory.id());
        DirectoryUser linked = sync.link(directory, user, assignments, groups);
        publishUser(directory, eventType, linked, resource, groups, assignments, now);
        touch(directory, now);
        return linked;
    }

    private ScimResponse deleteUser(Directory directory, ScimRequest request, String id) {
        DirectoryUser deleted = tx.inTransaction(() -> {
            DirectoryUser user = findUser(directory, id);
            sync.deprovision(directory, user);
            resources.deleteUser(directory.environmentId(), directory.id(), id);
            Instant now = now();
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("id", user.id());
            data.put("organization_id", directory.organizationId());
            data.put("dp_id", user.externalId().orElse(null));
            data.put("email", user.email().orElse(null));
            events.publish(new DirectoryEvent(DirectoryEvent.USER_DELETED, "DirectoryUser", directory.environmentId(),
                    directory.organizationId(), directory.id(), now, data));
            touch(directory, now);
            return user;
        });
        changes.record(directory, request, "scim.user.deleted", id,
                Optional.of(ScimChangeAudit.snapshot(id, readStored(deleted.resourceJson()))), Optional.empty());
        return new ScimResponse(204, Map.of(), "");
    }

    /** Validates a User body and returns what is stored: no id, meta, groups or password; schemas as sent, checked. */
    private static ObjectNode userResource(ObjectNode body) {
        ObjectNode resource = body.deepCopy();
        for (String readOnly : List.of("id", "meta", "groups", "password")) {
            ScimJson.remove(resource, readOnly);
        }
        ScimJson.normaliseBooleans(resource);
        checkSchemas(resource, USER_SCHEMAS, ScimSchemas.USER);
        String userName = ScimJson.text(resource, "userName").map(String::strip).orElse("");
        if (userName.isEmpty()) {
            throw ScimProblem.badRequest("invalidValue", "userName is required");
        }
        if (userName.length() > 1000) {
            throw ScimProblem.badRequest("invalidValue", "userName is longer than 1000 characters");
        }
        JsonNode active = ScimJson.get(resource, "active");
        if (active != null && !active.isNull() && !active.isBoolean()) {
            throw ScimProblem.badRequest("invalidValue", "active must be a boolean");
        }
        for (String field : List.of("externalId", "displayName")) {
            JsonNode value = ScimJson.get(resource, field);
            if (value != null && !value.isNull() && (!value.isTextual() || value.asText().length() > 1000)) {
                throw ScimProblem.badRequest("invalidValue", field + " must be a string of at most 1000 characters");
            }
        }
        return resource;
    }

    private static void checkSchemas(ObjectNode resource, Set<String> allowed, String core) {
        JsonNode declared = ScimJson.get(resource, "schemas");
        Set<String> schemas = new LinkedHashSet<>();
        if (declared != null) {
            if (!declared.isArray()) {
                throw ScimProblem.badRequest("invalidSyntax", "schemas must be an array of URIs");
            }
            for (JsonNode schema : declared) {
                String urn = allowed.stream().filter(a -> a.equalsIgnoreCase(schema.asText())).findFirst()
                        .orElseThrow(() -> ScimProblem.badRequest("invalidValue", "unsupported schema '" + schema.asText() + "'"));
                schemas.add(urn);
            }
        }
        schemas.add(core);
        var names = resource.fieldNames();
        List<String> keys = new ArrayList<>();
        names.forEachRemaining(keys::add);
        for (String key : keys) {
            if (key.toLowerCase(Locale.ROOT).startsWith("urn:")) {
                String urn = allowed.stream().filter(key::equalsIgnoreCase).findFirst()
                        .orElseThrow(() -> ScimProblem.badRequest("invalidValue", "unsupported schema extension '" + key + "'"));
                if (!(resource.get(key) instanceof ObjectNode)) {
                    throw ScimProblem.badRequest("invalidValue", "'" + key + "' must be an object");
                }
                schemas.add(urn);
            }
        }
        ArrayNode array = resource.putArray("schemas");
        schemas.forEach(array::add);
        ScimJson.fieldName(resource, "schemas").filter(n -> !n.equals("schemas")).ifPresent(resource::remove);
    }

    private static DirectoryUser toUser(Directory directory, String id, ObjectNode resource, Optional<String> linkedUserId,
                                        Instant created, Instant updated) {
        String userName = ScimJson.text(resource, "userName").orElseThrow().strip();
        JsonNode active = ScimJson.get(resource, "active");
        JsonNode name = ScimJson.get(resource, "name");
        Optional<String> given = name instanceof ObjectNode n ? ScimJson.text(n, "givenName") : Optional.empty();
        Optional<String> family = name instanceof ObjectNode n ? ScimJson.text(n, "familyName") : Optional.empty();
        return new DirectoryUser(id, directory.environmentId(), directory.id(), userName,
                ScimJson.text(resource, "externalId"), active == null || active.isNull() || active.asBoolean(),
                primaryEmail(resource, userName), given.map(ScimEndpoint::clip), family.map(ScimEndpoint::clip),
                ScimJson.text(resource, "displayName").map(ScimEndpoint::clip), resource.toString(), linkedUserId,
                created, updated);
    }

    private static String clip(String value) {
        return value.length() > 1000 ? value.substring(0, 1000) : value;
    }

    /** The primary element of a multi-valued complex attribute (emails, photos, addresses…), else the first. */
    private static Optional<ObjectNode> primaryOf(ObjectNode resource, String attribute) {
        JsonNode values = ScimJson.get(resource, attribute);
        ObjectNode chosen = null;
        if (values instanceof ArrayNode array) {
            for (JsonNode value : array) {
                if (value instanceof ObjectNode object && (chosen == null || object.path("primary").asBoolean(false))) {
                    chosen = object;
                }
            }
        }
        return Optional.ofNullable(chosen);
    }

    /** The primary email, else the first, else the userName when it looks like an address. */
    private static Optional<String> primaryEmail(ObjectNode resource, String userName) {
        JsonNode emails = ScimJson.get(resource, "emails");
        String chosen = null;
        if (emails instanceof ArrayNode array) {
            for (JsonNode email : array) {
                String value = email.path("value").asText("");
                if (value.isEmpty()) {
                    continue;
                }
                if (chosen == null || email.path("primary").asBoolean(false)) {
                    chosen = value;
                }
            }
        }
        if (chosen == null && userName.contains("@")) {
            chosen = userName;
        }
        return Optional.ofNullable(chosen).map(ScimEndpoint::clip);
    }

    /** The User resource; {@code groups} when they are to be shown (none to show is no attribute). */
    private static ObjectNode userNode(DirectoryUser user, String baseUrl, Optional<List<DirectoryGroup>> groups) {
        return userNode(user, (ObjectNode) readStored(user.resourceJson()), baseUrl, groups);
    }

    /** With the stored resource already parsed (a write has it in hand: no second parse, D-SP2). */
    private static ObjectNode userNode(DirectoryUser user, ObjectNode stored, String baseUrl,
                                       Optional<List<DirectoryGroup>> groups) {
        ObjectNode node = ScimJson.NODES.objectNode();
        node.set("schemas", stored.get("schemas"));
        node.put("id", user.id());
        stored.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("schemas")) {
                node.set(e.getKey(), e.getValue());
            }
        });
        if (ScimJson.get(node, "active") == null) {
            node.put("active", true);
        }
        node.set("meta", meta("User", user.createTime(), user.updateTime(), baseUrl + "/Users/" + user.id()));
        groups.ifPresent(g -> addGroups(node, g, baseUrl));
        return node;
    }

    private List<DirectoryGroup> groupsOf(Directory directory, String userId) {
        return resources.groupsOfUser(directory.environmentId(), directory.id(), userId);
    }

    private List<DirectoryGroup> groupsOf(Directory directory, String userId, Map<String, List<DirectoryGroup>> read) {
        List<DirectoryGroup> known = read.get(userId);
        return known != null ? known : groupsOf(directory, userId);
    }

    private static void addGroups(ObjectNode node, List<DirectoryGroup> of, String baseUrl) {
        if (of.isEmpty()) {
            return;
        }
        ArrayNode groups = node.putArray("groups");
        for (DirectoryGroup group : of) {
            groups.addObject().put("value", group.id()).put("$ref", baseUrl + "/Groups/" + group.id())
                    .put("display", group.displayName()).put("type", "direct");
        }
    }

    private static ObjectNode meta(String type, Instant created, Instant updated, String location) {
        ObjectNode meta = ScimJson.NODES.objectNode();
        meta.put("resourceType", type).put("created", created.toString()).put("lastModified", updated.toString())
                .put("location", location);
        return meta;
    }

    private void publishUser(Directory directory, String type, DirectoryUser user, ObjectNode resource,
                             List<DirectoryGroup> ofUser, List<RoleAssignment> assignments, Instant now) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", user.id());
        data.put("organization_id", directory.organizationId());
        data.put("dp_id", user.externalId().orElse(null));
        data.put("preferred_username", user.userName());
        data.put("email", user.email().orElse(null));
        data.put("active", user.active());
        data.put("name", user.displayName().orElse(null));
        data.put("given_name", user.givenName().orElse(null));
        data.put("family_name", user.familyName().orElse(null));
        data.put("nickname", ScimJson.text(resource, "nickName").orElse(null));
        data.put("picture", primaryOf(resource, "photos").flatMap(p -> ScimJson.text(p, "value")).orElse(null));
        data.put("phone_number", primaryOf(resource, "phoneNumbers").flatMap(p -> ScimJson.text(p, "value")).orElse(null));
        data.put("address", primaryOf(resource, "addresses").map(a -> {
            Map<String, Object> address = new LinkedHashMap<>();
            address.put("postal_code", ScimJson.text(a, "postalCode").orElse(null));
            address.put("state", ScimJson.text(a, "region").orElse(null));
            address.put("formatted", ScimJson.text(a, "formatted").orElse(null));
            return address;
        }).orElse(null));
        List<Map<String, Object>> groups = new ArrayList<>();
        List<String> groupIds = new ArrayList<>();
        for (DirectoryGroup g : ofUser) {
            groups.add(Map.of("id", g.id(), "name", g.displayName()));
            groupIds.add(g.id());
        }
        data.put("groups", groups);
        data.put("roles", DirectoryService.rolesFor(assignments, groupIds)
                .stream().map(r -> Map.<String, Object>of("role_name", r)).toList());
        // No directory attribute is mapped to a custom attribute (D-W6a): the object is there, empty, as in the seed;
        // every attribute the IdP sent is in raw_attributes.
        data.put("custom_attributes", Map.of());
        data.put("raw_attributes", ScimJson.MAPPER.convertValue(resource, Map.class));
        events.publish(new DirectoryEvent(type, "DirectoryUser", directory.environmentId(), directory.organizationId(),
                directory.id(), now, data));
    }

    // ---------------------------------------------------------------- groups

    private ScimResponse getGroup(Directory directory, ScimRequest request, String id) {
        DirectoryGroup group = findGroup(directory, id);
        ObjectNode node = groupNode(directory, group, request.baseUrl(), !excludes(request.param("excludedAttributes"), "members"));
        return ok(ScimJson.project(node, request.param("attributes"), request.param("excludedAttributes"), ScimSchemas.GROUP));
    }

    private DirectoryGroup findGroup(Directory directory, String id) {
        return resources.findGroup(directory.environmentId(), directory.id(), id)
                .orElseThrow(() -> ScimProblem.notFound("Group " + id + " not found"));
    }

    private ScimResponse createGroup(Directory directory, ScimRequest request) {
        ObjectNode body = ScimJson.parseObject(request.body());
        Set<String> members = memberIds(ScimJson.get(body, "members"));
        ObjectNode resource = groupResource(body);
        DirectoryGroup created = tx.inTransaction(() -> {
            Instant now = now();
            DirectoryGroup group = toGroup(directory, ids.next(IdPrefix.DIRECTORY_GROUP), resource, now, now);
            resources.insertGroup(group);
            checkMembersExist(directory, members);
            resources.addMembers(directory.environmentId(), directory.id(), group.id(), members);
            publishGroup(directory, DirectoryEvent.GROUP_CREATED, group, now);
            relink(directory, members);
            touch(directory, now);
            return group;
        });
        changes.record(directory, request, "scim.group.created", created.id(), Optional.empty(),
                Optional.of(ScimChangeAudit.groupSnapshot(created.id(), resource, members)));
        ObjectNode node = groupNode(directory, created, request.baseUrl(), true);
        return new ScimResponse(201, Map.of("location", node.path("meta").path("location").asText()), node.toString());
    }

    private ScimResponse replaceGroup(Directory directory, ScimRequest request, String id) {
        ObjectNode body = ScimJson.parseObject(request.body());
        Set<String> members = memberIds(ScimJson.get(body, "members"));
        ObjectNode resource = groupResource(body);
        GroupChange updated = tx.inTransaction(() -> {
            DirectoryGroup current = resources.lockGroup(directory.environmentId(), directory.id(), id)
                    .orElseThrow(() -> ScimProblem.notFound("Group " + id + " not found"));
            Instant now = now();
            DirectoryGroup group = toGroup(directory, id, resource, current.createTime(), now);
            resources.updateGroup(group);
            Set<String> before = new LinkedHashSet<>(resources.memberIds(directory.environmentId(), directory.id(), id));
            saveMembers(directory, id, before, members);
            publishGroup(directory, DirectoryEvent.GROUP_UPDATED, group, now);
            touch(directory, now);
            return new GroupChange(group, ScimChangeAudit.groupSnapshot(id, readStored(current.resourceJson()), before),
                    ScimChangeAudit.groupSnapshot(id, resource, members));
        });
        changes.record(directory, request, "scim.group.replaced", id, Optional.of(updated.before()),
                Optional.of(updated.after()));
        return ok(groupNode(directory, updated.group(), request.baseUrl(), true));
    }

    private ScimResponse patchGroup(Directory directory, ScimRequest request, String id) {
        List<ScimPatch.Op> ops = ScimPatch.parse(request.body(), GROUP_SCHEMAS);
        GroupChange updated = tx.inTransaction(() -> {
            DirectoryGroup current = resources.lockGroup(directory.environmentId(), directory.id(), id)
                    .orElseThrow(() -> ScimProblem.notFound("Group " + id + " not found"));
            ObjectNode resource = (ObjectNode) readStored(current.resourceJson());
            Set<String> before = new LinkedHashSet<>(resources.memberIds(directory.environmentId(), directory.id(), id));
            ObjectNode audited = ScimChangeAudit.groupSnapshot(id, resource, before);
            Set<String> members = new LinkedHashSet<>(before);
            boolean attributesChanged = false;
            for (ScimPatch.Op op : ops) {
                if (op.targets("members")) {
                    applyMemberOp(op, members);
                } else if (op.path().isRoot() && op.value() instanceof ObjectNode value
                        && ScimJson.fieldName(value, "members").isPresent()) {
                    ObjectNode rest = value.deepCopy();
                    JsonNode listed = ScimJson.get(rest, "members");
                    ScimJson.remove(rest, "members");
                    Set<String> ids = memberIds(listed);
                    if (op.type() == com.unboundid.scim2.common.messages.PatchOpType.REPLACE) {
                        members.clear();
                    }
                    members.addAll(ids);
                    if (!rest.isEmpty()) {
                        ScimPatch.apply(new ScimPatch.Op(op.type(), op.path(), rest), resource);
                        attributesChanged = true;
                    }
                } else {
                    if (op.targets("id") || op.targets("meta")) {
                        throw ScimProblem.badRequest("mutability", "'" + op.path() + "' is read-only");
                    }
                    ScimPatch.apply(op, resource);
                    attributesChanged = true;
                }
            }
            ObjectNode checked = groupResource(resource);
            Instant now = now();
            DirectoryGroup group = toGroup(directory, id, checked, current.createTime(), now);
            resources.updateGroup(group);
            saveMembers(directory, id, before, members);
            if (attributesChanged || !before.equals(members)) {
                publishGroup(directory, DirectoryEvent.GROUP_UPDATED, group, now);
            }
            touch(directory, now);
            return new GroupChange(group, audited, ScimChangeAudit.groupSnapshot(id, checked, members));
        });
        changes.record(directory, request, "scim.group.patched", id, Optional.of(updated.before()),
                Optional.of(updated.after()));
        ObjectNode node = groupNode(directory, updated.group(), request.baseUrl(), !excludes(request.param("excludedAttributes"), "members"));
        return ok(ScimJson.project(node, request.param("attributes"), request.param("excludedAttributes"), ScimSchemas.GROUP));
    }

    private static void applyMemberOp(ScimPatch.Op op, Set<String> members) {
        var element = op.path().getElement(0);
        if (op.path().size() > 1) {
            // members[...].display and the like: members carry no stored sub-attributes besides value.
            return;
        }
        switch (op.type()) {
            case ADD -> members.addAll(memberIds(op.value()));
            case REPLACE -> {
                if (element.getValueFilter() != null) {
                    throw ScimProblem.badRequest("invalidPath", "replace of a filtered members path is not supported");
                }
                members.clear();
                members.addAll(memberIds(op.value()));
            }
            case REMOVE -> {
                if (element.getValueFilter() != null) {
                    Filter filter = element.getValueFilter();
                    members.removeIf(member -> ScimFilters.matches(filter, ScimJson.NODES.objectNode().put("value", member)));
                } else if (op.value() != null && !op.value().isNull()) {
                    members.removeAll(memberIds(op.value()));
                } else {
                    members.clear();
                }
            }
        }
    }

    /** The user IDs of a {@code members} value: an array of {@code {"value": id}} (a single object is accepted too). */
    private static Set<String> memberIds(JsonNode value) {
        Set<String> ids = new LinkedHashSet<>();
        if (value == null || value.isNull()) {
            return ids;
        }
        if (value instanceof ObjectNode single) {
            value = ScimJson.NODES.arrayNode().add(single);
        }
        if (!value.isArray()) {
            throw ScimProblem.badRequest("invalidValue", "members must be an array of {\"value\": id}");
        }
        for (JsonNode member : value) {
            JsonNode id = member instanceof ObjectNode object ? ScimJson.get(object, "value") : null;
            if (id == null || !id.isTextual() || id.asText().isBlank()) {
                throw ScimProblem.badRequest("invalidValue", "each member needs a string 'value'");
            }
            ids.add(id.asText());
        }
        return ids;
    }

    private void saveMembers(Directory directory, String groupId, Set<String> before, Set<String> after) {
        Set<String> added = new LinkedHashSet<>(after);
        added.removeAll(before);
        Set<String> removed = new LinkedHashSet<>(before);
        removed.removeAll(after);
        checkMembersExist(directory, added);
        resources.addMembers(directory.environmentId(), directory.id(), groupId, added);
        resources.removeMembers(directory.environmentId(), directory.id(), groupId, removed);
        Set<String> changed = new LinkedHashSet<>(added);
        changed.addAll(removed);
        relink(directory, changed);
    }

    /** A member must be a user of this directory: another directory's user is as unknown as a made-up ID. */
    private void checkMembersExist(Directory directory, Set<String> userIds) {
        for (String userId : userIds) {
            if (resources.findUser(directory.environmentId(), directory.id(), userId).isEmpty()) {
                throw ScimProblem.badRequest("invalidValue", "member " + userId + " is not a user of this directory");
            }
        }
    }

    /** Membership changes change roles: the users sync hears about every affected user (D-L5). */
    private void relink(Directory directory, Set<String> userIds) {
        if (!sync.enabled()) {
            return;
        }
        // In ID order, so two group changes touching the same users lock their memberships in the same order.
        for (String userId : new TreeSet<>(userIds)) {
            resources.findUser(directory.environmentId(), directory.id(), userId).ifPresent(u -> sync.link(directory, u));
        }
    }

    /** A group written in a transaction, with the group before and after the write as audited. */
    private record GroupChange(DirectoryGroup group, ObjectNode before, ObjectNode after) {}

    private ScimResponse deleteGroup(Directory directory, ScimRequest request, String id) {
        ObjectNode deleted = tx.inTransaction(() -> {
            DirectoryGroup group = resources.lockGroup(directory.environmentId(), directory.id(), id)
                    .orElseThrow(() -> ScimProblem.notFound("Group " + id + " not found"));
            Set<String> members = new LinkedHashSet<>(resources.memberIds(directory.environmentId(), directory.id(), id));
            resources.deleteGroup(directory.environmentId(), directory.id(), id);
            Instant now = now();
            Map<String, Object> data = groupData(directory, group);
            data.put("dp_id", group.externalId().orElse(null));
            events.publish(new DirectoryEvent(DirectoryEvent.GROUP_DELETED, "DirectoryGroup", directory.environmentId(),
                    directory.organizationId(), directory.id(), now, data));
            relink(directory, members);
            touch(directory, now);
            return ScimChangeAudit.groupSnapshot(id, readStored(group.resourceJson()), members);
        });
        changes.record(directory, request, "scim.group.deleted", id, Optional.of(deleted), Optional.empty());
        return new ScimResponse(204, Map.of(), "");
    }

    private static ObjectNode groupResource(ObjectNode body) {
        ObjectNode resource = body.deepCopy();
        for (String readOnly : List.of("id", "meta", "members")) {
            ScimJson.remove(resource, readOnly);
        }
        checkSchemas(resource, GROUP_SCHEMAS, ScimSchemas.GROUP);
        JsonNode displayName = ScimJson.get(resource, "displayName");
        if (displayName == null || !displayName.isTextual() || displayName.asText().isBlank()) {
            throw ScimProblem.badRequest("invalidValue", "displayName is required");
        }
        if (displayName.asText().length() > 1000) {
            throw ScimProblem.badRequest("invalidValue", "displayName is longer than 1000 characters");
        }
        JsonNode externalId = ScimJson.get(resource, "externalId");
        if (externalId != null && !externalId.isNull() && (!externalId.isTextual() || externalId.asText().length() > 1000)) {
            throw ScimProblem.badRequest("invalidValue", "externalId must be a string of at most 1000 characters");
        }
        return resource;
    }

    private static DirectoryGroup toGroup(Directory directory, String id, ObjectNode resource, Instant created, Instant updated) {
        return new DirectoryGroup(id, directory.environmentId(), directory.id(),
                ScimJson.text(resource, "displayName").orElseThrow(), ScimJson.text(resource, "externalId"),
                resource.toString(), created, updated);
    }

    private ObjectNode groupNode(Directory directory, DirectoryGroup group, String baseUrl, boolean withMembers) {
        ObjectNode stored = (ObjectNode) readStored(group.resourceJson());
        ObjectNode node = ScimJson.NODES.objectNode();
        node.set("schemas", stored.get("schemas"));
        node.put("id", group.id());
        stored.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("schemas")) {
                node.set(e.getKey(), e.getValue());
            }
        });
        node.set("meta", meta("Group", group.createTime(), group.updateTime(), baseUrl + "/Groups/" + group.id()));
        if (withMembers) {
            addMembers(directory, node, baseUrl);
        }
        return node;
    }

    private void addMembers(Directory directory, ObjectNode node, String baseUrl) {
        ArrayNode members = node.putArray("members");
        for (String userId : resources.memberIds(directory.environmentId(), directory.id(), node.path("id").asText())) {
            members.addObject().put("value", userId).put("$ref", baseUrl + "/Users/" + userId).put("type", "User");
        }
    }

    private Map<String, Object> groupData(Directory directory, DirectoryGroup group) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("directory_id", directory.id());
        data.put("display_name", group.displayName());
        data.put("external_id", group.externalId().orElse(null));
        data.put("id", group.id());
        data.put("organization_id", directory.organizationId());
        data.put("raw_attributes", ScimJson.MAPPER.convertValue(readStored(group.resourceJson()), Map.class));
        return data;
    }

    private void publishGroup(Directory directory, String type, DirectoryGroup group, Instant now) {
        events.publish(new DirectoryEvent(type, "DirectoryGroup", directory.environmentId(), directory.organizationId(),
                directory.id(), now, groupData(directory, group)));
    }

    // ---------------------------------------------------------------- shared

    /**
     * Records the sync time on the directory, at most once a minute per node (so writes neither read nor contend on its
     * row): one conditional UPDATE when this node has not recorded one in the last minute, else nothing (D-SP2).
     */
    private void touch(Directory directory, Instant now) {
        Instant recorded = lastRecordedSync.get(directory.id());
        if (recorded == null || !recorded.isAfter(now.minus(SYNC_RESOLUTION))) {
            directories.recordSync(directory.environmentId(), directory.id(), now, now.minus(SYNC_RESOLUTION));
            if (lastRecordedSync.size() >= 10_000) {
                lastRecordedSync.clear();
            }
            lastRecordedSync.put(directory.id(), now);
        }
    }

    private static JsonNode readStored(String json) {
        try {
            return ScimJson.MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored SCIM resource is not JSON", e);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
