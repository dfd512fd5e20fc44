package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Statuses the server raises itself (wrong method, unknown host, a body that never arrives), in each surface's error
 * shape: rpcStatus JSON under /api/, RFC 6749 JSON under /oauth/, SCIM errors under /directory/, the hosted error page
 * on pages a browser shows, never a 5xx for the client's mistake and never a text/plain body.
 */
class SurfaceErrorShapesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestGatehouse gatehouse;

    @BeforeAll
    static void start() {
        gatehouse = TestGatehouse.start(Map.of("GATEHOUSE_REQUEST_TIMEOUT_MILLIS", "1000"));
    }

    @AfterAll
    static void stop() {
        gatehouse.close();
    }

    private static JsonNode json(TestGatehouse.Response response) throws IOException {
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        return JSON.readTree(response.body());
    }

    @Test
    void wrongMethodOnTheExternalIdRoutesIs405RpcStatusNot501() throws IOException {
        String token = gatehouse.accessToken();
        for (String[] call : new String[][] {{"PUT", "/api/v1/organizations:external/acme-1"},
                {"POST", "/api/v1/users:external/u-1"}}) {
            TestGatehouse.Response response = gatehouse.send(call[0], call[1], token, "application/json", "{}");
            assertThat(response.status()).as("%s %s", call[0], call[1]).isEqualTo(405);
            JsonNode body = json(response);
            assertThat(body.path("code").asInt()).isEqualTo(12);
            assertThat(body.at("/details/0/error_code").asText()).isEqualTo("UNIMPLEMENTED");
        }
    }

    @Test
    void wrongMethodOnKeysAndDiscoveryIsJson405() throws IOException {
        for (String path : new String[] {"/keys", "/.well-known/jwks.json", "/.well-known/openid-configuration",
                "/.well-known/oauth-authorization-server"}) {
            TestGatehouse.Response response = gatehouse.send("POST", path, Map.of(), HttpRequest.BodyPublishers.noBody());
            assertThat(response.status()).as(path).isEqualTo(405);
            assertThat(json(response).path("error").asText()).as(path).isEqualTo("405");
        }
    }

    @Test
    void wrongMethodOnHostedPagesIsTheHtmlErrorPageWithAllow() {
        for (String path : new String[] {"/oauth/authorize?client_id=x", "/login/lgn_1"}) {
            TestGatehouse.Response response = gatehouse.send("PUT", path, Map.of(), HttpRequest.BodyPublishers.noBody());
            assertThat(response.status()).as(path).isEqualTo(405);
            assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
            assertThat(response.headers().firstValue("allow")).contains("GET, HEAD, POST");
            assertThat(response.body()).contains("Method not allowed");
        }
    }

    @Test
    void oversizedFormOnAHostedPageIsTheHtmlErrorPage() {
        TestGatehouse.Response response = gatehouse.send("POST", "/login/lgn_1",
                Map.of("content-type", "application/x-www-form-urlencoded"),
                HttpRequest.BodyPublishers.ofString("a=" + "b".repeat(2 * 1024 * 1024)));
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(response.body()).contains("Request Entity Too Large").doesNotContain("Exception");
    }

    /** Sends a request whose Content-Length promises more than it sends, and reads the raw answer. */
    private static String truncatedBody(String path, String contentType) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", gatehouse.port())) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + gatehouse.port() + "\r\n"
                    + "Content-Type: " + contentType + "\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{\"a\":1}")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aBodyShorterThanItsContentLengthIs408InTheSurfacesShapeNot500() throws IOException {
        String api = truncatedBody("/api/v1/organizations", "application/json");
        assertThat(api).startsWith("HTTP/1.1 408").contains("\"code\":3").doesNotContain("INTERNAL");

        String oauth = truncatedBody("/oauth/token", "application/x-www-form-urlencoded");
        assertThat(oauth).startsWith("HTTP/1.1 408").contains("\"error\":\"invalid_request\"");

        String page = truncatedBody("/login/lgn_1", "application/x-www-form-urlencoded");
        assertThat(page).startsWith("HTTP/1.1 408").contains("text/html").contains("Request Timeout");
    }
}
