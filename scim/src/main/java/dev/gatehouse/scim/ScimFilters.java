package dev.gatehouse.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.types.AttributeDefinition;
import com.unboundid.scim2.common.utils.FilterEvaluator;
import com.unboundid.scim2.common.utils.JsonUtils;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/**
 * Filters and sorting (RFC 7644 §3.4.2). UnboundID's parser reads the full grammar; UnboundID's evaluator runs it
 * in memory over the resources' JSON, told per attribute whether it is case-exact (docs/DECISIONS.md D-S4).
 */
public final class ScimFilters {
    public static final int MAX_FILTER_LENGTH = 4096;

    private ScimFilters() {}

    /** Parses a filter; anything that is not a valid filter is a 400 invalidFilter, never another failure. */
    public static Filter parse(String filter) {
        if (filter.length() > MAX_FILTER_LENGTH) {
            throw ScimProblem.badRequest("invalidFilter", "the filter is longer than " + MAX_FILTER_LENGTH + " characters");
        }
        if (filter.indexOf('\u0000') >= 0) {
            throw ScimProblem.badRequest("invalidFilter", "the filter contains a NUL character");
        }
        try {
            return Filter.fromString(filter);
        } catch (ScimException e) {
            throw ScimProblem.badRequest("invalidFilter", "invalid filter: " + e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            throw ScimProblem.badRequest("invalidFilter", "invalid filter");
        }
    }

    private static final class SchemaAwareEvaluator extends FilterEvaluator {
        @Override
        protected AttributeDefinition getAttributeDefinition(Path path) {
            return ScimSchemas.definition(path);
        }
    }

    public static boolean matches(Filter filter, ObjectNode resource) {
        try {
            return filter.visit(new SchemaAwareEvaluator(), resource);
        } catch (ScimException e) {
            throw ScimProblem.badRequest("invalidFilter", "the filter cannot be applied: " + e.getMessage());
        } catch (RuntimeException e) {
            throw ScimProblem.badRequest("invalidFilter", "the filter cannot be applied");
        }
    }

    /** Orders resources by the value at {@code sortBy} (multi-valued: the primary or first value); missing values last. */
    public static Comparator<ObjectNode> comparator(String sortBy, boolean descending) {
        Path path;
        try {
            path = Path.fromString(sortBy);
        } catch (ScimException | RuntimeException e) {
            throw ScimProblem.badRequest("invalidPath", "invalid sortBy '" + sortBy + "'");
        }
        boolean caseExact = ScimSchemas.isCaseExact(path);
        Comparator<ObjectNode> byValue = (a, b) -> {
            Optional<JsonNode> va = sortValue(path, a);
            Optional<JsonNode> vb = sortValue(path, b);
            if (va.isEmpty() || vb.isEmpty()) {
                return va.isEmpty() ? (vb.isEmpty() ? 0 : 1) : -1;
            }
            int order = compare(va.get(), vb.get(), caseExact);
            return descending ? -order : order;
        };
        return byValue;
    }

    private static int compare(JsonNode a, JsonNode b, boolean caseExact) {
        if (a.isNumber() && b.isNumber()) {
            return Double.compare(a.asDouble(), b.asDouble());
        }
        if (a.isBoolean() && b.isBoolean()) {
            return Boolean.compare(a.asBoolean(), b.asBoolean());
        }
        String sa = a.asText();
        String sb = b.asText();
        return caseExact ? sa.compareTo(sb) : sa.toLowerCase(Locale.ROOT).compareTo(sb.toLowerCase(Locale.ROOT));
    }

    private static Optional<JsonNode> sortValue(Path path, ObjectNode resource) {
        JsonNode value;
        try {
            value = JsonUtils.getValue(path, resource);
        } catch (ScimException | RuntimeException e) {
            return Optional.empty();
        }
        if (value instanceof ArrayNode array) {
            JsonNode chosen = null;
            for (JsonNode element : array) {
                if (chosen == null || element.path("primary").asBoolean(false)) {
                    chosen = element;
                }
            }
            value = chosen;
            if (value instanceof ObjectNode object && object.has("value")) {
                value = object.get("value");
            }
        }
        return value == null || value.isNull() || value.isMissingNode() || value.isContainerNode()
                ? Optional.empty() : Optional.of(value);
    }
}
