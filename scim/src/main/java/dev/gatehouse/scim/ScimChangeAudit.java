package dev.gatehouse.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.gatehouse.core.audit.AuditRecord;
import dev.gatehouse.core.audit.AuditTrail;
import dev.gatehouse.core.audit.SecretFieldNames;
import dev.gatehouse.core.directory.Directory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit record of a successful SCIM write (D-A9): {@code scim.user.created|replaced|patched|deleted} and
 * {@code scim.group.…}, in the directory's environment and organization, the directory (whose token wrote) as actor,
 * the resource as target, its stored SCIM JSON before and after with {@code id} (and a group's {@code members}
 * IDs), every value under a secret-sounding name replaced by {@code "[REDACTED]"}. Appended after the write
 * committed, outside its transaction, so it joins the audit writer's group commit instead of adding a statement to
 * the write; if the append fails the change stands and the failure is logged, as for management changes (D-A3).
 */
final class ScimChangeAudit {
    private static final Logger LOG = LoggerFactory.getLogger(ScimChangeAudit.class);

    private final AuditTrail audit;
    private final Clock clock;

    ScimChangeAudit(AuditTrail audit, Clock clock) {
        this.audit = audit;
        this.clock = clock;
    }

    /** A resource as audited: its stored JSON with its ID first. */
    static ObjectNode snapshot(String id, JsonNode stored) {
        ObjectNode node = ScimJson.MAPPER.createObjectNode().put("id", id);
        if (stored instanceof ObjectNode object) {
            object.fields().forEachRemaining(field -> {
                if (!field.getKey().equals("id")) {
                    node.set(field.getKey(), field.getValue().deepCopy());
                }
            });
        }
        return node;
    }

    /** A group as audited: its stored JSON, its ID and its members' IDs. */
    static ObjectNode groupSnapshot(String id, JsonNode stored, Collection<String> memberIds) {
        ObjectNode node = snapshot(id, stored);
        ArrayNode members = node.putArray("members");
        memberIds.forEach(members::add);
        return node;
    }

    void record(Directory directory, ScimRequest request, String type, String target, Optional<ObjectNode> before,
                Optional<ObjectNode> after) {
        AuditRecord record = new AuditRecord(clock.instant(), Optional.of(directory.environmentId()),
                Optional.of(directory.organizationId()), type, AuditRecord.Outcome.SUCCESS, Optional.of(directory.id()),
                Optional.empty(), request.remoteAddress(),
                Map.of("directory_id", directory.id(), "method", request.method(), "path", request.path()))
                .withTarget(target)
                .withChange(before.map(ScimChangeAudit::redacted), after.map(ScimChangeAudit::redacted));
        try {
            audit.append(record);
        } catch (RuntimeException e) {
            LOG.error("audit record {} of {} in directory {} could not be appended; the change stands", type, target,
                    directory.id(), e);
        }
    }

    private static String redacted(ObjectNode resource) {
        redact(resource);
        return resource.toString();
    }

    private static void redact(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode value = object.get(name);
                if (SecretFieldNames.isSecret(name) && value.isValueNode() && !value.isNull()) {
                    object.set(name, TextNode.valueOf(SecretFieldNames.REDACTED));
                } else {
                    redact(value);
                }
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(ScimChangeAudit::redact);
        }
    }
}
