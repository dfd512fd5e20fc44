package dev.gatehouse.saml.sso;

import dev.gatehouse.core.connection.Connection;
import dev.gatehouse.core.connection.ConnectionRepository;
import dev.gatehouse.core.connection.ConnectionStarter;
import dev.gatehouse.core.connection.RequestBinding;
import dev.gatehouse.core.connection.SamlSettings;
import dev.gatehouse.core.connection.ServiceProviderUrls;
import dev.gatehouse.core.environment.EnvironmentDirectory;
import dev.gatehouse.core.login.IdentityProviderRedirect;
import dev.gatehouse.core.login.LoginTransaction;
import dev.gatehouse.saml.request.AuthnRequestSpec;
import dev.gatehouse.saml.request.AuthnRequests;
import dev.gatehouse.saml.request.NameIdFormat;
import dev.gatehouse.saml.request.PostBindingForm;
import dev.gatehouse.saml.sp.SpCredential;
import java.time.Clock;
import java.util.Optional;

/**
 * Starts a SAML sign-in: an AuthnRequest for the connection, by the connection's binding (HTTP-Redirect or
 * HTTP-POST), signed with the connection's SP key when the connection asks for signed requests. RelayState is the
 * login transaction's ID; the request ID is derived from it ({@link AuthnRequestIds}), so the ACS can check
 * InResponseTo without storing anything (D-SS2).
 */
public final class SamlIdentityProviderStarter implements ConnectionStarter {
    private final ConnectionRepository connections;
    private final EnvironmentDirectory environments;
    private final SamlConnectionKeys keys;
    private final AuthnRequestIds requestIds;
    private final AuthnRequests requests;
    private final Clock clock;

    public SamlIdentityProviderStarter(ConnectionRepository connections, EnvironmentDirectory environments,
                                       SamlConnectionKeys keys, AuthnRequestIds requestIds, AuthnRequests requests,
                                       Clock clock) {
        this.connections = connections;
        this.environments = environments;
        this.keys = keys;
        this.requestIds = requestIds;
        this.requests = requests;
        this.clock = clock;
    }

    @Override
    public IdentityProviderRedirect start(String environmentId, String connectionId, LoginTransaction login) {
        Optional<Connection> found = connections.findRecent(environmentId, connectionId);
        if (found.isEmpty()) {
            return unavailable("SAML connection " + connectionId + " is missing, disabled or incomplete");
        }
        return start(environmentId, found.get(), login);
    }

    /** Starts {@code connection} as read by the caller (the router's row for this request, D-RB3): not read again. */
    @Override
    public IdentityProviderRedirect start(String environmentId, Connection connection, LoginTransaction login) {
        String connectionId = connection.id();
        Optional<String> issuer = environments.byId(environmentId).map(e -> e.issuerUrl());
        if (issuer.isEmpty() || !connection.environmentId().equals(environmentId) || connection.saml().isEmpty()
                || !connection.canSignIn(login.testsConnection())) {
            return unavailable("SAML connection " + connectionId + " is missing, disabled or incomplete");
        }
        SamlSettings saml = connection.saml().get();
        Optional<SpCredential> signer = Optional.empty();
        if (saml.wantRequestSigned()) {
            signer = keys.of(connection).sp();
            if (signer.isEmpty()) {
                return unavailable("connection " + connectionId + " asks for signed AuthnRequests but has no SP key");
            }
        }
        ServiceProviderUrls urls = ServiceProviderUrls.of(issuer.get(), connection);
        AuthnRequestSpec spec = new AuthnRequestSpec(urls.samlEntityId(), urls.samlAcsUrl(), saml.idpSsoUrl().get(),
                nameIdFormat(saml), saml.forceAuthn() || login.request().prompts("login"),
                login.request().loginHint());
        String requestId = requestIds.idFor(environmentId, connectionId, login.id());
        Optional<String> relayState = Optional.of(login.id());
        if (saml.ssoRequestBinding() == RequestBinding.HTTP_REDIRECT) {
            return new IdentityProviderRedirect.Location(
                    requests.redirect(spec, requestId, relayState, signer, clock.instant()).location().toString());
        }
        PostBindingForm form = requests.post(spec, requestId, relayState, signer, clock.instant());
        return new IdentityProviderRedirect.PostForm(form.action(), form.fields());
    }

    private static Optional<NameIdFormat> nameIdFormat(SamlSettings saml) {
        return Optional.of(NameIdFormat.valueOf(saml.nameIdFormat().name()));
    }

    private static IdentityProviderRedirect unavailable(String reason) {
        return new IdentityProviderRedirect.Unavailable("connection_not_active",
                "This connection cannot be used to sign in", reason);
    }
}
