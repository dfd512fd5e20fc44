package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.core.connection.Connection;
import dev.gatehouse.core.connection.ConnectionFilter;
import dev.gatehouse.core.connection.ConnectionPatch;
import dev.gatehouse.core.connection.ConnectionProvider;
import dev.gatehouse.core.connection.ConnectionService;
import dev.gatehouse.core.connection.ConnectionStatus;
import dev.gatehouse.core.connection.ConnectionType;
import dev.gatehouse.core.connection.Domain;
import dev.gatehouse.core.connection.DomainType;
import dev.gatehouse.core.connection.IdpCertificate;
import dev.gatehouse.core.connection.IdpCertificates;
import dev.gatehouse.core.connection.IdpMetadata;
import dev.gatehouse.core.connection.NewConnection;
import dev.gatehouse.core.connection.OidcPatch;
import dev.gatehouse.core.connection.RequestBinding;
import dev.gatehouse.core.connection.SamlPatch;
import dev.gatehouse.core.connection.SamlSettings;
import dev.gatehouse.core.connection.SamlSigningOption;
import dev.gatehouse.core.connection.SpCredentialGenerator;
import dev.gatehouse.core.connection.VerificationStatus;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.organization.Organization;
import dev.gatehouse.core.organization.OrganizationRef;
import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.shared.PageRequest;
import dev.gatehouse.core.testing.TestCertificates;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Connections and domains through their services, on H2 and PostgreSQL: lifecycle, events, secrets, metadata refresh. */
class ConnectionServiceStoreTest {
    static final String METADATA_URL = "https://idp.example.test/metadata";

    static SamlPatch manualSaml(String certificates) {
        return SamlPatch.builder().idpEntityId("https://idp.example.test/entity").idpSsoUrl("https://idp.example.test/sso")
                .idpCertificates(certificates).allowIdpInitiatedLogin(true).build();
    }

    static Connection completeSaml(ConnectionFixture c, Organization organization) {
        Connection created = c.connections.create(c.environment.id(), organization.id(),
                new NewConnection(ConnectionType.SAML, ConnectionProvider.OKTA));
        return c.connections.update(c.environment.id(), Optional.of(organization.id()), created.id(),
                ConnectionPatch.NONE.withSaml(manualSaml(TestCertificates.IDP_1)));
    }

    static IdpMetadata metadata(String... pems) {
        return new IdpMetadata("https://idp.example.test/entity",
                Map.of(RequestBinding.HTTP_REDIRECT, "https://idp.example.test/sso/redirect",
                        RequestBinding.HTTP_POST, "https://idp.example.test/sso/post"),
                Map.of(RequestBinding.HTTP_REDIRECT, "https://idp.example.test/slo"),
                java.util.Arrays.stream(pems).map(p -> IdpCertificates.parse(p).getFirst()).toList(), false);
    }

