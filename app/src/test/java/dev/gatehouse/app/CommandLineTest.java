package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.core.credential.ClientAuthentication;
import dev.gatehouse.core.environment.EnvironmentType;
import dev.gatehouse.store.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ./gatehouse subcommands: env create, env list, credentials add, keys rotate, audit list, audit verify. */
class CommandLineTest {
    private TestDatabases.TestDatabase database;
    private Map<String, String> env;
    @TempDir
    Path data;
    @TempDir
    Path keyDirectory;

    @BeforeEach
    void setUp() {
        database = TestDatabases.preferred();
        env = new HashMap<>();
        env.put("GATEHOUSE_DATA_DIR", data.toString());
        env.put("GATEHOUSE_DATABASE_URL", database.jdbcUrl());
        env.put("GATEHOUSE_DATABASE_USER", database.user());
        env.put("GATEHOUSE_DATABASE_PASSWORD", database.password());
        env.put("GATEHOUSE_MASTER_KEY", Base64.getEncoder().encodeToString(new byte[32]));
    }

    @AfterEach
    void tearDown() {
        database.close();
    }

    private String run(String... args) {
        Result result = runWithStatus(args);
        assertThat(result.status()).as("exit status of %s: %s", String.join(" ", args), result.out()).isZero();
        return result.out();
    }

    private record Result(int status, String out) {}

