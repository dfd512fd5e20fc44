package dev.gatehouse.app;

import static dev.gatehouse.app.RpcStatusAssertions.assertRpcStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.grpc.GrpcClients;
import dev.gatehouse.proto.errdetails.ErrorInfo;
import dev.gatehouse.proto.passwordless.PasswordlessServiceGrpc.PasswordlessServiceBlockingStub;
import dev.gatehouse.proto.passwordless.PasswordlessType;
import dev.gatehouse.proto.passwordless.ResendPasswordlessRequest;
import dev.gatehouse.proto.passwordless.SendPasswordlessRequest;
import dev.gatehouse.proto.passwordless.SendPasswordlessResponse;
import dev.gatehouse.proto.passwordless.TemplateType;
import dev.gatehouse.proto.passwordless.VerifyPasswordLessRequest;
import dev.gatehouse.proto.passwordless.VerifyPasswordLessResponse;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Passwordless over gRPC with real SMTP: GreenMail is the process-wide SMTP server (GATEHOUSE_SMTP_*), so the dev
 * mailbox is off; an isolated environment gets SMTP settings of its own through {@code PUT /api/v1/email/smtp}.
 */
class PasswordlessSmtpGrpcTest {
    @RegisterExtension
    static final GreenMailExtension GREENMAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("envuser", "env-pass"))
            .withPerMethodLifecycle(false);
    private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");
    static TestGatehouse gatehouse;
    static ClientFactory clients;
    static PasswordlessServiceBlockingStub stub;

    @BeforeAll
    static void start() {
        gatehouse = TestGatehouse.start(Map.of(
                "GATEHOUSE_SMTP_HOST", "127.0.0.1",
                "GATEHOUSE_SMTP_PORT", Integer.toString(GREENMAIL.getSmtp().getPort()),
                "GATEHOUSE_SMTP_TLS", "none",
                "GATEHOUSE_SMTP_FROM", "login@gatehouse.test",
                "GATEHOUSE_SMTP_FROM_NAME", "Gatehouse Login"));
        clients = ClientFactory.builder().build();
        stub = GrpcClients.builder("h2c://127.0.0.1:" + gatehouse.port()).factory(clients).responseTimeoutMillis(30_000)
                .addHeader("authorization", "Bearer " + gatehouse.accessToken())
                .build(PasswordlessServiceBlockingStub.class);
    }

    @AfterAll
    static void stop() {
        if (clients != null) {
            clients.close();
        }
        if (gatehouse != null) {
            gatehouse.close();
        }
    }

    static String email() {
        return "smtp-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    static MimeMessage lastMessageTo(String to) {
        return Arrays.stream(GREENMAIL.getReceivedMessages())
                .filter(m -> recipients(m).contains(to))
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no message to " + to));
    }

    static String recipients(MimeMessage message) {
        try {
            return GreenMailUtil.getAddressList(message.getAllRecipients());
        } catch (jakarta.mail.MessagingException e) {
            throw new AssertionError(e);
        }
    }

    static String codeTo(String to) {
        Matcher m = CODE.matcher(GreenMailUtil.getBody(lastMessageTo(to)));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    static ErrorInfo errorInfo(StatusRuntimeException e) throws Exception {
        return StatusProto.fromThrowable(e).getDetails(0).unpack(ErrorInfo.class);
    }

    @Test
    void grpcSendVerifyWhenProcessSmtpThenGreenMailGetsTheCodeAndVerifyAnswersTheEmail() throws Exception {
        String email = email();

        SendPasswordlessResponse sent = stub.sendPasswordlessEmail(SendPasswordlessRequest.newBuilder().setEmail(email)
                .setTemplate(TemplateType.SIGNUP).setState("st").setExpiresIn(600).build());

        assertThat(sent.getExpiresIn()).isEqualTo(600);
        assertThat(sent.getPasswordlessType()).isEqualTo(PasswordlessType.OTP);
        MimeMessage message = lastMessageTo(email);
        assertThat(message.getFrom()[0].toString()).contains("Gatehouse Login", "login@gatehouse.test");
        assertThat(message.getSubject()).isEqualTo("Your development sign-up code");
        VerifyPasswordLessResponse verified = stub.verifyPasswordlessEmail(VerifyPasswordLessRequest.newBuilder()
                .setCode(codeTo(email)).setAuthRequestId(sent.getAuthRequestId()).build());
        assertThat(verified.getEmail()).isEqualTo(email);
        assertThat(verified.getState()).isEqualTo("st");
        assertThat(verified.getTemplate()).isEqualTo(TemplateType.SIGNUP);
        assertThat(gatehouse.get("/_dev/mail", null).status()).as("dev mailbox off when SMTP is configured").isEqualTo(404);
        assertThat(gatehouse.get("/api/v1/email/smtp", gatehouse.accessToken()).json().path("route").asText())
                .isEqualTo("DEFAULT_SMTP");
    }

    @Test
    void grpcErrorsWhenRateLimitedOrWrongThenStatusCodesWithErrorInfoAndRetryAfter() throws Exception {
        String email = email();
        SendPasswordlessResponse sent = stub.sendPasswordlessEmail(SendPasswordlessRequest.newBuilder().setEmail(email).build());
        stub.resendPasswordlessEmail(ResendPasswordlessRequest.newBuilder().setAuthRequestId(sent.getAuthRequestId()).build());

        StatusRuntimeException limited = catchThrowableOfType(StatusRuntimeException.class, () ->
                stub.sendPasswordlessEmail(SendPasswordlessRequest.newBuilder().setEmail(email).build()));
        StatusRuntimeException wrong = catchThrowableOfType(StatusRuntimeException.class, () ->
                stub.verifyPasswordlessEmail(VerifyPasswordLessRequest.newBuilder().setCode("abc")
                        .setAuthRequestId(sent.getAuthRequestId()).build()));
        StatusRuntimeException invalid = catchThrowableOfType(StatusRuntimeException.class, () ->
                stub.sendPasswordlessEmail(SendPasswordlessRequest.newBuilder().setEmail("nope").build()));

        assertThat(limited.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(errorInfo(limited).getErrorCode()).isEqualTo("RESOURCE_EXHAUSTED");
        assertThat(limited.getTrailers().get(Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER)))
                .matches("[1-9][0-9]?");
        assertThat(wrong.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(invalid.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(errorInfo(invalid).getValidationErrorInfo().getFieldViolations(0).getField()).isEqualTo("email");
    }

    @Test
    void environmentSmtpWhenSetThroughTheApiThenItsMailGoesThereWithAuthAndThePasswordIsNeverShown() {
        TestGatehouse.TestEnvironment env = gatehouse.createIsolatedEnvironment();
        String token = gatehouse.accessToken(env);
        TestGatehouse.Response put = gatehouse.send("PUT", "/api/v1/email/smtp", token, "application/json",
                TestGatehouse.toJson(Map.of("host", "127.0.0.1", "port", GREENMAIL.getSmtp().getPort(), "tls_mode", "NONE",
                        "username", "envuser", "password", "env-pass", "from_address", "team@acme.test",
                        "from_name", "Acme Team")));
        assertThat(put.status()).as("%s", put).isEqualTo(200);
        assertThat(put.body()).doesNotContain("env-pass");
        assertThat(put.json().path("smtp").path("password_set").asBoolean()).isTrue();
        assertThat(put.json().path("route").asText()).isEqualTo("ENVIRONMENT_SMTP");
        String testTo = email();

        TestGatehouse.Response test = gatehouse.postJson("/api/v1/email/smtp:test", token, Map.of("to", testTo));

        assertThat(test.status()).as("%s", test).isEqualTo(200);
        assertThat(lastMessageTo(testTo)).satisfies(m -> assertThat(m.getFrom()[0].toString()).contains("team@acme.test"));
        String email = email();
        String id = gatehouse.postJson(PasswordlessRestTest.SEND, token, Map.of("email", email)).json()
                .path("auth_request_id").asText();
        assertThat(gatehouse.postJson(PasswordlessRestTest.VERIFY, token, Map.of("code", codeTo(email),
                "auth_request_id", id)).status()).isEqualTo(200);
        assertThat(gatehouse.get("/api/v1/email/smtp", token).body()).doesNotContain("env-pass");
    }

    @Test
    void environmentSmtpWhenServerUnreachableThenSendIs503AndAudited() throws Exception {
        TestGatehouse.TestEnvironment env = gatehouse.createIsolatedEnvironment();
        String token = gatehouse.accessToken(env);
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        gatehouse.send("PUT", "/api/v1/email/smtp", token, "application/json", TestGatehouse.toJson(Map.of(
                "host", "127.0.0.1", "port", closedPort, "tls_mode", "NONE", "from_address", "team@acme.test")));
        long mark = gatehouse.auditMark();

        TestGatehouse.Response sent = gatehouse.postJson(PasswordlessRestTest.SEND, token, Map.of("email", email()));

        assertRpcStatus(sent, 503, 14, "UNAVAILABLE");
        assertThat(gatehouse.auditSince(mark, "passwordless.send.rejected")).singleElement()
                .satisfies(r -> assertThat(r.attributes()).contains("MAIL_FAILED"));
        assertThat(gatehouse.delete("/api/v1/email/smtp", token).status()).isEqualTo(200);
        assertThat(gatehouse.get("/api/v1/email/smtp", token).json().path("route").asText()).isEqualTo("DEFAULT_SMTP");
    }
}
