package dev.gatehouse.http.saml;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.Cookie;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.gatehouse.core.audit.AuditRecord;
import dev.gatehouse.core.audit.AuditTrail;
import dev.gatehouse.core.connection.Connection;
import dev.gatehouse.core.connection.ConnectionService;
import dev.gatehouse.core.connection.ConnectionType;
import dev.gatehouse.core.connection.SamlSettings;
import dev.gatehouse.core.connection.SamlSigningOption;
import dev.gatehouse.core.connection.ServiceProviderUrls;
import dev.gatehouse.core.credential.SecretGenerator;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.environment.EnvironmentDirectory;
import dev.gatehouse.core.login.LoginOutcome;
import dev.gatehouse.core.login.LoginService;
import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.http.oauth.HostedLoginRoutes;
import dev.gatehouse.http.oauth.WireAdapter;
import dev.gatehouse.http.pages.PageChrome;
import dev.gatehouse.http.pages.Pages;
import dev.gatehouse.oauth.token.IdpInitiatedLoginRedirects;
import dev.gatehouse.saml.request.NameIdFormat;
import dev.gatehouse.saml.sp.SpMetadata;
import dev.gatehouse.saml.sp.SpMetadataWriter;
import dev.gatehouse.saml.sso.AcsResult;
import dev.gatehouse.saml.sso.SamlAssertionConsumer;
import dev.gatehouse.saml.sso.SamlConnectionKeys;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SAML SP endpoints of every connection (spec-sso §3.4, {@link ServiceProviderUrls}): the Assertion Consumer
 * Service {@code POST /sso/v1/saml/{connection_id}/callback} and the SP metadata
 * {@code GET /sso/v1/saml/{connection_id}/metadata}. The ACS hands the form to {@link SamlAssertionConsumer} and turns
 * its result into the hosted login's answer: a code (or error) redirect to the app for an SP-initiated login, the
 * {@code idp_initiated_login} redirect for an IdP-initiated one (D-SS4). Malformed input is a 4xx page.
 */
public final class SamlRoutes {
    /** A form of at most 1.5 MiB: the validator refuses decoded responses of 1 MiB or more anyway. */
    public static final int MAX_ACS_BYTES = 1536 * 1024;
    /** RelayState longer than this is refused (SAML allows 80 bytes; IdPs put URLs there in IdP-initiated logins). */
    public static final int MAX_RELAY_STATE = 1024;
    /** The field marking the ACS form re-posted from Gatehouse's own origin (D-SS5). */
    public static final String REPOST_FIELD = "gatehouse_repost";

    private final EnvironmentDirectory environments;
    private final ConnectionService connections;
    private final SamlConnectionKeys keys;
    private final SamlAssertionConsumer consumer;
    private final LoginService logins;
    private final HostedLoginRoutes hostedLogin;
    private final IdpInitiatedLoginRedirects idpInitiatedRedirects;
    private final AuditTrail audit;
    private final SecretGenerator secrets;
    private final Clock clock;
    private final Pages pages = new Pages();

    public SamlRoutes(EnvironmentDirectory environments, ConnectionService connections, SamlConnectionKeys keys,
                      SamlAssertionConsumer consumer, LoginService logins, HostedLoginRoutes hostedLogin,
                      IdpInitiatedLoginRedirects idpInitiatedRedirects, AuditTrail audit, SecretGenerator secrets,
                      Clock clock) {
        this.environments = environments;
        this.connections = connections;
        this.keys = keys;
        this.consumer = consumer;
        this.logins = logins;
        this.hostedLogin = hostedLogin;
        this.idpInitiatedRedirects = idpInitiatedRedirects;
        this.audit = audit;
        this.secrets = secrets;
        this.clock = clock;
    }

    public void bind(ServerBuilder server) {
        server.route().post("/sso/v1/saml/{connection_id}/callback").maxRequestLength(MAX_ACS_BYTES)
                .build(blocking(this::acs));
        server.route().get("/sso/v1/saml/{connection_id}/metadata").build(blocking(this::metadata));
    }

