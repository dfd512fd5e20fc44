package dev.gatehouse.http.oauth;

import com.linecorp.armeria.common.Cookie;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.ResponseHeaders;
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
import dev.gatehouse.oauth.token.IdpInitiatedLoginRedirects;
import dev.gatehouse.oauth.token.IdpInitiatedLoginTokens;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in IdP simulator's page, {@code /sso/simulator/{connection_id}[?login=…]} (docs/DECISIONS.md D-SIM3,
 * D-SIM6): served only for an enabled simulator connection of a development environment. With {@code login} it
 * answers the app's login that waits for it, only in the browser that started that login (the
 * {@value HostedLoginRoutes#BROWSER_COOKIE} cookie; its forms carry the login's CSRF token): "Sign in" completes the
 * login as the typed user of the connection's organization, "Error" sends the chosen seed error code to the app.
 * "IdP initiated SSO" works with or without a login: the app's default redirect URI gets {@code idp_initiated_login}
 * (the same token as a SAML IdP-initiated login's), and the browser keeps a {@link SimulatedIdpSession} so the
 * SP-initiated login the app starts next completes at once. Without a login the page binds itself to the browser
 * cookie (set when missing) and its form carries a CSRF token derived from it. Every refusal is audited
 * ({@value IdpSimulator#REJECTED}), every hand-off token too ({@value IdpSimulator#IDP_INITIATED}).
 */
public final class SimulatorRoutes {
    /** What the CSRF token of the page without a login is derived from, with the connection ID. */
    private static final String DIRECT_CSRF_SCOPE = "idp-simulator-direct:";

    private final HostedLoginRoutes hosted;
    private final IdpSimulator simulator;
    private final LoginService logins;
    private final DomainRepository domains;
    private final IdpInitiatedLoginRedirects idpInitiatedRedirects;
    private final Clock clock;
    private final Pages pages = new Pages();

    public SimulatorRoutes(HostedLoginRoutes hosted, IdpSimulator simulator, LoginService logins, DomainRepository domains,
                           IdpInitiatedLoginRedirects idpInitiatedRedirects, Clock clock) {
        this.hosted = hosted;
        this.simulator = simulator;
        this.logins = logins;
        this.domains = domains;
        this.idpInitiatedRedirects = idpInitiatedRedirects;
        this.clock = clock;
    }

    public void bind(ServerBuilder server) {
        server.service(IdpSimulator.PATH + "{connection_id}", hosted.blocking(this::simulate));
    }

    /** What one request to the page is about: the connection, the browser's binding secret, the form's CSRF token. */
    private record Visit(HostedLoginRoutes.Call call, Connection connection, String binding, String csrf,
                         Optional<String> loginId) {
        Environment environment() {
            return call.environment();
        }

        String parameter(String name) {
            return call.parameters().get(name, "");
        }
    }

    private HttpResponse simulate(HostedLoginRoutes.Call call) {
        Environment environment = call.environment();
        String connectionId = call.ctx().pathParam("connection_id");
        Optional<Connection> connection = simulator.connection(environment, connectionId, call.remoteAddress());
        if (connection.isEmpty()) {
            return hosted.errorPage(HttpStatus.NOT_FOUND, "Not found", "There is no IdP simulator at this address.");
        }
        String loginId = call.parameters().get("login", "");
        return loginId.isEmpty() ? direct(call, connection.get()) : forLogin(call, connection.get(), loginId);
    }

    /** The page answering an app's login (SP-initiated): the three scenarios. */
    private HttpResponse forLogin(HostedLoginRoutes.Call call, Connection connection, String loginId) {
        Environment environment = call.environment();
        Optional<String> binding = call.cookie(HostedLoginRoutes.BROWSER_COOKIE);
        Optional<LoginTransaction> login = binding
                .flatMap(secret -> logins.awaitingIdentityProvider(environment.id(), loginId, hosted.browser(call, secret)))
                .filter(t -> t.connectionId().equals(Optional.of(connection.id())));
        if (login.isEmpty()) {
            simulator.reject(environment, connection.id(), call.remoteAddress(),
                    "unknown, expired or finished login, another browser, or a login of another connection");
            return hosted.errorPage(HttpStatus.BAD_REQUEST, "Sign-in failed", "This sign-in attempt has expired or is "
                    + "not valid in this browser. Go back to the application and start again.");
        }
        Visit visit = new Visit(call, connection, binding.get(), LoginService.csrfToken(loginId, binding.get()),
                Optional.of(loginId));
        Optional<String> loginHint = login.get().request().loginHint();
        if (call.request().method() != HttpMethod.POST) {
            Optional<SimulatedIdpSession> session = session(call).filter(s -> s.isFor(loginHint));
            if (session.isPresent()) {
                return withoutSession(visit, signIn(visit, session.get().user()));
            }
            return page(visit, loginHint.orElse(""), "", "", "", Optional.empty());
        }
        if (!csrfMatches(visit)) {
            return badCsrf(visit);
        }
        String email = visit.parameter("email");
        String givenName = visit.parameter("given_name");
        String familyName = visit.parameter("family_name");
        return switch (visit.parameter("scenario")) {
            case "sign_in" -> signIn(visit, new IdpSimulator.SimulatedUser(email, givenName, familyName));
            case "idp_initiated" -> idpInitiated(visit);
            case "error" -> {
                String code = visit.parameter("error_code");
                String description = IdpSimulator.ERRORS.get(code);
                if (description == null) {
                    yield page(visit, email, givenName, familyName, "", Optional.of("Choose one of the listed errors."));
                }
                yield hosted.respond(call, visit.binding(), logins.failFederated(environment.id(), environment.issuerUrl(),
                        loginId, hosted.browser(call, visit.binding()), code, description,
                        "the IdP simulator returned the error the tester chose"));
            }
            default -> page(visit, email, givenName, familyName, "", Optional.of("The form was not understood."));
        };
    }

    /**
     * The page opened directly, with no app login waiting (D-SIM6): only "IdP initiated SSO", as in an IdP's own
     * portal. It binds itself to the browser cookie like the hosted login.
     */
    private HttpResponse direct(HostedLoginRoutes.Call call, Connection connection) {
        Optional<String> cookie = call.cookie(HostedLoginRoutes.BROWSER_COOKIE);
        if (call.request().method() != HttpMethod.POST) {
            String binding = cookie.orElseGet(hosted::newBrowserBinding);
            Visit visit = new Visit(call, connection, binding, directCsrf(connection, binding), Optional.empty());
            HttpResponse page = page(visit, "", "", "", "", Optional.empty());
            return cookie.isPresent() ? page : HostedLoginRoutes.withHeaders(page,
                    ResponseHeaders.builder(HttpStatus.OK).cookie(hosted.browserCookie(call, binding)));
        }
        if (cookie.isEmpty()) {
            simulator.reject(call.environment(), connection.id(), call.remoteAddress(),
                    "IdP-initiated form posted without the browser cookie");
            return expiredForm();
        }
        Visit visit = new Visit(call, connection, cookie.get(), directCsrf(connection, cookie.get()), Optional.empty());
        if (!csrfMatches(visit)) {
            return badCsrf(visit);
        }
        if (!visit.parameter("scenario").equals("idp_initiated")) {
            return page(visit, visit.parameter("email"), visit.parameter("given_name"), visit.parameter("family_name"),
                    visit.parameter("relay_state"), Optional.of("Only an IdP-initiated login can start here; the other "
                            + "scenarios answer a login started by the application."));
        }
        return idpInitiated(visit);
    }

    private HttpResponse signIn(Visit visit, IdpSimulator.SimulatedUser user) {
        Environment environment = visit.environment();
        return switch (simulator.signIn(visit.connection(), user)) {
            case IdpSimulator.SignIn.Accepted accepted -> hosted.respond(visit.call(), visit.binding(),
                    logins.completeFederated(environment.id(), environment.issuerUrl(), visit.loginId().orElseThrow(),
                            hosted.browser(visit.call(), visit.binding()), accepted.identity()));
            case IdpSimulator.SignIn.Refused refused -> page(visit, user.email(), user.givenName(), user.familyName(), "",
                    Optional.of(refused.message()));
        };
    }

    /**
     * "IdP initiated SSO": the app's default redirect URI gets the signed hand-off token (never a code; the app's
     * waiting login, if any, is left to expire), and the browser a {@link SimulatedIdpSession} for the login the app
     * starts with that token.
     */
    private HttpResponse idpInitiated(Visit visit) {
        String email = visit.parameter("email");
        String givenName = visit.parameter("given_name");
        String familyName = visit.parameter("family_name");
        String relayState = visit.parameter("relay_state");
        IdpSimulator.SimulatedUser user = new IdpSimulator.SimulatedUser(email, givenName, familyName);
        return switch (simulator.idpInitiated(visit.connection(), user, relayState)) {
            case IdpSimulator.IdpInitiated.Refused refused -> page(visit, email, givenName, familyName, relayState,
                    Optional.of(refused.message()));
            case IdpSimulator.IdpInitiated.Accepted accepted -> {
                Optional<String> url = idpInitiatedRedirects.redirectUrl(visit.environment(), visit.connection(),
                        accepted.loginHint(), accepted.relayState());
                if (url.isEmpty()) {
                    simulator.reject(visit.environment(), visit.connection().id(), visit.call().remoteAddress(),
                            "IdP-initiated login but no client of the environment has a default redirect URI");
                    yield page(visit, email, givenName, familyName, relayState, Optional.of("The application has no "
                            + "default redirect URI: set default_redirect_uri on its client, then try again."));
                }
                simulator.idpInitiatedSent(visit.environment(), visit.connection(), accepted.loginHint(),
                        visit.call().remoteAddress());
                SimulatedIdpSession session = new SimulatedIdpSession(accepted.loginHint(), givenName.strip(),
                        familyName.strip(), clock.instant().plus(IdpInitiatedLoginTokens.LIFETIME));
                yield HttpResponse.of(ResponseHeaders.builder(HttpStatus.FOUND).add("location", url.get())
                        .add("cache-control", "no-store")
                        .cookie(sessionCookie(visit, session.encode(), IdpInitiatedLoginTokens.LIFETIME.toSeconds()))
                        .build());
            }
        };
    }

    /** The response of a login completed from the simulated session, which is used up. */
    private HttpResponse withoutSession(Visit visit, HttpResponse response) {
        return HostedLoginRoutes.withHeaders(response, ResponseHeaders.builder(HttpStatus.OK)
                .cookie(sessionCookie(visit, "", 0)));
    }

    private Cookie sessionCookie(Visit visit, String value, long maxAgeSeconds) {
        return Cookie.secureBuilder(SimulatedIdpSession.COOKIE, value).secure(visit.call().secure()).httpOnly(true)
                .sameSite("Lax").path(IdpSimulator.PATH + visit.connection().id()).maxAge(maxAgeSeconds).build();
    }

    private Optional<SimulatedIdpSession> session(HostedLoginRoutes.Call call) {
        return call.request().headers().cookies().stream().filter(c -> c.name().equals(SimulatedIdpSession.COOKIE))
                .findFirst().flatMap(c -> SimulatedIdpSession.decode(c.value(), clock.instant()));
    }

    private static String directCsrf(Connection connection, String binding) {
        return LoginService.csrfToken(DIRECT_CSRF_SCOPE + connection.id(), binding);
    }

    private static boolean csrfMatches(Visit visit) {
        return MessageDigest.isEqual(visit.csrf().getBytes(StandardCharsets.UTF_8),
                visit.parameter("csrf").getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse badCsrf(Visit visit) {
        simulator.reject(visit.environment(), visit.connection().id(), visit.call().remoteAddress(), "bad CSRF token");
        return expiredForm();
    }

    private HttpResponse expiredForm() {
        return hosted.errorPage(HttpStatus.BAD_REQUEST, "Sign-in failed", "The form has expired. Go back to the "
                + "application and start again.");
    }

    private HttpResponse page(Visit visit, String email, String givenName, String familyName, String relayState,
                              Optional<String> error) {
        Connection connection = visit.connection();
        List<String> names = domains.listByOrganizations(connection.environmentId(), List.of(connection.organizationId()))
                .stream().map(Domain::name).toList();
        SimulatorPage page = new SimulatorPage(IdpSimulator.PATH + connection.id(), visit.loginId(), visit.csrf(), email,
                givenName, familyName, relayState, names, List.copyOf(IdpSimulator.ERRORS.keySet()), error);
        return pages.respond(error.isPresent() ? HttpStatus.BAD_REQUEST : HttpStatus.OK, "simulator.jte",
                Map.of("chrome", hosted.chrome(visit.call()), "page", page));
    }
}
