package dev.gatehouse.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.messages.PatchOpType;
import com.unboundid.scim2.common.messages.PatchOperation;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses a PATCH body (RFC 7644 §3.5.2) into operations, accepting what real clients send:
 * capitalised ops ({@code "Replace"}, Entra ID), a path-less add/replace whose value keys are paths
 * ({@code {"name.givenName": "Ann"}}), and a {@code remove} with a value array of members.
 */
final class ScimPatch {
    static final int MAX_OPERATIONS = 1000;

    /** One operation; {@code path} is {@link Path#root()} for a path-less add/replace. */
    record Op(PatchOpType type, Path path, JsonNode value) {
        boolean targets(String attribute) {
            return path.size() > 0 && path.getElement(0).getAttribute().equalsIgnoreCase(attribute)
                    && (path.getSchemaUrn() == null || ScimSchemas.GROUP.equalsIgnoreCase(path.getSchemaUrn())
                        || ScimSchemas.USER.equalsIgnoreCase(path.getSchemaUrn()));
        }
    }

    private ScimPatch() {}

    static List<Op> parse(String body, Set<String> knownSchemas) {
        ObjectNode request = ScimJson.parseObject(body);
        JsonNode schemas = ScimJson.get(request, "schemas");
        if (schemas != null) {
            if (!schemas.isArray()) {
                throw ScimProblem.badRequest("invalidSyntax", "schemas must be an array");
            }
            boolean patchOp = false;
            for (JsonNode schema : schemas) {
                if (!ScimSchemas.PATCH_OP.equalsIgnoreCase(schema.asText())) {
                    throw ScimProblem.badRequest("invalidValue", "unsupported schema '" + schema.asText() + "' in a PATCH request");
                }
                patchOp = true;
            }
            if (!patchOp) {
                throw ScimProblem.badRequest("invalidValue", "a PATCH request must have the schema " + ScimSchemas.PATCH_OP);
            }
        }
        JsonNode operations = ScimJson.get(request, "Operations");
        if (operations == null || !operations.isArray() || operations.isEmpty()) {
            throw ScimProblem.badRequest("invalidSyntax", "Operations must be a non-empty array");
        }
        if (operations.size() > MAX_OPERATIONS) {
            throw ScimProblem.badRequest("tooMany", "at most " + MAX_OPERATIONS + " operations per PATCH");
        }
        List<Op> ops = new ArrayList<>();
        for (JsonNode operation : operations) {
            if (!(operation instanceof ObjectNode op)) {
                throw ScimProblem.badRequest("invalidSyntax", "each operation must be a JSON object");
            }
            String name = ScimJson.text(op, "op").orElseThrow(() ->
                    ScimProblem.badRequest("invalidSyntax", "an operation has no 'op'")).toLowerCase(Locale.ROOT);
            PatchOpType type = switch (name) {
                case "add" -> PatchOpType.ADD;
                case "replace" -> PatchOpType.REPLACE;
                case "remove" -> PatchOpType.REMOVE;
                default -> throw ScimProblem.badRequest("invalidSyntax", "unknown op '" + name + "'");
            };
            JsonNode value = ScimJson.get(op, "value");
            String pathText = ScimJson.text(op, "path").map(String::strip).filter(p -> !p.isEmpty()).orElse(null);
            if (pathText == null) {
                if (type == PatchOpType.REMOVE) {
                    throw ScimProblem.badRequest("noTarget", "a remove operation needs a path");
                }
                if (!(value instanceof ObjectNode object)) {
                    throw ScimProblem.badRequest("invalidValue", "a path-less " + name + " needs an object value");
                }
                expandPathless(type, object, knownSchemas, ops);
            } else {
                if (type != PatchOpType.REMOVE && (value == null || value.isNull())) {
                    throw ScimProblem.badRequest("invalidValue", "the " + name + " operation on '" + pathText + "' has no value");
                }
                ops.add(new Op(type, path(pathText), value));
            }
        }
        return ops;
    }

