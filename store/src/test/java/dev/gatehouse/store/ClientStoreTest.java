package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.core.client.AppClient;
import dev.gatehouse.core.client.AppClientPatch;
import dev.gatehouse.core.client.AppClientService;
import dev.gatehouse.core.client.AppClientSettings;
import dev.gatehouse.core.client.CustomClaim;
import dev.gatehouse.core.client.EnvironmentAppClient;
import dev.gatehouse.core.client.NewAppClient;
import dev.gatehouse.core.client.NewOrganizationClient;
import dev.gatehouse.core.client.OrganizationClient;
import dev.gatehouse.core.client.OrganizationClientAuthentication;
import dev.gatehouse.core.client.OrganizationClientPatch;
import dev.gatehouse.core.client.OrganizationClientService;
import dev.gatehouse.core.credential.ClientAuthentication;
import dev.gatehouse.core.credential.IssuedCredentials;
import dev.gatehouse.core.credential.IssuedSecret;
import dev.gatehouse.core.credential.SecretHash;
import dev.gatehouse.core.credential.SecretStatus;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.environment.EnvironmentType;
import dev.gatehouse.core.organization.NewOrganization;
import dev.gatehouse.core.organization.Organization;
import dev.gatehouse.core.organization.OrganizationRef;
import dev.gatehouse.core.organization.RegionCode;
import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.shared.FieldViolation;
import dev.gatehouse.core.shared.PageRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** ClientService's storage: environment app clients and organization M2M clients on H2 and PostgreSQL. */
class ClientStoreTest {
    private static AppClientPatch redirects(List<String> uris, String defaultUri) {
        return new AppClientPatch(Optional.empty(), Optional.of(uris), Optional.ofNullable(defaultUri), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static NewOrganizationClient m2m(String name) {
        return new NewOrganizationClient(name, "deploys", List.of("deploy:applications", "read:deployments"),
                List.of("https://api.example.com"), List.of(new CustomClaim("team", "infra"), new CustomClaim("env", "prod")),
                Optional.empty());
    }

    private static Organization organization(StoreFixture f, String environmentId, String name) {
        return f.organizations.create(environmentId, new NewOrganization(name, RegionCode.UNSPECIFIED, Optional.empty(),
                Map.of(), Optional.empty(), Optional.empty()));
    }

    @EachDatabase
    void environmentTypeWhenStoredThenReadBackAndDefaultIsDevelopment(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment dev = f.environment("dev");
            Environment prod = f.environment("prod", EnvironmentType.PRODUCTION);
            var created = f.environments.create("made", "https://made.example.test", Optional.empty(), Optional.empty());

            assertThat(f.environmentRepository.findById(dev.id()).orElseThrow().type()).isEqualTo(EnvironmentType.DEVELOPMENT);
            assertThat(f.environmentRepository.findById(prod.id()).orElseThrow().type()).isEqualTo(EnvironmentType.PRODUCTION);
            assertThat(f.environmentRepository.findById(created.environment().id()).orElseThrow().type())
                    .isEqualTo(EnvironmentType.DEVELOPMENT);
        }
    }

    @EachDatabase
    void updateWhenRedirectUrisValidThenStoredAndSeenByTheDirectory(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            IssuedCredentials issued = f.clients.create(env.id(), "app", Optional.empty(), Optional.empty());
            String clientId = issued.client().id();
            assertThat(f.appClients.find(env.id(), clientId).orElseThrow().redirectUris()).isEmpty();

            EnvironmentAppClient updated = f.appClientService.update(env.id(), clientId, new AppClientPatch(Optional.of("App"),
                    Optional.of(List.of("https://app.example.com/cb", "http://localhost:3000/cb", "https://*.pr.example.com/cb")),
                    Optional.of("https://app.example.com/cb"), Optional.of(List.of("https://app.example.com/bye")),
                    Optional.of(List.of("https://app.example.com/bcl")), Optional.of("https://app.example.com/login"),
                    Optional.of(true), Optional.of(900L)));

            assertThat(updated.client().name()).isEqualTo("App");
            assertThat(f.appClientService.get(env.id(), clientId)).isEqualTo(updated);
            assertThat(updated.settings()).isEqualTo(new AppClientSettings(
                    List.of("https://app.example.com/cb", "http://localhost:3000/cb", "https://*.pr.example.com/cb"),
                    Optional.of("https://app.example.com/cb"), List.of("https://app.example.com/bye"),
                    List.of("https://app.example.com/bcl"), Optional.of("https://app.example.com/login"), true,
                    Optional.of(900L)));
            AppClient app = f.appClients.find(env.id(), clientId).orElseThrow();
            assertThat(app).isEqualTo(new AppClient(env.id(), clientId, true, updated.settings().redirectUris(),
                    Optional.of("https://app.example.com/cb"), List.of("https://app.example.com/bye"), true));
            assertThat(app.acceptsRedirectUri("https://pr12.pr.example.com/cb")).isTrue();
            assertThat(f.appClients.find("env_other", clientId)).isEmpty();

            // A later partial update keeps what it does not name; an empty default clears it.
            EnvironmentAppClient cleared = f.appClientService.update(env.id(), clientId, new AppClientPatch(Optional.empty(),
                    Optional.empty(), Optional.of(""), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty()));
            assertThat(cleared.settings().defaultRedirectUri()).isEmpty();
            assertThat(cleared.settings().redirectUris()).hasSize(3);
            assertThat(cleared.client().name()).isEqualTo("App");
        }
    }