    private Result runWithStatus(String... args) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int status = Main.run(args, env, new PrintStream(buffer, true, StandardCharsets.UTF_8));
        return new Result(status, buffer.toString(StandardCharsets.UTF_8));
    }

    private static String group(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as("%s in %s", regex, text).isTrue();
        return matcher.group(1);
    }

    @Test
    void envCreateWhenIssuerGivenThenPrintsWorkingCredentialsOnce() {
        String out = run("env", "create", "--name", "staging", "--issuer", "https://auth.staging.example.com/");
        String environmentId = group(out, "environment (env_\\d{17})");
        String clientId = group(out, "client_id\\s+(skc_\\d{17})");
        String secret = group(out, "client_secret\\s+(gsk_\\S+)");
        assertThat(out).contains("issuer https://auth.staging.example.com");

        try (Wiring wiring = Wiring.open(GatehouseConfig.fromEnvironment(env), Clock.systemUTC())) {
            assertThat(wiring.clients.authenticate(clientId, secret)).isInstanceOf(ClientAuthentication.Authenticated.class);
            assertThat(wiring.signingKeys.active(environmentId)).isPresent();
            // Only the hash is stored.
            assertThat(wiring.clientRepository.secrets(environmentId, clientId))
                    .singleElement().satisfies(s -> assertThat(s.hash().hex()).doesNotContain(secret));
        }
        assertThat(run("env", "list")).contains(environmentId).contains("https://auth.staging.example.com");
    }

    @Test
    void envCreateWhenTypeGivenThenStoredAndListedDefaultDevelopment() {
        String prodId = group(run("env", "create", "--name", "prod", "--issuer", "https://auth.example.com", "--type",
                "production"), "environment (env_\\d{17})");
        String devId = group(run("env", "create", "--name", "dev", "--issuer", "https://dev.example.com"),
                "environment (env_\\d{17})");

        try (Wiring wiring = Wiring.open(GatehouseConfig.fromEnvironment(env), Clock.systemUTC())) {
            assertThat(wiring.environmentRepository.findById(prodId).orElseThrow().type())
                    .isEqualTo(EnvironmentType.PRODUCTION);
            assertThat(wiring.environmentRepository.findById(devId).orElseThrow().type())
                    .isEqualTo(EnvironmentType.DEVELOPMENT);
        }
        assertThat(run("env", "list")).containsPattern(prodId + "\\t.*\\tproduction").containsPattern(devId + "\\t.*\\tdevelopment");
        assertThatThrownBy(() -> Main.run(new String[] {"env", "create", "--name", "x", "--issuer", "https://x.example.com",
                "--type", "staging"}, env, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
                .isInstanceOf(Main.CommandLine.UsageException.class).hasMessageContaining("--type");
    }

    @Test
    void envCreateWhenDevelopmentThenTestOrganizationWithSimulatorAndWhenProductionThenNone() {
        String prodId = group(run("env", "create", "--name", "prod", "--issuer", "https://auth.example.com", "--type",
                "production"), "environment (env_\\d{17})");
        String devId = group(run("env", "create", "--name", "dev", "--issuer", "https://dev.example.com"),
                "environment (env_\\d{17})");

        try (Wiring wiring = Wiring.open(GatehouseConfig.fromEnvironment(env), Clock.systemUTC())) {
            var simulators = wiring.connections.listAll(devId).stream().filter(c -> c.isSimulator()).toList();
            assertThat(simulators).singleElement().satisfies(c -> assertThat(c.isActive()).isTrue());
            assertThat(wiring.organizations.get(devId, new dev.gatehouse.core.organization.OrganizationRef.ById(
                    simulators.get(0).organizationId())).displayName()).isEqualTo("Test Organization");
            assertThat(wiring.domainRepository.findByName(devId, "example.org")).isPresent();
            assertThat(wiring.connections.listAll(prodId)).isEmpty();
            assertThat(wiring.domainRepository.findByName(prodId, "example.com")).isEmpty();
        }
    }

    @Test
    void credentialsAddWhenClientGivenThenBothSecretsWork() {
        String created = run("env", "create", "--name", "dev", "--issuer", "http://dev.example.test:8080");
        String environmentId = group(created, "environment (env_\\d{17})");
        String clientId = group(created, "client_id\\s+(skc_\\d{17})");
        String first = group(created, "client_secret\\s+(gsk_\\S+)");

        String added = run("credentials", "add", "--environment", environmentId, "--client", clientId);
        String second = group(added, "client_secret\\s+(gsk_\\S+)");
        assertThat(second).isNotEqualTo(first);

        String another = run("credentials", "add", "--environment", environmentId);
        String otherClient = group(another, "client_id\\s+(skc_\\d{17})");
        assertThat(otherClient).isNotEqualTo(clientId);

        try (Wiring wiring = Wiring.open(GatehouseConfig.fromEnvironment(env), Clock.systemUTC())) {
            assertThat(wiring.clients.authenticate(clientId, first)).isInstanceOf(ClientAuthentication.Authenticated.class);
            assertThat(wiring.clients.authenticate(clientId, second)).isInstanceOf(ClientAuthentication.Authenticated.class);
            assertThat(wiring.clients.authenticate(clientId, "gsk_wrong")).isInstanceOf(ClientAuthentication.Rejected.class);
        }
    }

    @Test
    void keysRotateWhenRunThenNewKeyPublishedBeforeItSignsAndImmediatelySignsAtOnce() {
        String created = run("env", "create", "--name", "dev", "--issuer", "http://rotate.example.test");
        String environmentId = group(created, "environment (env_\\d{17})");
        String before;
        try (Wiring wiring = Wiring.open(GatehouseConfig.fromEnvironment(env), Clock.systemUTC())) {
            before = wiring.signingKeys.active(environmentId).orElseThrow().kid();
        }
        String out = run("keys", "rotate", "--environment", environmentId);
        String after = group(out, "new signing key (snk_\\d{17})");
        assertThat(after).isNotEqualTo(before);
        assertThat(out).contains("is published now and signs from");
        try (Wiring wiring = Wiring.open(GatehouseConfig.fromEnvironment(env), Clock.systemUTC())) {
            assertThat(wiring.signingKeys.active(environmentId).orElseThrow().kid())
                    .as("published first, signing only after the lead").isEqualTo(before);
            assertThat(wiring.signingKeys.published(environmentId)).extracting(k -> k.kid()).contains(before, after);
        }
        String urgent = group(run("keys", "rotate", "--environment", environmentId, "--immediately"),
                "new signing key (snk_\\d{17})");
        try (Wiring wiring = Wiring.open(GatehouseConfig.fromEnvironment(env), Clock.systemUTC())) {
            assertThat(wiring.signingKeys.active(environmentId).orElseThrow().kid()).isEqualTo(urgent);
        }
    }

    @Test
    void commandWhenUnknownOrIncompleteThenUsageError() {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Main.run(new String[] {"frobnicate"}, env, sink)).hasMessageContaining("unknown command");
        assertThatThrownBy(() -> Main.run(new String[] {"env", "create", "--name", "x"}, env, sink))
                .hasMessageContaining("missing --issuer");
        assertThatThrownBy(() -> Main.run(new String[] {"keys", "rotate", "--environment", "env_404"}, env, sink))
                .hasMessageContaining("no environment env_404");
    }

    @Test
    void configWhenPortInvalidThenConfigErrorNamesVariable() {
        env.put("GATEHOUSE_PORT", "eighty");
        assertThatThrownBy(() -> GatehouseConfig.fromEnvironment(env))
                .isInstanceOf(GatehouseConfig.ConfigException.class).hasMessageContaining("GATEHOUSE_PORT");
        env.put("GATEHOUSE_PORT", "70000");
        assertThatThrownBy(() -> GatehouseConfig.fromEnvironment(env)).hasMessageContaining("between 0 and 65535");
    }

    @Test
    void masterKeyWhenMissingThenGeneratedOnceAndReused() throws Exception {
        byte[] first = MasterKeys.load(java.util.Optional.empty(), keyDirectory);
        byte[] second = MasterKeys.load(java.util.Optional.empty(), keyDirectory);
        assertThat(first).hasSize(32).isEqualTo(second);
        assertThat(Files.getPosixFilePermissions(keyDirectory.resolve(MasterKeys.FILE_NAME)))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThatThrownBy(() -> MasterKeys.load(java.util.Optional.of("c2hvcnQ="), keyDirectory))
                .hasMessageContaining("32 bytes");
    }

    @Test
    void auditVerifyWhenIntactThenZeroAndWhenRowsEditedOrDeletedThenThreeNamingTheFirstBrokenRecord() {
        String first = group(run("env", "create", "--name", "one", "--issuer", "http://one.example.test"),
                "environment (env_\\d{17})");
        String second = group(run("env", "create", "--name", "two", "--issuer", "http://two.example.test"),
                "environment (env_\\d{17})");
        try (Wiring wiring = Wiring.open(GatehouseConfig.fromEnvironment(env), Clock.systemUTC())) {
            for (String environmentId : java.util.List.of(first, second)) {
                for (int i = 0; i < 4; i++) {
                    wiring.audit.append(new dev.gatehouse.core.audit.AuditRecord(java.time.Instant.now(),
                            java.util.Optional.of(environmentId), java.util.Optional.empty(), "oauth.token.rejected",
                            dev.gatehouse.core.audit.AuditRecord.Outcome.FAILURE, java.util.Optional.of("skc_" + i),
                            java.util.Optional.of("secret does not match"), java.util.Optional.empty(), Map.of()));
                }
            }
        }

        String intact = run("audit", "verify", "--env", first);
        assertThat(intact).contains(first + "\tintact\t4 records\thead 4 ").contains("audit log intact");
        assertThat(run("audit", "verify")).contains(first + "\tintact").contains(second + "\tintact");

        sql("update audit_records set reason = 'nothing happened' where environment_id = ? and chain_seq = 2", first);
        sql("delete from audit_records where environment_id = ? and chain_seq = 3", second);

        Result edited = runWithStatus("audit", "verify", "--env", first);
        assertThat(edited.status()).isEqualTo(3);
        assertThat(edited.out()).containsPattern(first + "\tBROKEN\tat sequence 2 \\(aud_\\d+\\): EDITED")
                .contains("audit log BROKEN");
        Result all = runWithStatus("audit", "verify");
        assertThat(all.status()).isEqualTo(3);
        assertThat(all.out()).contains(second + "\tBROKEN\tat sequence 3: MISSING: record 3 is missing");
        assertThatThrownBy(() -> Main.run(new String[] {"audit", "verify", "--env", "env_404"}, env,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
                .hasMessageContaining("no environment env_404");
    }

    private void sql(String statement, String environmentId) {
        try (Wiring wiring = Wiring.open(GatehouseConfig.fromEnvironment(env), Clock.systemUTC())) {
            wiring.database.jdbi().useHandle(h -> h.execute(statement, environmentId));
        }
    }
}
