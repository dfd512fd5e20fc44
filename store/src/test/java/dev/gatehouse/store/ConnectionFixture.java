package dev.gatehouse.store;

import dev.gatehouse.core.connection.ConnectionLoginRouter;
import dev.gatehouse.core.connection.ConnectionService;
import dev.gatehouse.core.connection.DomainService;
import dev.gatehouse.core.connection.IdpMetadata;
import dev.gatehouse.core.connection.IdpMetadataException;
import dev.gatehouse.core.connection.IdpMetadataFetcher;
import dev.gatehouse.core.connection.IdpMetadataParser;
import dev.gatehouse.core.connection.SpCredentialGenerator;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.key.SecretSealer;
import dev.gatehouse.core.organization.NewOrganization;
import dev.gatehouse.core.organization.Organization;
import dev.gatehouse.core.organization.RegionCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Connections, domains and routing over a {@link StoreFixture}. IdP metadata comes from in-memory maps: a URL
 * "serves" the document registered under it, and a document "parses" to the metadata registered under its text.
 */
final class ConnectionFixture implements AutoCloseable {
    static final Duration REFRESH = Duration.ofHours(1);

    final StoreFixture f;
    final JdbiConnectionRepository connectionRepository;
    final JdbiDomainRepository domainRepository;
    final Map<String, String> served = new ConcurrentHashMap<>();
    final Map<String, IdpMetadata> documents = new ConcurrentHashMap<>();
    final ConnectionService connections;
    final DomainService domains;
    final ConnectionLoginRouter router;
    final Environment environment;

    ConnectionFixture(String kind) {
        this(kind, SpCredentialGenerator.NONE);
    }

    ConnectionFixture(String kind, SpCredentialGenerator spCredentials) {
        f = StoreFixture.open(kind);
        connectionRepository = new JdbiConnectionRepository(f.tx);
        domainRepository = new JdbiDomainRepository(f.tx);
        IdpMetadataFetcher fetcher = url -> {
            String document = served.get(url);
            if (document == null) {
                throw new IdpMetadataException("the metadata URL answered 404");
            }
            return document.getBytes(StandardCharsets.UTF_8);
        };
        IdpMetadataParser parser = bytes -> {
            IdpMetadata metadata = documents.get(new String(bytes, StandardCharsets.UTF_8));
            if (metadata == null) {
                throw new IdpMetadataException("not SAML metadata");
            }
            return metadata;
        };
        connections = new ConnectionService(connectionRepository, domainRepository, f.organizationRepository, fetcher,
                parser, spCredentials, new SecretSealer(f.masterKey), f.ids, f.clock, f.tx, f.outbox, REFRESH);
        domains = new DomainService(domainRepository, connectionRepository, f.organizationRepository, f.ids, f.clock, f.tx);
        router = new ConnectionLoginRouter(connectionRepository, domainRepository, f.audit, f.clock);
        environment = f.environment("sso");
    }

    Organization organization(String name) {
        return organization(environment.id(), name);
    }

    Organization organization(String environmentId, String name) {
        return f.organizations.create(environmentId, new NewOrganization(name, RegionCode.UNSPECIFIED, Optional.empty(),
                Map.of(), Optional.empty(), Optional.empty()));
    }

    @Override
    public void close() {
        f.close();
    }
}
