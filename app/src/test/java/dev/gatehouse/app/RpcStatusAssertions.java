package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Checks of the REST surface's error shape: {@code {"code":N,"message":"…","details":[ErrorInfo]}}. */
final class RpcStatusAssertions {
    static final String ERROR_INFO_TYPE = "type.googleapis.com/scalekit.v1.errdetails.ErrorInfo";

    private RpcStatusAssertions() {}

    /** The response is an rpcStatus JSON with this HTTP status, gRPC code and ErrorInfo error_code; returns the ErrorInfo. */
    static JsonNode assertRpcStatus(TestGatehouse.Response response, int httpStatus, int grpcCode, String errorCode) {
        assertThat(response.status()).as("HTTP status of %s", response).isEqualTo(httpStatus);
        assertThat(response.header("content-type")).as("content type of %s", response)
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode body = response.json();
        assertThat(fieldNames(body)).as("rpcStatus fields of %s", response).containsExactlyInAnyOrder("code", "message", "details");
        assertThat(body.path("code").isInt()).as("code is a number: %s", response).isTrue();
        assertThat(body.path("code").asInt()).as("code of %s", response).isEqualTo(grpcCode);
        assertThat(body.path("message").isTextual()).as("message is a string: %s", response).isTrue();
        assertThat(body.path("message").asText()).as("message of %s", response).isNotBlank();
        assertThat(body.path("details").isArray()).isTrue();
        assertThat(body.path("details")).as("details of %s", response).hasSize(1);
        JsonNode info = body.path("details").get(0);
        assertThat(info.path("@type").asText()).isEqualTo(ERROR_INFO_TYPE);
        assertThat(info.path("error_code").asText()).as("error_code of %s", response).isEqualTo(errorCode);
        return info;
    }

    /** 400 INVALID_ARGUMENT with a validation_error_info naming {@code field}; returns the field violations. */
    static JsonNode assertInvalidArgument(TestGatehouse.Response response, String field) {
        JsonNode info = assertRpcStatus(response, 400, 3, "INVALID_ARGUMENT");
        JsonNode violations = info.path("validation_error_info").path("field_violations");
        assertThat(violations.isArray()).as("field_violations of %s", response).isTrue();
        assertThat(violations).as("field_violations of %s", response).isNotEmpty();
        List<String> fields = new ArrayList<>();
        violations.forEach(v -> {
            fields.add(v.path("field").asText());
            assertThat(v.path("description").asText()).isNotBlank();
            assertThat(v.path("constraint").asText()).isNotBlank();
        });
        assertThat(fields).as("violated fields of %s", response).contains(field);
        return violations;
    }

    /** 401 with exactly {"code":16,"message":…,"details":[{"@type":ErrorInfo,"error_code":"UNAUTHENTICATED"}]}. */
    static void assertUnauthenticated(TestGatehouse.Response response) {
        JsonNode info = assertRpcStatus(response, 401, 16, "UNAUTHENTICATED");
        assertThat(fieldNames(info)).as("ErrorInfo fields of %s", response).containsExactlyInAnyOrder("@type", "error_code");
    }

    /** Any client error (never 5xx) in the rpcStatus shape with a consistent gRPC code and error_code. */
    static void assertClientErrorShape(TestGatehouse.Response response) {
        assertThat(response.status()).as("status of %s", response).isBetween(400, 499);
        JsonNode body = response.json();
        assertThat(fieldNames(body)).as("rpcStatus fields of %s", response).containsExactlyInAnyOrder("code", "message", "details");
        int code = body.path("code").asInt();
        assertThat(code).as("gRPC code of %s", response).isBetween(1, 16).isNotIn(2, 13);
        JsonNode info = body.path("details").get(0);
        assertThat(info).as("details of %s", response).isNotNull();
        assertThat(info.path("@type").asText()).isEqualTo(ERROR_INFO_TYPE);
        assertThat(info.path("error_code").asText()).isEqualTo(com.google.rpc.Code.forNumber(code).name());
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