    @EachDatabase
    void updateWhenRedirectUriBreaksARuleThenInvalidArgumentWithItsCodeAndNothingChanges(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment dev = f.environment("dev");
            Environment prod = f.environment("prod", EnvironmentType.PRODUCTION);
            String devClient = f.clients.create(dev.id(), "app", Optional.empty(), Optional.empty()).client().id();
            String prodClient = f.clients.create(prod.id(), "app", Optional.empty(), Optional.empty()).client().id();

            Map<List<String>, String> devCases = Map.of(
                    List.of("https://a.example.com/1", "https://a.example.com/2", "https://a.example.com/3",
                            "https://a.example.com/4", "https://a.example.com/5", "https://a.example.com/6"),
                    "max_redirects_exceeded",
                    List.of("https://a.example.com/" + "x".repeat(240)), "uri_too_long",
                    List.of("https://a.example.com/cb?next=1"), "query_parameters_not_allowed",
                    List.of("https://a.example.com/cb#frag"), "fragment_not_allowed",
                    List.of("https://*.com/cb"), "invalid_wildcard_usage",
                    List.of("nope"), "invalid_uri_format",
                    List.of("https://a.example.com/cb", "https://a.example.com/cb"), "invalid_redirect_uri");
            devCases.forEach((uris, code) -> assertThat(codeOf(() -> f.appClientService.update(dev.id(), devClient,
                    redirects(uris, null)))).as("%s", uris).isEqualTo(code));
            Map<String, String> prodCases = Map.of(
                    "http://a.example.com/cb", "http_not_allowed",
                    "https://localhost/cb", "localhost_not_allowed",
                    "https://*.example.com/cb", "wildcard_not_allowed");
            prodCases.forEach((uri, code) -> assertThat(codeOf(() -> f.appClientService.update(prod.id(), prodClient,
                    redirects(List.of(uri), null)))).as(uri).isEqualTo(code));
            assertThat(codeOf(() -> f.appClientService.update(dev.id(), devClient,
                    redirects(List.of("https://a.example.com/cb"), "https://a.example.com/other"))))
                    .isEqualTo("invalid_redirect_uri");

            assertThat(f.appClientService.get(dev.id(), devClient).settings()).isEqualTo(AppClientSettings.NONE);
            assertThat(f.appClientService.get(prod.id(), prodClient).settings()).isEqualTo(AppClientSettings.NONE);
        }
    }

    private static String codeOf(Runnable work) {
        try {
            work.run();
        } catch (DomainException.InvalidArgument e) {
            FieldViolation violation = e.violations().getFirst();
            assertThat(violation.description()).startsWith(violation.constraint() + ": client.");
            return violation.constraint();
        }
        throw new AssertionError("expected INVALID_ARGUMENT");
    }

    @EachDatabase
    void secretsWhenCreatedDeactivatedAndDeletedThenOnlyActiveOnesAuthenticateAndSixthRefused(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            var created = f.appClientService.create(env.id(), new NewAppClient("Web app", "ENV", AppClientSettings.NONE));
            String clientId = created.client().id();
            assertThat(created.client().clientType()).isEqualTo("ENV");
            assertThat(created.client().secrets()).singleElement().satisfies(s -> assertThat(s.active()).isTrue());
            assertThat(f.clients.authenticate(clientId, created.secret().plainSecret()))
                    .isInstanceOf(ClientAuthentication.Authenticated.class);

            List<IssuedSecret> more = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                more.add(f.appClientService.createSecret(env.id(), clientId));
            }
            assertThatThrownBy(() -> f.appClientService.createSecret(env.id(), clientId))
                    .isInstanceOf(DomainException.FailedPrecondition.class);
            assertThat(f.count("environment_client_secrets", env.id())).isEqualTo(5);

            var inactive = f.appClientService.updateSecret(env.id(), clientId, more.getFirst().secret().id(), SecretStatus.INACTIVE);
            assertThat(inactive.status()).isEqualTo(SecretStatus.INACTIVE);
            assertThat(f.clients.authenticate(clientId, more.getFirst().plainSecret()))
                    .isInstanceOf(ClientAuthentication.Rejected.class);
            f.appClientService.updateSecret(env.id(), clientId, more.getFirst().secret().id(), SecretStatus.ACTIVE);
            assertThat(f.clients.authenticate(clientId, more.getFirst().plainSecret()))
                    .isInstanceOf(ClientAuthentication.Authenticated.class);

            f.appClientService.deleteSecret(env.id(), clientId, more.get(1).secret().id());
            assertThat(f.clients.authenticate(clientId, more.get(1).plainSecret())).isInstanceOf(ClientAuthentication.Rejected.class);
            assertThatThrownBy(() -> f.appClientService.deleteSecret(env.id(), clientId, more.get(1).secret().id()))
                    .isInstanceOf(DomainException.NotFound.class);

            for (var secret : f.appClientService.get(env.id(), clientId).secrets()) {
                f.appClientService.updateSecret(env.id(), clientId, secret.id(), SecretStatus.INACTIVE);
            }
            assertThat(f.appClients.find(env.id(), clientId).orElseThrow().hasSecrets()).isFalse();
        }
    }

    @EachDatabase
    void appClientsWhenOtherEnvironmentAsksThenNotFoundAndUnchanged(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment a = f.environment("alpha");
            Environment b = f.environment("beta");
            var created = f.appClientService.create(a.id(), new NewAppClient("A app", "ENV", AppClientSettings.NONE));
            String clientId = created.client().id();
            String secretId = created.secret().secret().id();

            assertThatThrownBy(() -> f.appClientService.get(b.id(), clientId)).isInstanceOf(DomainException.NotFound.class);
            assertThatThrownBy(() -> f.appClientService.update(b.id(), clientId, redirects(List.of("https://b.example.com/cb"), null)))
                    .isInstanceOf(DomainException.NotFound.class);
            assertThatThrownBy(() -> f.appClientService.createSecret(b.id(), clientId)).isInstanceOf(DomainException.NotFound.class);
            assertThatThrownBy(() -> f.appClientService.updateSecret(b.id(), clientId, secretId, SecretStatus.INACTIVE))
                    .isInstanceOf(DomainException.NotFound.class);
            assertThatThrownBy(() -> f.appClientService.deleteSecret(b.id(), clientId, secretId))
                    .isInstanceOf(DomainException.NotFound.class);
            assertThatThrownBy(() -> f.appClientService.delete(b.id(), clientId, "skc_caller"))
                    .isInstanceOf(DomainException.NotFound.class);
            assertThat(f.appClientService.list(b.id(), List.of(), PageRequest.first(30)).items()).isEmpty();

            assertThat(f.appClientService.get(a.id(), clientId)).isEqualTo(created.client());
            assertThat(f.clients.authenticate(clientId, created.secret().plainSecret()))
                    .isInstanceOf(ClientAuthentication.Authenticated.class);
            assertThatThrownBy(() -> f.appClientService.delete(a.id(), clientId, clientId))
                    .isInstanceOf(DomainException.FailedPrecondition.class);
            f.appClientService.delete(a.id(), clientId, "skc_caller");
            assertThat(f.count("environment_client_secrets", a.id())).isZero();
            assertThat(f.clients.authenticate(clientId, created.secret().plainSecret())).isInstanceOf(ClientAuthentication.Rejected.class);
        }
    }

    @EachDatabase
    void listWhenFilteredByTypeThenOnlyThatTypeInIdOrder(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            f.clients.create(env.id(), "cli", Optional.empty(), Optional.empty());
            var web = f.appClientService.create(env.id(), new NewAppClient("web", "WEB", AppClientSettings.NONE));
            var spa = f.appClientService.create(env.id(), new NewAppClient("spa", "SPA", AppClientSettings.NONE));

            assertThat(f.appClientService.list(env.id(), List.of(), PageRequest.first(30)).items()).hasSize(3);
            assertThat(f.appClientService.list(env.id(), List.of("WEB", "SPA"), PageRequest.first(30)).items())
                    .extracting(EnvironmentAppClient::id).containsExactly(web.client().id(), spa.client().id());
            var firstPage = f.appClientService.list(env.id(), List.of(), PageRequest.first(2));
            assertThat(firstPage.items()).hasSize(2);
            assertThat(firstPage.totalSize()).isEqualTo(3);
            assertThat(firstPage.next()).isPresent();
        }
    }

    @EachDatabase
    void organizationClientWhenCreatedThenSecretShownOnceStoredHashedAndClientReadBack(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            Organization org = organization(f, env.id(), "Acme");

            var created = f.organizationClients.create(env.id(), org.id(), m2m("GitHub Actions"));

            OrganizationClient client = created.client();
            assertThat(client.id()).matches("m2morg_\\d{17}");
            assertThat(client.expirySeconds()).isEqualTo(OrganizationClientService.DEFAULT_EXPIRY_SECONDS);
            assertThat(client.customClaims()).containsExactly(new CustomClaim("team", "infra"), new CustomClaim("env", "prod"));
            assertThat(f.organizationClients.get(env.id(), org.id(), client.id())).isEqualTo(client);
            String plain = created.secret().plainSecret();
            assertThat(plain).matches("gsk_[A-Za-z0-9_-]{43}");
            List<Map<String, Object>> rows = f.database.jdbi().withHandle(h -> h.createQuery(
                    "select * from organization_client_secrets").mapToMap().list());
            assertThat(rows).singleElement().satisfies(row -> {
                assertThat(row.get("secret_sha256")).isEqualTo(SecretHash.of(plain).hex());
                assertThat(row.values()).allSatisfy(v -> assertThat(String.valueOf(v)).doesNotContain(plain.substring(4)));
            });
            assertThat(f.organizationClients.authenticate(client.id(), plain))
                    .isEqualTo(new OrganizationClientAuthentication.Authenticated(client));
            assertThat(f.organizationClients.authenticate(client.id(), plain + "x"))
                    .isEqualTo(new OrganizationClientAuthentication.Rejected("secret does not match", Optional.of(env.id())));
            assertThat(f.organizationClients.authenticate("m2morg_1", plain))
                    .isEqualTo(new OrganizationClientAuthentication.Rejected("unknown client", Optional.empty()));
        }
    }

    @EachDatabase
    void organizationClientWhenUpdatedThenNamedFieldsChangeAndOthersStay(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            Organization org = organization(f, env.id(), "Acme");
            OrganizationClient client = f.organizationClients.create(env.id(), org.id(), m2m("GitHub Actions")).client();
            f.clock.advance(Duration.ofMinutes(1));

            OrganizationClient updated = f.organizationClients.update(env.id(), org.id(), client.id(),
                    new OrganizationClientPatch(Optional.empty(), Optional.of("new description"), Optional.of(List.of("read")),
                            Optional.empty(), Optional.empty(), Optional.of(600L)));

            assertThat(updated.name()).isEqualTo("GitHub Actions");
            assertThat(updated.description()).isEqualTo("new description");
            assertThat(updated.scopes()).containsExactly("read");
            assertThat(updated.audience()).containsExactly("https://api.example.com");
            assertThat(updated.customClaims()).isEqualTo(client.customClaims());
            assertThat(updated.expirySeconds()).isEqualTo(600);
            assertThat(updated.updateTime()).isAfter(client.updateTime());
            assertThat(f.organizationClients.get(env.id(), org.id(), client.id())).isEqualTo(updated);
        }
    }

    @EachDatabase
    void organizationClientWhenInputBreaksLimitsThenInvalidArgumentAndNothingWritten(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            Organization org = organization(f, env.id(), "Acme");
            Map<NewOrganizationClient, String> cases = Map.of(
                    new NewOrganizationClient("x".repeat(129), "", List.of(), List.of(), List.of(), Optional.empty()), "client.name",
                    new NewOrganizationClient("", "", List.of(), List.of(), List.of(), Optional.empty()), "client.name",
                    new NewOrganizationClient("n", "d".repeat(513), List.of(), List.of(), List.of(), Optional.empty()),
                    "client.description",
                    new NewOrganizationClient("n", "", List.of("has space"), List.of(), List.of(), Optional.empty()),
                    "client.scopes[0]",
                    new NewOrganizationClient("n", "", List.of(), List.of(""), List.of(), Optional.empty()), "client.audience[0]",
                    new NewOrganizationClient("n", "", List.of(), List.of(), List.of(new CustomClaim("sub", "x")), Optional.empty()),
                    "client.custom_claims[0].key",
                    new NewOrganizationClient("n", "", List.of(), List.of(), List.of(), Optional.of(10L)), "client.expiry");
            cases.forEach((request, field) -> assertThatThrownBy(() -> f.organizationClients.create(env.id(), org.id(), request))
                    .as(field).isInstanceOfSatisfying(DomainException.InvalidArgument.class,
                            e -> assertThat(e.violations()).extracting(FieldViolation::field).contains(field)));
            assertThat(f.count("organization_clients")).isZero();
        }
    }

    @EachDatabase
    void organizationClientSecretsWhenSixthRequestedThenRefusedAndDeletedOnesStopWorking(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            Organization org = organization(f, env.id(), "Acme");
            var created = f.organizationClients.create(env.id(), org.id(), m2m("svc"));
            String clientId = created.client().id();
            List<IssuedSecret> secrets = new ArrayList<>(List.of(created.secret()));
            for (int i = 0; i < 4; i++) {
                secrets.add(f.organizationClients.createSecret(env.id(), org.id(), clientId));
            }
            assertThatThrownBy(() -> f.organizationClients.createSecret(env.id(), org.id(), clientId))
                    .isInstanceOf(DomainException.FailedPrecondition.class);
            assertThat(f.count("organization_client_secrets")).isEqualTo(5);

            f.organizationClients.deleteSecret(env.id(), org.id(), clientId, secrets.getFirst().secret().id());
            assertThat(f.organizationClients.authenticate(clientId, secrets.getFirst().plainSecret()))
                    .isInstanceOf(OrganizationClientAuthentication.Rejected.class);
            assertThat(f.organizationClients.authenticate(clientId, secrets.getLast().plainSecret()))
                    .isInstanceOf(OrganizationClientAuthentication.Authenticated.class);

            f.organizationClients.delete(env.id(), org.id(), clientId);
            assertThat(f.count("organization_client_secrets")).isZero();
            assertThat(f.organizationClients.authenticate(clientId, secrets.getLast().plainSecret()))
                    .isInstanceOf(OrganizationClientAuthentication.Rejected.class);
        }
    }

    @EachDatabase
    void organizationClientsWhenOtherEnvironmentOrOrganizationAsksThenNotFoundAndUnchanged(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment a = f.environment("alpha");
            Environment b = f.environment("beta");
            Organization orgA = organization(f, a.id(), "Acme");
            Organization orgA2 = organization(f, a.id(), "Other org");
            Organization orgB = organization(f, b.id(), "Beta org");
            var created = f.organizationClients.create(a.id(), orgA.id(), m2m("svc"));
            String clientId = created.client().id();
            String secretId = created.secret().secret().id();
            OrganizationClientPatch rename = new OrganizationClientPatch(Optional.of("stolen"), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

            for (String[] scope : List.of(new String[] {b.id(), orgA.id()}, new String[] {b.id(), orgB.id()},
                    new String[] {a.id(), orgA2.id()})) {
                String env = scope[0];
                String org = scope[1];
                assertThatThrownBy(() -> f.organizationClients.get(env, org, clientId)).isInstanceOf(DomainException.NotFound.class);
                assertThatThrownBy(() -> f.organizationClients.update(env, org, clientId, rename))
                        .isInstanceOf(DomainException.NotFound.class);
                assertThatThrownBy(() -> f.organizationClients.createSecret(env, org, clientId))
                        .isInstanceOf(DomainException.NotFound.class);
                assertThatThrownBy(() -> f.organizationClients.deleteSecret(env, org, clientId, secretId))
                        .isInstanceOf(DomainException.NotFound.class);
                assertThatThrownBy(() -> f.organizationClients.delete(env, org, clientId)).isInstanceOf(DomainException.NotFound.class);
            }
            assertThatThrownBy(() -> f.organizationClients.list(b.id(), orgA.id(), PageRequest.first(10)))
                    .isInstanceOf(DomainException.NotFound.class);
            assertThatThrownBy(() -> f.organizationClients.create(b.id(), orgA.id(), m2m("x")))
                    .isInstanceOf(DomainException.NotFound.class);
            assertThat(f.organizationClients.list(a.id(), orgA2.id(), PageRequest.first(10)).items()).isEmpty();
            assertThat(f.organizationClients.list(b.id(), orgB.id(), PageRequest.first(10)).items()).isEmpty();

            assertThat(f.organizationClients.get(a.id(), orgA.id(), clientId)).isEqualTo(created.client());
            assertThat(f.count("organization_client_secrets")).isEqualTo(1);
        }
    }

    @EachDatabase
    void organizationWhenDeletedThenItsClientsAndSecretsGo(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            Organization org = organization(f, env.id(), "Acme");
            var created = f.organizationClients.create(env.id(), org.id(), m2m("svc"));

            f.organizations.delete(env.id(), new OrganizationRef.ById(org.id()));

            assertThat(f.count("organization_clients")).isZero();
            assertThat(f.count("organization_client_secrets")).isZero();
            assertThat(f.organizationClients.authenticate(created.client().id(), created.secret().plainSecret()))
                    .isInstanceOf(OrganizationClientAuthentication.Rejected.class);
        }
    }
}