    static Path path(String text) {
        if (text.length() > ScimFilters.MAX_FILTER_LENGTH) {
            throw ScimProblem.badRequest("invalidPath", "the path is too long");
        }
        try {
            return Path.fromString(text);
        } catch (ScimException e) {
            throw ScimProblem.badRequest("invalidPath", "invalid path '" + text + "': " + e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            throw ScimProblem.badRequest("invalidPath", "invalid path '" + text + "'");
        }
    }

    /** Keys that are paths (dotted, or a URN below a schema) become operations of their own. */
    private static void expandPathless(PatchOpType type, ObjectNode value, Set<String> knownSchemas, List<Op> ops) {
        ObjectNode residual = ScimJson.NODES.objectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            boolean schemaKey = knownSchemas.stream().anyMatch(key::equalsIgnoreCase);
            if (key.equalsIgnoreCase("id") || key.equalsIgnoreCase("meta") || key.equalsIgnoreCase("schemas")) {
                continue;
            }
            if (!schemaKey && (key.contains(".") || key.toLowerCase(Locale.ROOT).startsWith("urn:"))) {
                ops.add(new Op(type, path(key), field.getValue()));
            } else {
                residual.set(key, field.getValue());
            }
        }
        if (!residual.isEmpty()) {
            ops.add(new Op(type, Path.root(), residual));
        }
    }

    /** Applies a non-member operation to a resource with UnboundID's RFC 7644 implementation. */
    static void apply(Op op, ObjectNode resource) {
        try {
            PatchOperation.create(op.type(), op.path(), op.type() == PatchOpType.REMOVE ? null : op.value()).apply(resource);
        } catch (ScimException e) {
            if (op.type() == PatchOpType.REPLACE && "noTarget".equals(e.getScimError().getScimType()) && addForFilter(op, resource)) {
                return;
            }
            throw ScimProblem.from(e);
        } catch (IllegalArgumentException e) {
            throw ScimProblem.badRequest("invalidValue", "operation on '" + op.path() + "' is invalid: " + reason(e));
        }
    }

    /**
     * What went wrong, in the words of the innermost cause: UnboundID wraps its own exception in an
     * IllegalArgumentException whose message starts with the wrapped class's name, which a client should not see.
     */
    private static String reason(IllegalArgumentException e) {
        Throwable innermost = e;
        while (innermost.getCause() != null && innermost.getCause() != innermost) {
            innermost = innermost.getCause();
        }
        if (innermost instanceof ScimException scim && scim.getScimError().getDetail() != null) {
            return scim.getScimError().getDetail();
        }
        return innermost.getMessage() != null ? innermost.getMessage() : "not a valid operation";
    }

    /**
     * {@code replace emails[type eq "work"].value} when there is no work email yet: what Entra ID sends for a new
     * value. It is applied as an add of {@code {"type": "work", "value": …}}.
     */
    private static boolean addForFilter(Op op, ObjectNode resource) {
        Path path = op.path();
        if (path.size() != 2 || path.getElement(0).getValueFilter() == null || !op.value().isValueNode()) {
            return false;
        }
        ObjectNode element = ScimJson.NODES.objectNode();
        if (!collectEqualities(path.getElement(0).getValueFilter(), element)) {
            return false;
        }
        element.set(path.getElement(1).getAttribute(), op.value());
        String attribute = path.getElement(0).getAttribute();
        ObjectNode container = resource;
        if (path.getSchemaUrn() != null && !ScimSchemas.USER.equalsIgnoreCase(path.getSchemaUrn())) {
            container = resource.withObjectProperty(path.getSchemaUrn());
        }
        String name = ScimJson.fieldName(container, attribute).orElse(attribute);
        JsonNode existing = container.get(name);
        ArrayNode array = existing instanceof ArrayNode a ? a : container.putArray(name);
        array.add(element);
        return true;
    }

    private static boolean collectEqualities(Filter filter, ObjectNode into) {
        return switch (filter.getFilterType()) {
            case EQUAL -> {
                Path attribute = filter.getAttributePath();
                if (attribute.size() != 1) {
                    yield false;
                }
                into.set(attribute.getElement(0).getAttribute(), filter.getComparisonValue());
                yield true;
            }
            case AND -> filter.getCombinedFilters().stream().allMatch(f -> collectEqualities(f, into));
            default -> false;
        };
    }
}