    private interface Handler {
        HttpResponse handle(ServiceRequestContext ctx, AggregatedHttpRequest request, Environment environment);
    }

    private HttpService blocking(Handler handler) {
        return (ctx, req) -> HttpResponse.of(req.aggregate().thenApplyAsync(aggregated -> {
            Optional<Environment> environment = environments.byAuthority(WireAdapter.authority(ctx, req.authority()));
            if (environment.isEmpty()) {
                return errorPage(HttpStatus.NOT_FOUND, "Not found", "There is no environment at this address.");
            }
            return handler.handle(ctx, aggregated, environment.get());
        }, ctx.blockingTaskExecutor()));
    }

    private HttpResponse acs(ServiceRequestContext ctx, AggregatedHttpRequest request, Environment environment) {
        var type = request.contentType();
        if (type == null || !type.is(MediaType.FORM_DATA)) {
            return errorPage(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported request",
                    "The identity provider must post the SAML response as a form.");
        }
        QueryParams form = QueryParams.fromQueryString(request.contentUtf8());
        List<String> responses = form.getAll("SAMLResponse");
        List<String> relayStates = form.getAll("RelayState");
        if (responses.size() != 1 || responses.get(0).isBlank() || relayStates.size() > 1
                || (relayStates.size() == 1 && relayStates.get(0).length() > MAX_RELAY_STATE)) {
            audit.append(malformed(ctx, environment, "ACS form without exactly one SAMLResponse, or a bad RelayState"));
            return errorPage(HttpStatus.BAD_REQUEST, "Sign-in failed", "The identity provider's answer was incomplete.");
        }
        String connectionId = ctx.pathParam("connection_id");
        Optional<String> relayState = relayStates.stream().filter(s -> !s.isEmpty()).findFirst();
        Optional<String> cookie = cookie(request, HostedLoginRoutes.BROWSER_COOKIE);
        if (cookie.isEmpty() && form.get(REPOST_FIELD) == null) {
            // The IdP's cross-site POST carries no SameSite=Lax cookie; posting the form again from this origin does.
            Map<String, String> fields = new java.util.LinkedHashMap<>();
            fields.put("SAMLResponse", responses.get(0));
            relayState.ifPresent(value -> fields.put("RelayState", value));
            fields.put(REPOST_FIELD, "1");
            return pages.autoPost(PageChrome.plain("Signing in"), ctx.path(), fields);
        }
        String binding = cookie.orElseGet(() -> secrets.next(""));
        LoginService.Browser browser = new LoginService.Browser(binding, cookie(request, HostedLoginRoutes.SESSION_COOKIE),
                remoteAddress(ctx), Optional.ofNullable(request.headers().get("user-agent")));
        String issuer = environment.issuerUrl();
        AcsResult result = consumer.consume(environment.id(), issuer, connectionId, responses.get(0), relayState,
                Optional.of(remoteAddress(ctx)));
        return switch (result) {
            case AcsResult.UnknownConnection unknown -> errorPage(HttpStatus.NOT_FOUND, "Not found",
                    "There is no SAML connection at this address.");
            case AcsResult.Refused refused when refused.loginId().isPresent() -> hostedLogin.respondFederated(ctx,
                    request, environment, binding, logins.failFederated(environment.id(), issuer, refused.loginId().get(),
                            browser, refused.errorCode(), refused.description(), refused.reason()));
            case AcsResult.Refused refused -> errorPage(HttpStatus.BAD_REQUEST, "Sign-in failed", refused.description());
            case AcsResult.SignedIn signedIn -> hostedLogin.respondFederated(ctx, request, environment, binding,
                    logins.completeFederated(environment.id(), issuer, signedIn.loginId(), browser, signedIn.identity()));
            case AcsResult.IdpInitiated idpInitiated -> idpInitiated(ctx, environment, idpInitiated);
        };
    }

