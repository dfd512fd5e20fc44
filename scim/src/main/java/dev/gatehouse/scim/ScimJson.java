package dev.gatehouse.scim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.utils.JsonUtils;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** JSON helpers of the SCIM endpoint: parsing at the edge, lenient value forms, attribute projection. */
final class ScimJson {
    /** UnboundID's mapper: its object nodes look attribute names up ignoring case, as RFC 7643 §2.1 wants. */
    static final ObjectMapper MAPPER = JsonUtils.createObjectMapper();
    static final JsonNodeFactory NODES = JsonUtils.getJsonNodeFactory();
    private static final int MAX_ATTRIBUTE_PATHS = 100;

    private ScimJson() {}

    static ObjectNode parseObject(String body) {
        if (body == null || body.isBlank()) {
            throw ScimProblem.badRequest("invalidSyntax", "the request body is empty");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ScimProblem.badRequest("invalidSyntax", "the request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw ScimProblem.badRequest("invalidSyntax", "the request body must be a JSON object");
        }
        if (containsNul(object)) {
            throw ScimProblem.badRequest("invalidValue", "strings must not contain NUL (\\u0000) characters");
        }
        return object;
    }

    /** PostgreSQL text cannot hold NUL, and no SCIM attribute needs it: refused anywhere in a body, names included. */
    private static boolean containsNul(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue().indexOf('\u0000') >= 0;
        }
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getKey().indexOf('\u0000') >= 0 || containsNul(field.getValue())) {
                    return true;
                }
            }
            return false;
        }
        if (node instanceof ArrayNode array) {
            for (JsonNode element : array) {
                if (containsNul(element)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The field of {@code node} named {@code name} ignoring case (attribute names are case-insensitive, RFC 7643 §2.1). */
    static Optional<String> fieldName(ObjectNode node, String name) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String candidate = names.next();
            if (candidate.equalsIgnoreCase(name)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static JsonNode get(ObjectNode node, String name) {
        return fieldName(node, name).map(node::get).orElse(null);
    }

    static void remove(ObjectNode node, String name) {
        fieldName(node, name).ifPresent(node::remove);
    }

    static Optional<String> text(ObjectNode node, String name) {
        JsonNode value = get(node, name);
        return value != null && value.isValueNode() && !value.isNull() ? Optional.of(value.asText()) : Optional.empty();
    }

    /**
     * Booleans sent as strings ({@code "active": "False"}, Entra ID) become JSON booleans, for the attributes
     * that are booleans in RFC 7643 ({@code active} and every {@code primary}).
     */
    static void normaliseBooleans(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            object.fields().forEachRemaining(fields::add);
            for (Map.Entry<String, JsonNode> field : fields) {
                String key = field.getKey().toLowerCase(Locale.ROOT);
                JsonNode value = field.getValue();
                if ((key.equals("active") || key.equals("primary")) && value.isTextual()) {
                    String text = value.asText().strip();
                    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                        object.set(field.getKey(), BooleanNode.valueOf(Boolean.parseBoolean(text.toLowerCase(Locale.ROOT))));
                    }
                } else {
                    normaliseBooleans(value);
                }
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(ScimJson::normaliseBooleans);
        }
    }

    /** A parsed entry of {@code attributes}/{@code excludedAttributes}: optional extension URN, attribute, sub-attribute. */
    private record AttributeRef(String extension, String attribute, String subAttribute) {}

    private static List<AttributeRef> parseAttributes(String list, String coreSchema) {
        List<AttributeRef> refs = new ArrayList<>();
        String[] parts = list.split(",");
        if (parts.length > MAX_ATTRIBUTE_PATHS) {
            throw ScimProblem.badRequest("invalidValue", "at most " + MAX_ATTRIBUTE_PATHS + " attribute paths are accepted");
        }
        for (String part : parts) {
            String trimmed = part.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            Path path;
            try {
                path = Path.fromString(trimmed);
            } catch (ScimException | RuntimeException e) {
                throw ScimProblem.badRequest("invalidPath", "invalid attribute path '" + trimmed + "'");
            }
            String urn = path.getSchemaUrn();
            String extension = urn == null || urn.equalsIgnoreCase(coreSchema) ? null : urn;
            if (path.size() == 0) {
                if (extension == null) {
                    continue;
                }
                refs.add(new AttributeRef(null, extension, null));
                continue;
            }
            String attribute = path.getElement(0).getAttribute();
            String sub = path.size() > 1 ? path.getElement(1).getAttribute() : null;
            refs.add(new AttributeRef(extension, attribute, sub));
        }
        return refs;
    }

    /** Applies {@code attributes} or {@code excludedAttributes} (RFC 7644 §3.9); id and schemas are always returned. */
    static ObjectNode project(ObjectNode resource, Optional<String> attributes, Optional<String> excluded, String coreSchema) {
        if (attributes.isPresent() && !attributes.get().isBlank()) {
            ObjectNode result = NODES.objectNode();
            for (String always : List.of("schemas", "id")) {
                JsonNode value = resource.get(always);
                if (value != null) {
                    result.set(always, value);
                }
            }
            for (AttributeRef ref : parseAttributes(attributes.get(), coreSchema)) {
                ObjectNode source = container(resource, ref.extension(), false);
                if (source == null) {
                    continue;
                }
                Optional<String> name = fieldName(source, ref.attribute());
                if (name.isEmpty()) {
                    continue;
                }
                ObjectNode target = container(result, ref.extension(), true);
                JsonNode value = source.get(name.get());
                if (ref.subAttribute() == null) {
                    target.set(name.get(), value);
                } else if (value instanceof ObjectNode object) {
                    ObjectNode into = target.get(name.get()) instanceof ObjectNode existing ? existing : target.putObject(name.get());
                    fieldName(object, ref.subAttribute()).ifPresent(sub -> into.set(sub, object.get(sub)));
                } else if (value instanceof ArrayNode array) {
                    ArrayNode into = target.putArray(name.get());
                    for (JsonNode element : array) {
                        if (element instanceof ObjectNode object) {
                            ObjectNode copy = into.addObject();
                            fieldName(object, ref.subAttribute()).ifPresent(sub -> copy.set(sub, object.get(sub)));
                        }
                    }
                }
            }
            return result;
        }
        if (excluded.isPresent() && !excluded.get().isBlank()) {
            ObjectNode result = resource.deepCopy();
            for (AttributeRef ref : parseAttributes(excluded.get(), coreSchema)) {
                if (ref.extension() == null && (ref.attribute().equalsIgnoreCase("id") || ref.attribute().equalsIgnoreCase("schemas"))) {
                    continue;
                }
                ObjectNode source = container(result, ref.extension(), false);
                if (source == null) {
                    continue;
                }
                Optional<String> name = fieldName(source, ref.attribute());
                if (name.isEmpty()) {
                    continue;
                }
                if (ref.subAttribute() == null) {
                    source.remove(name.get());
                } else if (source.get(name.get()) instanceof ObjectNode object) {
                    remove(object, ref.subAttribute());
                } else if (source.get(name.get()) instanceof ArrayNode array) {
                    array.forEach(e -> {
                        if (e instanceof ObjectNode o) {
                            remove(o, ref.subAttribute());
                        }
                    });
                }
            }
            return result;
        }
        return resource;
    }

    private static ObjectNode container(ObjectNode node, String extension, boolean create) {
        if (extension == null) {
            return node;
        }
        Optional<String> name = fieldName(node, extension);
        if (name.isPresent() && node.get(name.get()) instanceof ObjectNode object) {
            return object;
        }
        return create ? node.putObject(extension) : null;
    }
}
