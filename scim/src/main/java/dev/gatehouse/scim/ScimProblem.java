package dev.gatehouse.scim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.utils.JsonUtils;
import java.util.Map;

/** A SCIM error (RFC 7644 §3.12): HTTP status, optional scimType, detail. */
public final class ScimProblem extends RuntimeException {
    public static final String ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";

    private final int status;
    private final String scimType;

    public ScimProblem(int status, String scimType, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.scimType = scimType;
    }

    public static ScimProblem badRequest(String scimType, String detail) {
        return new ScimProblem(400, scimType, detail);
    }

    public static ScimProblem notFound(String detail) {
        return new ScimProblem(404, null, detail);
    }

    public static ScimProblem from(ScimException e) {
        var error = e.getScimError();
        return new ScimProblem(error.getStatus() == null ? 400 : error.getStatus(), error.getScimType(),
                error.getDetail() == null ? e.getMessage() : error.getDetail());
    }

    public int status() {
        return status;
    }

    public String scimType() {
        return scimType;
    }

    public ScimResponse toResponse() {
        ObjectNode node = JsonUtils.getJsonNodeFactory().objectNode();
        node.putArray("schemas").add(ERROR_SCHEMA);
        node.put("status", Integer.toString(status));
        if (scimType != null) {
            node.put("scimType", scimType);
        }
        node.put("detail", getMessage() == null ? "error" : getMessage());
        Map<String, String> headers = status == 401 ? Map.of("www-authenticate", "Bearer realm=\"scim\"") : Map.of();
        return new ScimResponse(status, headers, node.toString());
    }
}
