package dev.gatehouse.core.client;

import dev.gatehouse.core.credential.ClientSecret;
import dev.gatehouse.core.credential.EnvironmentClient;
import java.time.Instant;
import java.util.List;

/**
 * An environment client ({@code skc_…}) as the ClientService API shows it: the management client,
 * its free-form type, its sign-in settings and its secrets (hashes only).
 */
public record EnvironmentAppClient(EnvironmentClient client, String clientType, AppClientSettings settings,
                                   Instant updateTime, List<ClientSecret> secrets) {
    public EnvironmentAppClient {
        secrets = List.copyOf(secrets);
    }

    public String id() {
        return client.id();
    }

    /** The directory's view: what sign-in flows need. */
    public AppClient toAppClient() {
        return new AppClient(client.environmentId(), client.id(), secrets.stream().anyMatch(ClientSecret::active),
                settings.redirectUris(), settings.defaultRedirectUri(), settings.postLogoutRedirectUris(),
                settings.enforcePkce());
    }
}
