package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With GATEHOUSE_TLS_CERT/KEY set, the one port speaks TLS (ALPN h2) and still plain HTTP. */
class TlsTest {
    @TempDir
    static Path directory;
    private static TestGatehouse gatehouse;

    @BeforeAll
    static void start() throws Exception {
        Path keystore = directory.resolve("server.p12");
        keytool("-genkeypair", "-alias", "gatehouse", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit");
        Path certificate = directory.resolve("server.crt");
        keytool("-exportcert", "-rfc", "-alias", "gatehouse", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-file", certificate.toString());
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = new FileInputStream(keystore.toFile())) {
            store.load(in, "changeit".toCharArray());
        }
        PrivateKey key = (PrivateKey) store.getKey("gatehouse", "changeit".toCharArray());
        Path keyFile = directory.resolve("server.key");
        Files.writeString(keyFile, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        gatehouse = TestGatehouse.start(Map.of(
                "GATEHOUSE_TLS_CERT", certificate.toString(), "GATEHOUSE_TLS_KEY", keyFile.toString()));
    }

    @AfterAll
    static void stop() {
        if (gatehouse != null) {
            gatehouse.close();
        }
    }

    private static void keytool(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
        assertThat(process.exitValue()).as(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
    }

    private static SSLContext trustingContext() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
                throw new UnsupportedOperationException("client certificates are not used");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                assertThat(chain[0].getSubjectX500Principal().getName()).isEqualTo("CN=127.0.0.1");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return context;
    }

    @Test
    void httpsWhenClientOffersH2ThenAlpnSelectsHttp2() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(trustingContext()).version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + gatehouse.port() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.sslSession()).isPresent();
    }

    @Test
    void httpsWhenClientSpeaksHttp11ThenServed() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(trustingContext()).version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + gatehouse.port() + "/oauth/token"))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + gatehouse.clientId()
                        + "&client_secret=" + gatehouse.clientSecret())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(response.body()).contains("\"access_token\"");
    }

    @Test
    void plainHttpWhenTlsConfiguredThenStillServedOnTheSamePort() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gatehouse.port() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }
}
