package dev.gatehouse.http.oauth;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServerBuilder;
import dev.gatehouse.core.connection.Connection;
import dev.gatehouse.core.connection.Domain;
import dev.gatehouse.core.connection.DomainRepository;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.login.LoginService;
import dev.gatehouse.core.login.LoginTransaction;
import dev.gatehouse.core.simulator.IdpSimulator;
import dev.gatehouse.http.pages.Pages;
import dev.gatehouse.http.pages.SimulatorPage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in IdP simulator's page, {@code /sso/simulator/{connection_id}?login=…} (docs/DECISIONS.md D-SIM3):
 * served only for an enabled simulator connection of a development environment, and only to the browser that
 * started the login (the {@value HostedLoginRoutes#BROWSER_COOKIE} cookie; its forms carry the hosted login's
 * CSRF token). "Sign in" completes the login as the typed user of the connection's organization, "Error" sends
 * the chosen seed error code to the app. Every refusal is audited ({@value IdpSimulator#REJECTED}).
 */
public final class SimulatorRoutes {
    private final HostedLoginRoutes hosted;
    private final IdpSimulator simulator;
    private final LoginService logins;
    private final DomainRepository domains;
    private final Pages pages = new Pages();

    public SimulatorRoutes(HostedLoginRoutes hosted, IdpSimulator simulator, LoginService logins, DomainRepository domains) {
        this.hosted = hosted;
        this.simulator = simulator;
        this.logins = logins;
        this.domains = domains;
    }

    public void bind(ServerBuilder server) {
        server.service(IdpSimulator.PATH + "{connection_id}", hosted.blocking(this::simulate));
    }

    private HttpResponse simulate(HostedLoginRoutes.Call call) {
        Environment environment = call.environment();
        String connectionId = call.ctx().pathParam("connection_id");
        Optional<Connection> connection = simulator.connection(environment, connectionId, call.remoteAddress());
        if (connection.isEmpty()) {
            return hosted.errorPage(HttpStatus.NOT_FOUND, "Not found", "There is no IdP simulator at this address.");
        }
        String loginId = call.parameters().get("login", "");
        Optional<String> binding = call.cookie(HostedLoginRoutes.BROWSER_COOKIE);
        Optional<LoginTransaction> login = binding
                .flatMap(secret -> logins.awaitingIdentityProvider(environment.id(), loginId, hosted.browser(call, secret)))
                .filter(t -> t.connectionId().equals(Optional.of(connectionId)));
        if (login.isEmpty()) {
            simulator.reject(environment, connectionId, call.remoteAddress(),
                    "unknown, expired or finished login, another browser, or a login of another connection");
            return hosted.errorPage(HttpStatus.BAD_REQUEST, "Sign-in failed", "This sign-in attempt has expired or is "
                    + "not valid in this browser. Go back to the application and start again.");
        }
        String secret = binding.get();
        LoginService.Browser browser = hosted.browser(call, secret);
        String csrf = LoginService.csrfToken(loginId, secret);
        if (call.request().method() != HttpMethod.POST) {
            return page(call, connection.get(), loginId, csrf, "", "", "", Optional.empty());
        }
        if (!MessageDigest.isEqual(csrf.getBytes(StandardCharsets.UTF_8),
                call.parameters().get("csrf", "").getBytes(StandardCharsets.UTF_8))) {
            simulator.reject(environment, connectionId, call.remoteAddress(), "bad CSRF token");
            return hosted.errorPage(HttpStatus.BAD_REQUEST, "Sign-in failed", "The form has expired. Go back to the "
                    + "application and start again.");
        }
        String email = call.parameters().get("email", "");
        String givenName = call.parameters().get("given_name", "");
        String familyName = call.parameters().get("family_name", "");
        String issuer = environment.issuerUrl();
        switch (call.parameters().get("scenario", "")) {
            case "sign_in" -> {
                return switch (simulator.signIn(connection.get(), new IdpSimulator.SimulatedUser(email, givenName, familyName))) {
                    case IdpSimulator.SignIn.Accepted accepted -> hosted.respond(call, secret,
                            logins.completeFederated(environment.id(), issuer, loginId, browser, accepted.identity()));
                    case IdpSimulator.SignIn.Refused refused ->
                            page(call, connection.get(), loginId, csrf, email, givenName, familyName, Optional.of(refused.message()));
                };
            }
            case "error" -> {
                String code = call.parameters().get("error_code", "");
                String description = IdpSimulator.ERRORS.get(code);
                if (description == null) {
                    return page(call, connection.get(), loginId, csrf, email, givenName, familyName,
                            Optional.of("Choose one of the listed errors."));
                }
                return hosted.respond(call, secret, logins.failFederated(environment.id(), issuer, loginId, browser, code,
                        description, "the IdP simulator returned the error the tester chose"));
            }
            default -> {
                return page(call, connection.get(), loginId, csrf, email, givenName, familyName,
                        Optional.of("The form was not understood."));
            }
        }
    }

    private HttpResponse page(HostedLoginRoutes.Call call, Connection connection, String loginId, String csrf, String email,
                              String givenName, String familyName, Optional<String> error) {
        List<String> names = domains.listByOrganizations(connection.environmentId(), List.of(connection.organizationId()))
                .stream().map(Domain::name).toList();
        SimulatorPage page = new SimulatorPage(IdpSimulator.PATH + connection.id(), loginId, csrf, email, givenName,
                familyName, names, List.copyOf(IdpSimulator.ERRORS.keySet()), error);
        return pages.respond(error.isPresent() ? HttpStatus.BAD_REQUEST : HttpStatus.OK, "simulator.jte",
                Map.of("chrome", hosted.chrome(call), "page", page));
    }
}
