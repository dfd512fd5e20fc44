package dev.gatehouse.http.api.connection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.core.connection.ConnectionTest;
import dev.gatehouse.proto.connections.GetConnectionTestResultResponse;
import dev.gatehouse.proto.connections.TestResultStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A connection test as {@code GetConnectionTestResultResponse} (D-CT1): {@code user_info} is a JSON object of the
 * normalized profile with the provider's attributes under {@code raw_attributes}; {@code error},
 * {@code error_description} and {@code error_details} say why a failed test failed.
 */
final class ConnectionTestResults {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConnectionTestResults() {}

    static GetConnectionTestResultResponse response(ConnectionTest test) {
        GetConnectionTestResultResponse.Builder response = GetConnectionTestResultResponse.newBuilder()
                .setStatus(switch (test.status()) {
                    case PENDING -> TestResultStatus.PENDING;
                    case SUCCESS -> TestResultStatus.SUCCESS;
                    case FAILURE -> TestResultStatus.FAILURE;
                });
        if (!test.profile().isEmpty()) {
            Map<String, Object> userInfo = new LinkedHashMap<>(new TreeMap<>(test.profile()));
            userInfo.put("raw_attributes", new TreeMap<>(test.rawAttributes()));
            response.setUserInfo(json(userInfo));
        }
        test.error().ifPresent(response::setError);
        test.errorDescription().ifPresent(response::setErrorDescription);
        test.errorDetails().ifPresent(response::setErrorDetails);
        return response.build();
    }

    private static String json(Map<String, Object> value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
