package dev.gatehouse.http.oauth;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.Cookie;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.gatehouse.core.audit.AuditRecord;
import dev.gatehouse.core.audit.AuditTrail;
import dev.gatehouse.core.credential.SecretGenerator;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.environment.EnvironmentDirectory;
import dev.gatehouse.core.connection.ConnectionIdentityProviders;
import dev.gatehouse.core.connection.LoginRoute;
import dev.gatehouse.core.connection.LoginRouter;
import dev.gatehouse.core.connection.LoginSelectors;
import dev.gatehouse.core.login.AuthorizeRequest;
import dev.gatehouse.core.login.ClientRedirect;
import dev.gatehouse.core.login.LoginOutcome;
import dev.gatehouse.core.login.LoginService;
import dev.gatehouse.core.login.LoginSettings;
import dev.gatehouse.http.pages.ConnectionTestPage;
import dev.gatehouse.http.pages.LoginPage;
import dev.gatehouse.http.pages.PageChrome;
import dev.gatehouse.http.pages.Pages;
import dev.gatehouse.oauth.authorize.AuthorizeDecision;
import dev.gatehouse.oauth.authorize.AuthorizeEndpoint;
import dev.gatehouse.oauth.endpoint.LogoutEndpoint;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The browser-facing side of the OpenID provider: {@code /oauth/authorize}, the hosted login pages under
 * {@code /login/{id}}, and logout. Cookies: {@value #BROWSER_COOKIE} binds a login attempt to this browser (and
 * derives the forms' CSRF tokens); {@value #SESSION_COOKIE} is the signed-in session. Both are HttpOnly and
 * SameSite=Lax (a magic link is a top-level navigation from a mail client), and Secure when the issuer is https.
 */
public final class HostedLoginRoutes {
    public static final String BROWSER_COOKIE = "gatehouse_browser";
    public static final String SESSION_COOKIE = "gatehouse_session";
    static final int MAX_FORM_BYTES = 16 * 1024;

    private final EnvironmentDirectory environments;
    private final AuthorizeEndpoint authorize;
    private final LoginService logins;
    private final LoginRouter router;
    private final ConnectionIdentityProviders identityProviders;
    private final LogoutEndpoint logout;
    private final AuditTrail audit;
    private final SecretGenerator secrets;
    private final Clock clock;
    private final Pages pages = new Pages();
    private final AuthorizeLatency authorizeLatency;

    public HostedLoginRoutes(EnvironmentDirectory environments, AuthorizeEndpoint authorize, LoginRouter router,
                             ConnectionIdentityProviders identityProviders, LoginService logins, LogoutEndpoint logout,
                             AuditTrail audit, SecretGenerator secrets, Clock clock, AuthorizeLatency authorizeLatency) {
        this.router = router;
        this.identityProviders = identityProviders;
        this.environments = environments;
        this.authorize = authorize;
        this.logins = logins;
        this.logout = logout;
        this.audit = audit;
        this.secrets = secrets;
        this.clock = clock;
        this.authorizeLatency = authorizeLatency;
    }

    public void bind(ServerBuilder server) {
        server.service("/oauth/authorize", authorizeLatency.timed(blocking(this::authorize)));
        server.service("/login/{id}", blocking(this::loginStep));
        server.service("/login/{id}/link", blocking(this::magicLink));
        server.service("/oidc/logout", blocking(this::logout));
        server.service("/end_session", blocking(this::logout));
    }

    /**
     * A protocol module's callback from an identity provider (OIDC redirect endpoint, SAML ACS, social callback):
     * {@code pathId} is the route's {@code {id}}, {@code parameters} the query and form fields, {@code browser} this
     * browser's login binding. Its outcome is answered like every hosted-login step.
     */
    @FunctionalInterface
    public interface FederatedCallback {
        LoginOutcome handle(Environment environment, String pathId, Map<String, String> parameters,
                            LoginService.Browser browser);
    }

    /** Serves {@code pathPattern} (with an {@code {id}} parameter) by {@code callback}, e.g. the OIDC redirect URI. */
    public void bindFederatedCallback(ServerBuilder server, String pathPattern, FederatedCallback callback) {
        server.service(pathPattern, blocking(call -> {
            // Without the cookie a fresh secret matches no login: LoginService refuses it and audits it.
            String binding = call.cookie(BROWSER_COOKIE).orElseGet(() -> secrets.next(""));
            Map<String, String> parameters = new LinkedHashMap<>();
            call.parameters().forEach((name, value) -> parameters.putIfAbsent(name, value));
            return respond(call, binding, callback.handle(call.environment(), call.ctx().pathParam("id"), parameters,
                    browser(call, binding)));
        }));
    }

    /**
     * One browser request on the blocking executor: its environment (by host) and its query and form parameters.
     * Public for the other browser-facing routes that share this handling (the admin portal).
     */
    public record Call(ServiceRequestContext ctx, AggregatedHttpRequest request, Environment environment,
                        QueryParams parameters) {
        public Optional<String> cookie(String name) {
            return request.headers().cookies().stream().filter(c -> c.name().equals(name)).map(Cookie::value)
                    .filter(v -> !v.isEmpty() && v.length() <= 128).findFirst();
        }

        public String remoteAddress() {
            return ((InetSocketAddress) ctx.remoteAddress()).getAddress().getHostAddress();
        }

        public boolean secure() {
            return environment.issuerUrl().startsWith("https://");
        }

        public String base() {
            String issuer = environment.issuerUrl();
            return issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        }
    }

    /**
     * Serves {@code handler} on the blocking executor for GET, HEAD and form POSTs (16 KiB at most) of a known
     * environment's host; anything else is an error page.
     */
    public HttpService blocking(Function<Call, HttpResponse> handler) {
        return blocking(MAX_FORM_BYTES, handler);
    }

    /** {@link #blocking(Function)} with another form size limit (the admin portal takes IdP metadata documents). */
    public HttpService blocking(int maxFormBytes, Function<Call, HttpResponse> handler) {
        return (ctx, req) -> HttpResponse.of(req.aggregate().thenApplyAsync(aggregated -> {
            if (aggregated.method() != HttpMethod.GET && aggregated.method() != HttpMethod.POST
                    && aggregated.method() != HttpMethod.HEAD) {
                return withHeaders(errorPage(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed",
                        "This page accepts GET and POST requests only."), ResponseHeaders.builder(HttpStatus.OK)
                        .add("allow", "GET, HEAD, POST"));
            }
            Optional<Environment> environment = environments.byAuthority(WireAdapter.authority(ctx, req.authority()));
            if (environment.isEmpty()) {
                return errorPage(HttpStatus.NOT_FOUND, "Not found", "There is no environment at this address.");
            }
            QueryParams parameters = ctx.queryParams();
            if (aggregated.method() == HttpMethod.POST) {
                if (aggregated.content().length() > maxFormBytes) {
                    return errorPage(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "Request too large", "The form is too large.");
                }
                var type = aggregated.contentType();
                if (type == null || !type.is(com.linecorp.armeria.common.MediaType.FORM_DATA)) {
                    return errorPage(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported request",
                            "Forms must be sent as application/x-www-form-urlencoded.");
                }
                parameters = QueryParams.builder().add(parameters)
                        .add(QueryParams.fromQueryString(aggregated.contentUtf8())).build();
            }
            return handler.apply(new Call(ctx, aggregated, environment.get(), parameters));
        }, ctx.blockingTaskExecutor()));
    }

    private HttpResponse authorize(Call call) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        call.parameters().forEach((name, value) -> query.computeIfAbsent(name, k -> new ArrayList<>()).add(value));
        AuthorizeDecision decision = authorize.check(call.environment(), query);
        switch (decision) {
            case AuthorizeDecision.ErrorPage page -> {
                auditRejection(call, page.reason());
                return errorPage(HttpStatus.BAD_REQUEST, "Sign-in request rejected", page.message());
            }
            case AuthorizeDecision.RedirectError redirect -> {
                auditRejection(call, redirect.reason());
                AuthorizeLatency.answered(call.ctx(), AuthorizeLatency.Result.APP_REDIRECT);
                return found(redirect.redirect().toUrl(), List.of());
            }
            case AuthorizeDecision.Valid valid -> {
                String binding = call.cookie(BROWSER_COOKIE).orElseGet(() -> secrets.next(""));
                AuthorizeRequest request = valid.request();
                String issuer = call.environment().issuerUrl();
                LoginOutcome outcome = switch (route(call.environment().id(), request)) {
                    case LoginRoute.Refused refused -> {
                        auditRejection(call, "routing refused: " + refused.errorCode());
                        yield new LoginOutcome.Redirect(ClientRedirect.error(request.redirectUri(), refused.errorCode(),
                                refused.description(), request.state(), issuer), Optional.empty());
                    }
                    // The router's row goes to the starter: the connection is not read again (D-RB3).
                    case LoginRoute.ToConnection to -> logins.startFederated(call.environment().id(), issuer, request,
                            browser(call, binding), to.connection().id(), identityProviders.routedTo(to.connection()));
                    case LoginRoute.ToSocialProvider social -> logins.startFederated(call.environment().id(), issuer,
                            request, browser(call, binding), social.provider());
                    case LoginRoute.ToHostedLogin hosted -> logins.start(call.environment().id(), issuer, request,
                            browser(call, binding));
                };
                if (valid.request().prompts("none") && outcome instanceof LoginOutcome.ShowStep) {
                    auditRejection(call, "prompt=none without an active session");
                    AuthorizeLatency.answered(call.ctx(), AuthorizeLatency.Result.APP_REDIRECT);
                    return found(dev.gatehouse.core.login.ClientRedirect.error(valid.request().redirectUri(),
                            "login_required", "The user is not signed in", valid.request().state(),
                            call.environment().issuerUrl()).toUrl(), List.of());
                }
                AuthorizeLatency.answered(call.ctx(), AuthorizeLatency.Result.of(outcome));
                if (outcome instanceof LoginOutcome.ShowStep step) {
                    // Post/Redirect/Get: the login page has its own URL, and the browser cookie binds it.
                    return found(call.base() + "/login/" + step.transaction().id(), List.of(browserCookie(call, binding)));
                }
                return respond(call, binding, outcome);
            }
        }
    }

    /**
     * Routing by the request's selectors (D-CN7). An {@code organization_id} alone whose organization has no active
     * connection is not an error in the hosted login: the user signs in by email into that organization (D-O7).
     */
    private LoginRoute route(String environmentId, AuthorizeRequest request) {
        LoginRoute route = router.route(environmentId, new LoginSelectors(request.provider(), request.connectionId(),
                request.organizationId(), request.domain(), request.loginHint()));
        boolean organizationOnly = request.organizationId().isPresent() && request.provider().isEmpty()
                && request.connectionId().isEmpty() && request.domain().isEmpty();
        if (organizationOnly && route instanceof LoginRoute.Refused refused
                && (refused.errorCode().equals("no_configured_connections")
                || refused.errorCode().equals("no_active_connections"))) {
            return new LoginRoute.ToHostedLogin();
        }
        return route;
    }

    private HttpResponse loginStep(Call call) {
        String loginId = call.ctx().pathParam("id");
        // Without the cookie a fresh secret matches no login: the service refuses and audits it like any other
        // request from a browser that did not start this login.
        Optional<String> binding = Optional.of(call.cookie(BROWSER_COOKIE).orElseGet(() -> secrets.next("")));
        String environmentId = call.environment().id();
        String issuer = call.environment().issuerUrl();
        LoginService.Browser browser = browser(call, binding.get());
        if (call.request().method() != HttpMethod.POST) {
            return respond(call, binding.get(), logins.view(environmentId, loginId, browser));
        }
        String csrf = call.parameters().get("csrf", "");
        String action = call.parameters().get("action", "");
        LoginOutcome outcome = switch (action) {
            case "email" -> logins.submitEmail(environmentId, issuer, loginId, browser, csrf,
                    call.parameters().get("email", ""), call.base() + "/login/" + loginId + "/link");
            case "code" -> logins.submitCode(environmentId, issuer, loginId, browser, csrf, call.parameters().get("code", ""));
            case "restart" -> logins.restart(environmentId, loginId, browser, csrf);
            case "organization" -> logins.chooseOrganization(environmentId, issuer, loginId, browser, csrf,
                    call.parameters().get("organization_id", ""));
            case "create_organization" -> logins.createOrganization(environmentId, issuer, loginId, browser, csrf,
                    call.parameters().get("name", ""));
            default -> new LoginOutcome.Invalid("The form was not understood.");
        };
        return respond(call, binding.get(), outcome);
    }

    private HttpResponse magicLink(Call call) {
        Optional<String> binding = call.cookie(BROWSER_COOKIE);
        if (binding.isEmpty()) {
            auditRejection(call, "magic link opened in a browser that did not start the login");
            return errorPage(HttpStatus.BAD_REQUEST, "Open the link in the same browser",
                    "For your security, open the sign-in link in the browser where you started signing in.");
        }
        return respond(call, binding.get(), logins.acceptLink(call.environment().id(), call.environment().issuerUrl(),
                call.ctx().pathParam("id"), browser(call, binding.get()), call.parameters().get("link_token", "")));
    }

    private HttpResponse logout(Call call) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        call.parameters().forEach((name, value) -> query.computeIfAbsent(name, k -> new ArrayList<>()).add(value));
        var outcome = logout.handle(call.environment(), query, call.cookie(SESSION_COOKIE), call.remoteAddress());
        Cookie cleared = Cookie.secureBuilder(SESSION_COOKIE, "").secure(call.secure()).path("/").maxAge(0)
                .httpOnly(true).sameSite("Lax").build();
        return switch (outcome) {
            case LogoutEndpoint.Outcome.Redirect redirect -> found(redirect.url(), List.of(cleared));
            case LogoutEndpoint.Outcome.SignedOut signedOut -> {
                ResponseHeadersBuilder headers = ResponseHeaders.builder(HttpStatus.OK).cookie(cleared);
                yield withHeaders(pages.respond(HttpStatus.OK, "message.jte", Map.of("chrome", chrome(call),
                        "heading", "You have signed out", "message", "You can close this window.")), headers);
            }
            case LogoutEndpoint.Outcome.Refused refused -> errorPage(HttpStatus.BAD_REQUEST, "Sign-out failed",
                    refused.message());
        };
    }

    /**
     * Renders the outcome of a federated step that arrived elsewhere (the SAML ACS, an OIDC callback) exactly as the
     * hosted login renders its own: a code or error redirect with the session cookie, a page, or a refusal.
     */
    public HttpResponse respondFederated(ServiceRequestContext ctx, AggregatedHttpRequest request, Environment environment,
                                         String binding, LoginOutcome outcome) {
        return respond(new Call(ctx, request, environment, QueryParams.of()), binding, outcome);
    }

    /** Answers a login outcome: a page, a redirect (with the session cookie), or a refusal. */
    public HttpResponse respond(Call call, String binding, LoginOutcome outcome) {
        return switch (outcome) {
            case LoginOutcome.ShowStep step -> {
                LoginSettings settings = step.settings();
                var transaction = step.transaction();
                String email = transaction.email().or(() -> transaction.request().loginHint()).orElse("");
                LoginPage page = new LoginPage(transaction.step().name(), "/login/" + transaction.id(),
                        LoginService.csrfToken(transaction.id(), binding), email,
                        transaction.request().prompts("create"), step.method().sendsCode(), step.method().sendsLink(), step.organizations(), step.error());
                HttpStatus status = step.error().isPresent() ? HttpStatus.BAD_REQUEST : HttpStatus.OK;
                yield pages.respond(status, "login.jte", Map.of("chrome", chrome(call, settings), "page", page));
            }
            case LoginOutcome.Redirect redirect -> {
                List<Cookie> cookies = new ArrayList<>();
                redirect.newSessionCookie().ifPresent(value -> cookies.add(Cookie.secureBuilder(SESSION_COOKIE, value)
                        .secure(call.secure()).httpOnly(true).sameSite("Lax").path("/")
                        .maxAge(logins.settings(call.environment().id()).sessionAbsoluteTimeout().toSeconds()).build()));
                yield found(redirect.redirect().toUrl(), cookies);
            }
            case LoginOutcome.ToIdentityProvider federated -> switch (federated.redirect()) {
                case dev.gatehouse.core.login.IdentityProviderRedirect.Location location ->
                        found(location.url(), List.of(browserCookie(call, binding)));
                case dev.gatehouse.core.login.IdentityProviderRedirect.Unavailable unavailable ->
                        errorPage(HttpStatus.BAD_REQUEST, "Sign-in unavailable", unavailable.description());
                case dev.gatehouse.core.login.IdentityProviderRedirect.PostForm form ->
                        withHeaders(pages.autoPost(chrome(call), form.action(), form.fields()),
                                ResponseHeaders.builder(HttpStatus.OK).cookie(browserCookie(call, binding)));
            };
            case LoginOutcome.ConnectionTested tested -> pages.respond(tested.succeeded() ? HttpStatus.OK
                    : HttpStatus.BAD_REQUEST, "connectiontest.jte", Map.of("chrome", chrome(call),
                    "page", ConnectionTestPage.of(tested)));
            case LoginOutcome.Invalid invalid -> errorPage(HttpStatus.BAD_REQUEST, "Sign-in failed", invalid.message());
            case LoginOutcome.Throttled throttled -> {
                HttpResponse page = pages.respond(HttpStatus.TOO_MANY_REQUESTS, "message.jte", Map.of("chrome", chrome(call),
                        "heading", "Too many attempts", "message", "Wait a little, then try again."));
                yield withHeaders(page, ResponseHeaders.builder(HttpStatus.TOO_MANY_REQUESTS)
                        .add("retry-after", Long.toString(Math.max(1, throttled.retryAfter().toSeconds()))));
            }
        };
    }

    public LoginService.Browser browser(Call call, String binding) {
        return new LoginService.Browser(binding, call.cookie(SESSION_COOKIE), call.remoteAddress(),
                Optional.ofNullable(call.request().headers().get("user-agent")));
    }

    /** A new browser-binding secret, for a page that needs one before any login exists (the IdP simulator's). */
    String newBrowserBinding() {
        return secrets.next("");
    }

    Cookie browserCookie(Call call, String binding) {
        return Cookie.secureBuilder(BROWSER_COOKIE, binding).secure(call.secure()).httpOnly(true).sameSite("Lax")
                .path("/").build();
    }

    public PageChrome chrome(Call call) {
        return chrome(call, logins.settings(call.environment().id()));
    }

    private static PageChrome chrome(Call call, LoginSettings settings) {
        var branding = settings.branding();
        return PageChrome.of("Sign in", branding.name(), branding.logoUrl(), branding.primaryColor(),
                branding.backgroundColor());
    }

    private void auditRejection(Call call, String reason) {
        audit.append(new AuditRecord(clock.instant(), Optional.of(call.environment().id()), Optional.empty(),
                "oauth.authorize.rejected", AuditRecord.Outcome.FAILURE,
                Optional.ofNullable(call.parameters().get("client_id")).map(v -> v.length() > 64 ? v.substring(0, 64) : v),
                Optional.of(reason), Optional.of(call.remoteAddress()), Map.of()));
    }

    public HttpResponse errorPage(HttpStatus status, String heading, String message) {
        return pages.respond(status, "error.jte", Map.of("chrome", PageChrome.plain(heading), "heading", heading,
                "message", message));
    }

    private static HttpResponse found(String location, List<Cookie> cookies) {
        ResponseHeadersBuilder headers = ResponseHeaders.builder(HttpStatus.FOUND).add("location", location)
                .add("cache-control", "no-store");
        cookies.forEach(headers::cookie);
        return HttpResponse.of(headers.build());
    }

    /** Adds {@code extra}'s headers (cookies, Retry-After) to a rendered page. */
    static HttpResponse withHeaders(HttpResponse page, ResponseHeadersBuilder extra) {
        ResponseHeaders additions = extra.build();
        return page.mapHeaders(headers -> {
            ResponseHeadersBuilder merged = headers.toBuilder();
            additions.forEach((name, value) -> {
                if (!name.toString().startsWith(":")) {
                    merged.add(name, value);
                }
            });
            return merged.build();
        });
    }

}