    /** R-SSO-68: no code; the app's default redirect URI gets a short-lived signed token naming the connection. */
    private HttpResponse idpInitiated(ServiceRequestContext ctx, Environment environment, AcsResult.IdpInitiated accepted) {
        Connection connection = accepted.connection();
        Optional<String> url = idpInitiatedRedirects.redirectUrl(environment, connection, accepted.identity().email(),
                accepted.relayState());
        if (url.isEmpty()) {
            audit.append(new AuditRecord(clock.instant(), Optional.of(environment.id()), Optional.of(connection.organizationId()),
                    "sso.saml.response.rejected", AuditRecord.Outcome.FAILURE, Optional.empty(),
                    Optional.of("IdP-initiated login but no default redirect URI is configured"),
                    Optional.of(remoteAddress(ctx)), Map.of("error", "invalid_redirect_uri", "step", "idp_initiated",
                    "connection_id", connection.id())));
            return errorPage(HttpStatus.BAD_REQUEST, "Sign-in failed",
                    "The application has no default redirect URI for sign-ins started at the identity provider.");
        }
        return HttpResponse.of(ResponseHeaders.builder(HttpStatus.FOUND).add("location", url.get())
                .add("cache-control", "no-store").build());
    }

    private HttpResponse metadata(ServiceRequestContext ctx, AggregatedHttpRequest request, Environment environment) {
        Connection connection;
        try {
            connection = connections.get(environment.id(), Optional.empty(), ctx.pathParam("connection_id"));
            if (connection.type() != ConnectionType.SAML) {
                return errorPage(HttpStatus.NOT_FOUND, "Not found", "There is no SAML connection at this address.");
            }
            connection = connections.ensureSpCredential(environment.id(), connection.id());
        } catch (DomainException e) {
            return errorPage(HttpStatus.NOT_FOUND, "Not found", "There is no SAML connection at this address.");
        }
        SamlSettings saml = connection.saml().orElseThrow();
        ServiceProviderUrls urls = ServiceProviderUrls.of(environment.issuerUrl(), connection);
        var certificate = keys.of(connection).sp().map(sp -> sp.certificate());
        boolean assertionSigned = saml.signingOption() == SamlSigningOption.ASSERTION_ONLY
                || saml.signingOption() == SamlSigningOption.RESPONSE_AND_ASSERTION;
        String xml = SpMetadataWriter.write(new SpMetadata(urls.samlEntityId(), urls.samlAcsUrl(), certificate, certificate,
                saml.wantRequestSigned() && certificate.isPresent(), assertionSigned,
                List.of(NameIdFormat.valueOf(saml.nameIdFormat().name()))));
        return HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK)
                .contentType(MediaType.parse("application/samlmetadata+xml; charset=utf-8"))
                .add("cache-control", "no-cache").build(), com.linecorp.armeria.common.HttpData.ofUtf8(xml));
    }

    private AuditRecord malformed(ServiceRequestContext ctx, Environment environment, String reason) {
        return new AuditRecord(clock.instant(), Optional.of(environment.id()), Optional.empty(), "sso.saml.response.rejected",
                AuditRecord.Outcome.FAILURE, Optional.empty(), Optional.of(reason), Optional.of(remoteAddress(ctx)),
                Map.of("error", "malformed_saml_response", "step", "form", "connection_id",
                        truncate(ctx.pathParam("connection_id"))));
    }

    private static String truncate(String value) {
        return value.length() > 64 ? value.substring(0, 64) : value;
    }

    private static Optional<String> cookie(AggregatedHttpRequest request, String name) {
        return request.headers().cookies().stream().filter(c -> c.name().equals(name)).map(Cookie::value)
                .filter(v -> !v.isEmpty() && v.length() <= 128).findFirst();
    }

    private static String remoteAddress(ServiceRequestContext ctx) {
        return ((InetSocketAddress) ctx.remoteAddress()).getAddress().getHostAddress();
    }

    private HttpResponse errorPage(HttpStatus status, String heading, String message) {
        return pages.respond(status, "error.jte", Map.of("chrome", PageChrome.plain(heading), "heading", heading,
                "message", message));
    }
}