    @EachDatabase
    void createWhenSamlThenDraftDisabledWithProviderDefaultsAndCreatedEvent(String kind) {
        try (ConnectionFixture c = new ConnectionFixture(kind)) {
            Organization acme = c.organization("Acme");
            Connection created = c.connections.create(c.environment.id(), acme.id(),
                    new NewConnection(ConnectionType.SAML, ConnectionProvider.MICROSOFT_AD));

            assertThat(created.id()).matches("conn_\\d{17}");
            assertThat(created.status()).isEqualTo(ConnectionStatus.DRAFT);
            assertThat(created.enabled()).isFalse();
            assertThat(created.attributeMapping()).containsEntry("sub", "nameid")
                    .containsEntry("email", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress");
            assertThat(created.spCredential()).isEmpty();
            assertThat(c.connections.get(c.environment.id(), Optional.of(acme.id()), created.id())).isEqualTo(created);
            assertThat(c.connections.get(c.environment.id(), Optional.empty(), created.id())).isEqualTo(created);

            var events = OutboxStoreTest.events(c.f, c.environment.id()).stream()
                    .filter(e -> e.type().startsWith("organization.sso")).toList();
            assertThat(events).extracting(OutboxStoreTest.Row::type).containsExactly("organization.sso_created");
            assertThat(events.getFirst().data()).isEqualTo("{\"connection_type\":\"SAML\",\"enabled\":false,\"id\":\""
                    + created.id() + "\",\"provider\":\"MICROSOFT_AD\",\"organization_id\":\"" + acme.id()
                    + "\",\"status\":\"DRAFT\"}");

            assertThatThrownBy(() -> c.connections.create(c.environment.id(), "org_404",
                    new NewConnection(ConnectionType.SAML, ConnectionProvider.OKTA))).isInstanceOf(DomainException.NotFound.class);
            assertThatThrownBy(() -> c.connections.get(c.environment.id(), Optional.of("org_other"), created.id()))
                    .isInstanceOf(DomainException.NotFound.class);
        }
    }

    @EachDatabase
    void updateWhenManualSamlSettingsThenCompletedWithCertificateExpiryAndRoundTrips(String kind) {
        try (ConnectionFixture c = new ConnectionFixture(kind)) {
            Organization acme = c.organization("Acme");
            Connection created = c.connections.create(c.environment.id(), acme.id(),
                    new NewConnection(ConnectionType.SAML, ConnectionProvider.OKTA));
            Connection partial = c.connections.update(c.environment.id(), Optional.of(acme.id()), created.id(),
                    ConnectionPatch.NONE.withSaml(SamlPatch.builder().idpEntityId("https://idp.example.test/entity").build()));
            assertThat(partial.status()).isEqualTo(ConnectionStatus.IN_PROGRESS);

            Connection complete = c.connections.update(c.environment.id(), Optional.of(acme.id()), created.id(),
                    ConnectionPatch.NONE.withSaml(SamlPatch.builder().idpSsoUrl("https://idp.example.test/sso")
                            .idpCertificates(TestCertificates.IDP_1 + TestCertificates.IDP_2)
                            .signingOption(SamlSigningOption.ASSERTION_ONLY).assertionEncrypted(true).wantRequestSigned(true)
                            .allowIdpInitiatedLogin(true).defaultRedirectUri("http://localhost:3000/cb").build()));
            SamlSettings saml = complete.saml().orElseThrow();
            assertThat(complete.status()).isEqualTo(ConnectionStatus.COMPLETED);
            assertThat(saml.idpCertificates()).hasSize(2);
            assertThat(saml.idpCertificates().getFirst().expiryTime()).isEqualTo(Instant.parse("2034-12-30T05:50:30Z"));
            assertThat(saml.idpCertificates()).extracting(IdpCertificate::id).allMatch(id -> id.startsWith("cert_"));
            assertThat(saml.signingOption()).isEqualTo(SamlSigningOption.ASSERTION_ONLY);
            assertThat(saml.allowIdpInitiatedLogin()).isTrue();
            assertThat(c.connections.get(c.environment.id(), Optional.empty(), created.id())).isEqualTo(complete);

            // The same certificate pasted again keeps its ID; clearing one entry of a pair keeps the other's.
            Connection again = c.connections.update(c.environment.id(), Optional.of(acme.id()), created.id(),
                    ConnectionPatch.NONE.withSaml(SamlPatch.builder().idpCertificates(TestCertificates.IDP_2).build()));
            assertThat(again.saml().orElseThrow().idpCertificates()).containsExactly(saml.idpCertificates().get(1));
        }
    }

    @EachDatabase
    void updateWhenInputIsBadThenInvalidArgumentAndNothingChanges(String kind) {
        try (ConnectionFixture c = new ConnectionFixture(kind)) {
            Organization acme = c.organization("Acme");
            Connection saml = completeSaml(c, acme);
            String env = c.environment.id();
            Optional<String> org = Optional.of(acme.id());
            List<ConnectionPatch> bad = List.of(
                    ConnectionPatch.NONE.withSaml(SamlPatch.builder().idpSsoUrl("http://idp.example.test/sso").build()),
                    ConnectionPatch.NONE.withSaml(SamlPatch.builder().idpSsoUrl("not a url").build()),
                    ConnectionPatch.NONE.withSaml(SamlPatch.builder().idpCertificates("-----BEGIN CERTIFICATE-----x").build()),
                    ConnectionPatch.NONE.withSaml(SamlPatch.builder().signingOption(SamlSigningOption.NO_SIGNING).build()),
                    ConnectionPatch.NONE.withSaml(SamlPatch.builder().idpEntityId("has space").build()),
                    ConnectionPatch.NONE.withSaml(SamlPatch.builder().idpMetadataUrl(METADATA_URL).idpEntityId("x").build()),
                    ConnectionPatch.NONE.withSaml(SamlPatch.builder().idpMetadataUrl("https://idp.example.test/404").build()),
                    ConnectionPatch.NONE.withSaml(SamlPatch.builder().idpMetadataXml("<nope/>").build()),
                    ConnectionPatch.NONE.withOidc(OidcPatch.builder().clientId("x").build()),
                    ConnectionPatch.NONE.withAttributeMapping(Map.of("given_name", "first")),
                    ConnectionPatch.NONE.withAttributeMapping(Map.of("email", "mail", "bad key", "x")),
                    new ConnectionPatch(Optional.of(ConnectionType.OIDC), Optional.empty(), Optional.empty(), Optional.empty(),
                            Optional.empty(), Optional.empty(), Optional.empty()));
            for (ConnectionPatch patch : bad) {
                assertThatThrownBy(() -> c.connections.update(env, org, saml.id(), patch)).as("%s", patch)
                        .isInstanceOfSatisfying(DomainException.InvalidArgument.class,
                                e -> assertThat(e.violations()).isNotEmpty().allSatisfy(v -> assertThat(v.field()).isNotBlank()));
            }
            assertThat(c.connections.get(env, org, saml.id())).isEqualTo(saml);
            // With debug_enabled, plain http and unsigned responses are accepted (development only).
            Connection debug = c.connections.update(env, org, saml.id(), ConnectionPatch.NONE.withDebugEnabled(true)
                    .withSaml(SamlPatch.builder().idpSsoUrl("http://localhost:8180/sso").signingOption(SamlSigningOption.NO_SIGNING).build()));
            assertThat(debug.saml().orElseThrow().idpSsoUrl()).contains("http://localhost:8180/sso");
        }
    }

    @EachDatabase
    void enableWhenIncompleteThenRefusedWhenCompleteThenEnabledWithEvents(String kind) {
        try (ConnectionFixture c = new ConnectionFixture(kind)) {
            Organization acme = c.organization("Acme");
            String env = c.environment.id();
            Connection draft = c.connections.create(env, acme.id(), new NewConnection(ConnectionType.SAML, ConnectionProvider.OKTA));
            assertThatThrownBy(() -> c.connections.setEnabled(env, Optional.of(acme.id()), draft.id(), true))
                    .isInstanceOf(DomainException.FailedPrecondition.class).hasMessageContaining("idp_sso_url");

            Connection complete = c.connections.update(env, Optional.of(acme.id()), draft.id(),
                    ConnectionPatch.NONE.withSaml(manualSaml(TestCertificates.IDP_1)));
            assertThat(c.connections.setEnabled(env, Optional.of(acme.id()), complete.id(), true))
                    .isEqualTo(new ConnectionService.Toggle(true, Optional.empty()));
            assertThat(c.connections.setEnabled(env, Optional.empty(), complete.id(), true).errorMessage()).isPresent();
            assertThat(c.connections.get(env, Optional.empty(), complete.id()).isActive()).isTrue();

            // An enabled connection cannot lose what it needs.
            assertThatThrownBy(() -> c.connections.update(env, Optional.of(acme.id()), complete.id(),
                    ConnectionPatch.NONE.withSaml(SamlPatch.builder().idpCertificates("").build())))
                    .isInstanceOf(DomainException.FailedPrecondition.class);

            c.connections.setEnabled(env, Optional.of(acme.id()), complete.id(), false);
            var events = OutboxStoreTest.events(c.f, env).stream().filter(e -> e.type().startsWith("organization.sso")).toList();
            assertThat(events).extracting(OutboxStoreTest.Row::type).containsExactly("organization.sso_created",
                    "organization.sso_updated", "organization.sso_enabled", "organization.sso_disabled");
            assertThat(events.get(2).data()).contains("\"enabled\":true", "\"status\":\"COMPLETED\"",
                    "\"connection_type\":\"SAML\"", "\"provider\":\"OKTA\"", "\"organization_id\":\"" + acme.id() + "\"");
            assertThat(events.get(3).data()).contains("\"enabled\":false");
            assertThat(events).extracting(OutboxStoreTest.Row::organizationId).containsOnly(acme.id());
        }
    }

    @EachDatabase
    void oidcClientSecretWhenStoredThenSealedAtRestAndOnlyOpenedForTheLoginFlow(String kind) {
        try (ConnectionFixture c = new ConnectionFixture(kind)) {
            Organization acme = c.organization("Acme");
            String env = c.environment.id();
            String secret = "idp-client-secret-7f3a9c";
            Connection created = c.connections.create(env, acme.id(), new NewConnection(ConnectionType.OIDC, ConnectionProvider.OKTA));
            Connection updated = c.connections.update(env, Optional.of(acme.id()), created.id(), ConnectionPatch.NONE.withOidc(
                    OidcPatch.builder().issuer("https://idp.example.test").clientId("client-1").clientSecret(secret)
                            .scopes(List.of("openid", "email")).build()));
            assertThat(updated.status()).isEqualTo(ConnectionStatus.COMPLETED);
            assertThat(updated.toString()).doesNotContain(secret);
            String row = c.f.database.jdbi().withHandle(h -> h.createQuery("select settings from connections where id = :id")
                    .bind("id", created.id()).mapTo(String.class).one());
            assertThat(row).doesNotContain(secret).contains("client_secret_sealed");
            assertThat(c.connections.oidcClientSecret(c.connections.get(env, Optional.empty(), created.id()))).contains(secret);

            // The mask sent back (a GET, edited, PATCHed) leaves the secret as it was.
            Connection masked = c.connections.update(env, Optional.empty(), created.id(), ConnectionPatch.NONE.withOidc(
                    OidcPatch.builder().clientSecret(ConnectionService.MASKED_SECRET).build()));
            assertThat(c.connections.oidcClientSecret(masked)).contains(secret);
            assertThatThrownBy(() -> c.connections.update(env, Optional.empty(), created.id(), ConnectionPatch.NONE.withOidc(
                    OidcPatch.builder().scopes(List.of("email")).build()))).isInstanceOf(DomainException.InvalidArgument.class);
        }
    }

    @EachDatabase
    void metadataUrlWhenRefreshedOnScheduleThenRolloverCertificatesPickedUpAndFailuresKeepThePreviousDetails(String kind) {
        try (ConnectionFixture c = new ConnectionFixture(kind)) {
            Organization acme = c.organization("Acme");
            String env = c.environment.id();
            c.served.put(METADATA_URL, "v1");
            c.documents.put("v1", metadata(TestCertificates.IDP_1));
            Connection created = c.connections.create(env, acme.id(), new NewConnection(ConnectionType.SAML, ConnectionProvider.OKTA));
            Connection configured = c.connections.update(env, Optional.of(acme.id()), created.id(),
                    ConnectionPatch.NONE.withSaml(SamlPatch.builder().idpMetadataUrl(METADATA_URL).build()));
            SamlSettings saml = configured.saml().orElseThrow();
            assertThat(configured.status()).isEqualTo(ConnectionStatus.COMPLETED);
            assertThat(saml.idpEntityId()).contains("https://idp.example.test/entity");
            assertThat(saml.idpSsoUrl()).contains("https://idp.example.test/sso/post");
            assertThat(saml.idpSloUrl()).contains("https://idp.example.test/slo");
            assertThat(saml.sloRequestBinding()).isEqualTo(RequestBinding.HTTP_REDIRECT);
            assertThat(saml.metadataRefreshedAt()).isPresent();
            String firstCertificateId = saml.idpCertificates().getFirst().id();

            assertThat(c.connections.refreshDueMetadata(10)).as("nothing due yet").isZero();
            c.served.put(METADATA_URL, "v2");
            c.documents.put("v2", metadata(TestCertificates.IDP_1, TestCertificates.IDP_2));
            c.f.clock.advance(ConnectionFixture.REFRESH.plusSeconds(1));
            assertThat(c.connections.refreshDueMetadata(10)).isEqualTo(1);
            List<IdpCertificate> rollover = c.connections.get(env, Optional.empty(), created.id()).saml().orElseThrow().idpCertificates();
            assertThat(rollover).hasSize(2);
            assertThat(rollover.getFirst().id()).isEqualTo(firstCertificateId);
            assertThat(c.connections.refreshDueMetadata(10)).as("refreshed: next one in an hour").isZero();

            // The IdP is down: the previous details stay, the error is recorded, and a retry comes in 15 minutes.
            c.served.remove(METADATA_URL);
            c.f.clock.advance(ConnectionFixture.REFRESH.plusSeconds(1));
            assertThat(c.connections.refreshDueMetadata(10)).isZero();
            SamlSettings failed = c.connections.get(env, Optional.empty(), created.id()).saml().orElseThrow();
            assertThat(failed.idpCertificates()).isEqualTo(rollover);
            assertThat(failed.metadataError()).hasValueSatisfying(e -> assertThat(e).contains("404"));
            c.served.put(METADATA_URL, "v1");
            c.f.clock.advance(ConnectionService.METADATA_RETRY.plusSeconds(1));
            assertThat(c.connections.refreshDueMetadata(10)).isEqualTo(1);
            SamlSettings recovered = c.connections.get(env, Optional.empty(), created.id()).saml().orElseThrow();
            assertThat(recovered.metadataError()).isEmpty();
            assertThat(recovered.idpCertificates()).extracting(IdpCertificate::id).containsExactly(firstCertificateId);

            // Back to manual configuration: no more refreshes.
            c.connections.update(env, Optional.empty(), created.id(),
                    ConnectionPatch.NONE.withSaml(SamlPatch.builder().idpMetadataUrl("").build()));
            c.f.clock.advance(Duration.ofDays(1));
            assertThat(c.connectionRepository.dueForMetadataRefresh(c.f.clock.instant(), 10)).isEmpty();
        }
    }

    @EachDatabase
    void metadataXmlWhenGivenThenConfiguresWithoutRefreshAndRequestSigningFollowsTheIdp(String kind) {
        try (ConnectionFixture c = new ConnectionFixture(kind)) {
            Organization acme = c.organization("Acme");
            IdpMetadata wantsSigned = new IdpMetadata("urn:idp", Map.of(RequestBinding.HTTP_REDIRECT, "https://idp.example.test/r"),
                    Map.of(), List.of(IdpCertificates.parse(TestCertificates.IDP_2).getFirst()), true);
            c.documents.put("<EntityDescriptor/>", wantsSigned);
            Connection created = c.connections.create(c.environment.id(), acme.id(), new NewConnection(ConnectionType.SAML, ConnectionProvider.ADFS));
            Connection updated = c.connections.update(c.environment.id(), Optional.empty(), created.id(),
                    ConnectionPatch.NONE.withSaml(SamlPatch.builder().idpMetadataXml("<EntityDescriptor/>").build()));
            SamlSettings saml = updated.saml().orElseThrow();
            assertThat(saml.idpMetadataUrl()).isEmpty();
            assertThat(saml.ssoRequestBinding()).isEqualTo(RequestBinding.HTTP_REDIRECT);
            assertThat(saml.wantRequestSigned()).isTrue();
            assertThat(updated.status()).isEqualTo(ConnectionStatus.COMPLETED);
            c.f.clock.advance(Duration.ofDays(2));
            assertThat(c.connectionRepository.dueForMetadataRefresh(c.f.clock.instant(), 10)).isEmpty();
        }
    }

    @EachDatabase
    void spCredentialWhenGeneratorWiredThenPrivateKeySealedAndOpenable(String kind) {
        byte[] key = "pkcs8-private-key-bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        SpCredentialGenerator generator = id -> Optional.of(new SpCredentialGenerator.Generated(TestCertificates.IDP_1,
                Instant.parse("2035-01-01T00:00:00Z"), key));
        try (ConnectionFixture c = new ConnectionFixture(kind, generator)) {
            Organization acme = c.organization("Acme");
            Connection created = c.connections.create(c.environment.id(), acme.id(), new NewConnection(ConnectionType.SAML, ConnectionProvider.OKTA));
            assertThat(created.spCredential()).hasValueSatisfying(sp -> {
                assertThat(sp.certificateId()).startsWith("cer_");
                assertThat(sp.sealedPrivateKey().base64()).doesNotContain(java.util.Base64.getEncoder().encodeToString(key));
            });
            Connection stored = c.connections.get(c.environment.id(), Optional.empty(), created.id());
            assertThat(c.connections.spPrivateKey(stored)).hasValueSatisfying(k -> assertThat(k).isEqualTo(key));
            Connection oidc = c.connections.create(c.environment.id(), acme.id(), new NewConnection(ConnectionType.OIDC, ConnectionProvider.OKTA));
            assertThat(oidc.spCredential()).isEmpty();
        }
    }

    @EachDatabase
    void deleteWhenConnectionHasDomainsThenDomainsStayUnassignedAndDeletedEvent(String kind) {
        try (ConnectionFixture c = new ConnectionFixture(kind)) {
            Organization acme = c.organization("Acme");
            String env = c.environment.id();
            Connection saml = completeSaml(c, acme);
            Domain domain = c.domains.create(env, new OrganizationRef.ById(acme.id()), "acme.test", Optional.empty(), Optional.of(saml.id()));
            assertThat(domain.connectionId()).contains(saml.id());
            assertThat(c.connections.domainsOf(env, List.of(saml)).get(saml.id())).containsExactly(domain);

            c.connections.delete(env, Optional.of(acme.id()), saml.id());
            assertThatThrownBy(() -> c.connections.get(env, Optional.empty(), saml.id())).isInstanceOf(DomainException.NotFound.class);
            assertThatThrownBy(() -> c.connections.delete(env, Optional.empty(), saml.id())).isInstanceOf(DomainException.NotFound.class);
            assertThat(c.domains.get(env, new OrganizationRef.ById(acme.id()), domain.id()).connectionId()).isEmpty();
            assertThat(OutboxStoreTest.events(c.f, env)).extracting(OutboxStoreTest.Row::type).contains("organization.sso_deleted");

            // Deleting the organization takes its connections and domains with it.
            completeSaml(c, acme);
            c.f.organizations.delete(env, new OrganizationRef.ById(acme.id()));
            assertThat(c.f.count("connections", env)).isZero();
            assertThat(c.f.count("domains", env)).isZero();
        }
    }

    @EachDatabase
    void domainsWhenCreatedThenUniqueIgnoringCaseValidatedAssignableAndVerifiable(String kind) {
        try (ConnectionFixture c = new ConnectionFixture(kind)) {
            String env = c.environment.id();
            Organization acme = c.organization("Acme");
            Organization globex = c.organization("Globex");
            OrganizationRef acmeRef = new OrganizationRef.ById(acme.id());
            Domain created = c.domains.create(env, acmeRef, "Acme.TEST", Optional.empty(), Optional.empty());
            assertThat(created.id()).matches("dom_\\d{17}");
            assertThat(created.name()).isEqualTo("acme.test");
            assertThat(created.type()).isEqualTo(DomainType.ORGANIZATION_DOMAIN);
            assertThat(created.verificationStatus()).isEqualTo(VerificationStatus.PENDING);

            assertThatThrownBy(() -> c.domains.create(env, new OrganizationRef.ById(globex.id()), "acme.test.", Optional.empty(),
                    Optional.empty())).isInstanceOfSatisfying(DomainException.AlreadyExists.class,
                    e -> assertThat(e.field()).isEqualTo("domain.domain"));
            for (String bad : List.of("acme", "gmail.com", "*.acme.test", "10.1.2.3", "")) {
                assertThatThrownBy(() -> c.domains.create(env, acmeRef, bad, Optional.empty(), Optional.empty())).as(bad)
                        .isInstanceOf(DomainException.InvalidArgument.class);
            }
            Connection globexSaml = completeSaml(c, globex);
            assertThatThrownBy(() -> c.domains.create(env, acmeRef, "acme2.test", Optional.empty(), Optional.of(globexSaml.id())))
                    .as("another organization's connection").isInstanceOf(DomainException.NotFound.class);
            assertThatThrownBy(() -> c.domains.create(env, new OrganizationRef.ById("org_404"), "x.test", Optional.empty(), Optional.empty()))
                    .isInstanceOf(DomainException.NotFound.class);

            Domain allowed = c.domains.create(env, acmeRef, "acme.example", Optional.of(DomainType.ALLOWED_EMAIL_DOMAIN), Optional.empty());
            assertThat(c.domains.list(env, acmeRef, Optional.empty(), 1, 10)).containsExactly(created, allowed);
            assertThat(c.domains.list(env, acmeRef, Optional.of(DomainType.ALLOWED_EMAIL_DOMAIN), 0, 0)).containsExactly(allowed);
            assertThat(c.domains.list(env, acmeRef, Optional.empty(), 2, 1)).containsExactly(allowed);
            assertThat(c.domains.list(env, acmeRef, Optional.empty(), 3, 1)).isEmpty();

            Domain verified = c.domains.verify(env, acmeRef, created.id());
            assertThat(verified.verificationStatus()).isEqualTo(VerificationStatus.VERIFIED);
            assertThat(verified.verifiedAt()).isPresent();
            assertThatThrownBy(() -> c.domains.get(env, new OrganizationRef.ById(globex.id()), created.id()))
                    .isInstanceOf(DomainException.NotFound.class);
            c.domains.delete(env, acmeRef, created.id());
            assertThatThrownBy(() -> c.domains.get(env, acmeRef, created.id())).isInstanceOf(DomainException.NotFound.class);
            assertThat(c.domains.create(env, new OrganizationRef.ById(globex.id()), "ACME.test", Optional.empty(), Optional.empty())
                    .organizationId()).as("free again after delete").isEqualTo(globex.id());
        }
    }

    @EachDatabase
    void listingsWhenSeveralOrganizationsThenByOrganizationDomainFilterAndPages(String kind) {
        try (ConnectionFixture c = new ConnectionFixture(kind)) {
            String env = c.environment.id();
            Organization acme = c.organization("Acme Corp");
            Organization globex = c.organization("Globex");
            Connection acmeSaml = completeSaml(c, acme);
            c.connections.setEnabled(env, Optional.empty(), acmeSaml.id(), true);
            Connection acmeOidc = c.connections.create(env, acme.id(), new NewConnection(ConnectionType.OIDC, ConnectionProvider.CUSTOM));
            Connection globexSaml = completeSaml(c, globex);
            c.domains.create(env, new OrganizationRef.ById(acme.id()), "acme.test", Optional.empty(), Optional.empty());

            assertThat(c.connections.listByOrganization(env, acme.id())).extracting(Connection::id).containsExactly(acmeSaml.id(), acmeOidc.id());
            assertThat(c.connections.listByDomain(env, "ACME.test", false)).extracting(Connection::id).containsExactly(acmeSaml.id());
            assertThat(c.connections.listByDomain(env, "acme.test", true)).extracting(Connection::id).containsExactly(acmeSaml.id(), acmeOidc.id());
            assertThat(c.connections.listByDomain(env, "nobody.test", true)).isEmpty();
            assertThat(c.connections.listAll(env)).hasSize(3);

            var page = c.connections.page(env, ConnectionFilter.ALL, PageRequest.first(2));
            assertThat(page.items()).extracting(Connection::id).containsExactly(acmeSaml.id(), acmeOidc.id());
            assertThat(page.totalSize()).isEqualTo(3);
            assertThat(c.connections.page(env, ConnectionFilter.ALL, new PageRequest(2, page.next())).items())
                    .extracting(Connection::id).containsExactly(globexSaml.id());
            var byName = c.connections.page(env, new ConnectionFilter(Optional.of("acme c"), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty()), PageRequest.first(10));
            assertThat(byName.items()).extracting(Connection::id).containsExactly(acmeSaml.id(), acmeOidc.id());
            var enabledSaml = c.connections.page(env, new ConnectionFilter(Optional.empty(), Optional.of(ConnectionProvider.OKTA),
                    Optional.of(ConnectionStatus.COMPLETED), Optional.of(ConnectionType.SAML), Optional.of(true)), PageRequest.first(10));
            assertThat(enabledSaml.items()).extracting(Connection::id).containsExactly(acmeSaml.id());
        }
    }

    @EachDatabase
    void otherEnvironmentWhenAddressingConnectionsAndDomainsThenSeesAndChangesNothing(String kind) {
        try (ConnectionFixture c = new ConnectionFixture(kind)) {
            Environment other = c.f.environment("other");
            Organization acme = c.organization("Acme");
            Connection saml = completeSaml(c, acme);
            Domain domain = c.domains.create(c.environment.id(), new OrganizationRef.ById(acme.id()), "acme.test", Optional.empty(), Optional.empty());
            String env = other.id();
            OrganizationRef ref = new OrganizationRef.ById(acme.id());

            assertThatThrownBy(() -> c.connections.get(env, Optional.empty(), saml.id())).isInstanceOf(DomainException.NotFound.class);
            assertThatThrownBy(() -> c.connections.update(env, Optional.empty(), saml.id(), ConnectionPatch.NONE.withDebugEnabled(true)))
                    .isInstanceOf(DomainException.NotFound.class);
            assertThatThrownBy(() -> c.connections.setEnabled(env, Optional.empty(), saml.id(), true)).isInstanceOf(DomainException.NotFound.class);
            assertThatThrownBy(() -> c.connections.delete(env, Optional.empty(), saml.id())).isInstanceOf(DomainException.NotFound.class);
            assertThatThrownBy(() -> c.connections.create(env, acme.id(), new NewConnection(ConnectionType.SAML, ConnectionProvider.OKTA)))
                    .isInstanceOf(DomainException.NotFound.class);
            assertThatThrownBy(() -> c.domains.get(env, ref, domain.id())).isInstanceOf(DomainException.NotFound.class);
            assertThatThrownBy(() -> c.domains.delete(env, ref, domain.id())).isInstanceOf(DomainException.NotFound.class);
            assertThat(c.connections.listAll(env)).isEmpty();
            assertThat(c.connections.listByDomain(env, "acme.test", true)).isEmpty();
            assertThat(c.connections.page(env, ConnectionFilter.ALL, PageRequest.first(10)).items()).isEmpty();

            // The same domain may exist in another environment.
            Organization otherOrg = c.organization(env, "Other Acme");
            assertThat(c.domains.create(env, new OrganizationRef.ById(otherOrg.id()), "acme.test", Optional.empty(), Optional.empty()))
                    .isNotNull();
            assertThat(c.connections.get(c.environment.id(), Optional.empty(), saml.id())).isEqualTo(saml);
        }
    }
}
