package dev.gatehouse.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.types.AttributeDefinition;
import com.unboundid.scim2.common.types.EnterpriseUserExtension;
import com.unboundid.scim2.common.types.GroupResource;
import com.unboundid.scim2.common.types.UserResource;
import com.unboundid.scim2.common.utils.JsonUtils;
import com.unboundid.scim2.common.utils.SchemaUtils;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What this service provider supports, and the discovery documents that say so (RFC 7643 §5–7):
 * core User + Enterprise User extension, core Group; PATCH, filter, sort; no bulk, no ETags, no password change.
 * The schema documents start from the UnboundID SDK's annotated resource classes, corrected where they differ
 * from RFC 7643 (Group.members is multi-valued; password is not accepted, so it is not advertised).
 */
public final class ScimSchemas {
    public static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";
    public static final String ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    public static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
    public static final String LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
    public static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    public static final String SEARCH_REQUEST = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
    /** The most resources one list response carries (ServiceProviderConfig filter.maxResults). */
    public static final int MAX_RESULTS = 1000;
    public static final int DEFAULT_COUNT = 100;

    /**
     * Attributes compared case-sensitively in filters and sorting (RFC 7643 caseExact=true): IDs, references and
     * binary values. Everything else (userName, emails.value, displayName, …) is compared ignoring case.
     */
    private static final Set<String> CASE_EXACT = Set.of("id", "externalid", "meta.version", "meta.location",
            "profileurl", "photos.value", "x509certificates.value", "members.$ref", "groups.$ref", "manager.$ref",
            "members.value", "groups.value", "manager.value");

    private final ObjectNode userSchema;
    private final ObjectNode enterpriseSchema;
    private final ObjectNode groupSchema;

    public ScimSchemas() {
        try {
            userSchema = JsonUtils.valueToNode(SchemaUtils.getSchema(UserResource.class));
            enterpriseSchema = JsonUtils.valueToNode(SchemaUtils.getSchema(EnterpriseUserExtension.class));
            groupSchema = JsonUtils.valueToNode(SchemaUtils.getSchema(GroupResource.class));
        } catch (java.beans.IntrospectionException e) {
            throw new IllegalStateException(e);
        }
        removeAttribute(userSchema, "password");
        for (JsonNode attribute : groupSchema.withArray("attributes")) {
            if ("members".equals(attribute.path("name").asText())) {
                ((ObjectNode) attribute).put("multiValued", true);
            }
        }
    }

    private static void removeAttribute(ObjectNode schema, String name) {
        Iterator<JsonNode> it = schema.withArray("attributes").iterator();
        while (it.hasNext()) {
            if (name.equals(it.next().path("name").asText())) {
                it.remove();
            }
        }
    }

    /** Whether values at {@code path} compare case-sensitively. */
    public static boolean isCaseExact(Path path) {
        StringBuilder key = new StringBuilder();
        for (Path.Element element : path) {
            if (!key.isEmpty()) {
                key.append('.');
            }
            key.append(element.getAttribute().toLowerCase(Locale.ROOT));
        }
        return CASE_EXACT.contains(key.toString());
    }

    /** A plain string definition carrying the case-exactness of {@code path}: all the filter evaluator needs. */
    public static AttributeDefinition definition(Path path) {
        String name = path.size() == 0 ? "" : path.getLastElement().getAttribute();
        return new AttributeDefinition.Builder().setName(name.isEmpty() ? "value" : name)
                .setType(AttributeDefinition.Type.STRING).setCaseExact(isCaseExact(path)).build();
    }

    public ObjectNode serviceProviderConfig(String baseUrl) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode c = f.objectNode();
        c.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig");
        c.put("documentationUri", "https://github.com/gatehouse-dev/gatehouse#directory-sync");
        c.putObject("patch").put("supported", true);
        c.putObject("bulk").put("supported", false).put("maxOperations", 0).put("maxPayloadSize", 0);
        c.putObject("filter").put("supported", true).put("maxResults", MAX_RESULTS);
        c.putObject("changePassword").put("supported", false);
        c.putObject("sort").put("supported", true);
        c.putObject("etag").put("supported", false);
        ObjectNode scheme = c.putArray("authenticationSchemes").addObject();
        scheme.put("type", "oauthbearertoken").put("name", "OAuth Bearer Token")
                .put("description", "The directory's bearer token, sent as 'Authorization: Bearer <token>'")
                .put("specUri", "https://www.rfc-editor.org/info/rfc6750").put("primary", true);
        meta(c, "ServiceProviderConfig", baseUrl + "/ServiceProviderConfig");
        return c;
    }

    public List<ObjectNode> resourceTypes(String baseUrl) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode user = f.objectNode();
        user.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:ResourceType");
        user.put("id", "User").put("name", "User").put("endpoint", "/Users").put("description", "User Account")
                .put("schema", USER);
        user.putArray("schemaExtensions").addObject().put("schema", ENTERPRISE_USER).put("required", false);
        meta(user, "ResourceType", baseUrl + "/ResourceTypes/User");
        ObjectNode group = f.objectNode();
        group.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:ResourceType");
        group.put("id", "Group").put("name", "Group").put("endpoint", "/Groups").put("description", "Group")
                .put("schema", GROUP);
        group.putArray("schemaExtensions");
        meta(group, "ResourceType", baseUrl + "/ResourceTypes/Group");
        return List.of(user, group);
    }

    public List<ObjectNode> schemas(String baseUrl) {
        return List.of(withMeta(userSchema, baseUrl), withMeta(enterpriseSchema, baseUrl), withMeta(groupSchema, baseUrl));
    }

    private static ObjectNode withMeta(ObjectNode schema, String baseUrl) {
        ObjectNode copy = schema.deepCopy();
        meta(copy, "Schema", baseUrl + "/Schemas/" + copy.path("id").asText());
        return copy;
    }

    private static void meta(ObjectNode node, String resourceType, String location) {
        node.putObject("meta").put("resourceType", resourceType).put("location", location);
    }

    /** A ListResponse of every item (discovery endpoints are not paged). */
    public static ObjectNode listOf(List<ObjectNode> items) {
        ObjectNode list = JsonNodeFactory.instance.objectNode();
        list.putArray("schemas").add(LIST_RESPONSE);
        list.put("totalResults", items.size()).put("startIndex", 1).put("itemsPerPage", items.size());
        ArrayNode resources = list.putArray("Resources");
        items.forEach(resources::add);
        return list;
    }
}
