package dev.gatehouse.http.portal;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServerBuilder;
import dev.gatehouse.core.connection.AttributeMappings;
import dev.gatehouse.core.connection.Connection;
import dev.gatehouse.core.connection.ConnectionPatch;
import dev.gatehouse.core.connection.ConnectionProvider;
import dev.gatehouse.core.connection.ConnectionService;
import dev.gatehouse.core.connection.ConnectionType;
import dev.gatehouse.core.connection.IdpCertificate;
import dev.gatehouse.core.connection.NewConnection;
import dev.gatehouse.core.connection.OidcPatch;
import dev.gatehouse.core.connection.OidcSettings;
import dev.gatehouse.core.connection.SamlPatch;
import dev.gatehouse.core.connection.SamlSettings;
import dev.gatehouse.core.connection.ServiceProviderUrls;
import dev.gatehouse.core.credential.SecretGenerator;
import dev.gatehouse.core.directory.DirectoryProvider;
import dev.gatehouse.core.directory.DirectoryService;
import dev.gatehouse.core.directory.IssuedDirectorySecret;
import dev.gatehouse.core.event.Json;
import dev.gatehouse.core.login.LoginService;
import dev.gatehouse.core.organization.Organization;
import dev.gatehouse.core.organization.OrganizationFeature;
import dev.gatehouse.core.portal.AdminPortal;
import dev.gatehouse.core.portal.PortalLinkService;
import dev.gatehouse.core.portal.PortalSession;
import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.http.oauth.HostedLoginRoutes.Call;
import dev.gatehouse.http.oauth.HostedLoginRoutes;
import dev.gatehouse.http.pages.PageChrome;
import dev.gatehouse.http.pages.Pages;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The self-serve admin portal (docs/DECISIONS.md D-AP2…D-AP5): server-rendered pages under {@code /portal/<link id>}
 * that work without JavaScript. {@code GET /portal/<link>?key=<secret>} opens the link: a portal session starts and
 * its cookie ({@value #COOKIE}, HttpOnly, path {@code /portal/<link>}; {@code SameSite=None; Secure; Partitioned} on
 * https so an app's iframe works, {@code SameSite=Lax} on plain http) replaces the key, which leaves the address bar
 * by a redirect. Every form carries a CSRF token derived from the cookie. Pages may be framed by the environment's
 * registered redirect URI origins ({@code frame-ancestors}), and post the documented browser events to them.
 * Everything goes through {@link AdminPortal} (the core services, audited with the link as actor); every refusal
 * is a 4xx page and an audit record.
 */
public final class PortalRoutes {
    public static final String COOKIE = "gatehouse_portal";
    /** Where a prepared connection test goes on, in the window that runs it (no portal session needed there). */
    static final String TESTS_PATH = "/portal/connection-tests/";
    /** An IdP metadata document (1 MiB at most) URL-encoded, with room to spare. */
    static final int MAX_FORM_BYTES = 4 * 1024 * 1024;
    private static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.\\-]+(:[0-9]{1,5})?");
    private static final Pattern WILDCARD_ORIGIN = Pattern.compile("https?://\\*\\.[A-Za-z0-9.\\-]+(:[0-9]{1,5})?");
    private static final Map<String, String> NOTICES = Map.ofEntries(
            Map.entry("created", "The connection was created. Give your identity provider the values below, then "
                    + "enter its details."),
            Map.entry("saml_metadata_url", "The identity provider's metadata was read from its URL."),
            Map.entry("saml_metadata_xml", "The identity provider's metadata was read."),
            Map.entry("saml_manual", "The identity provider's details were saved."),
            Map.entry("oidc", "The OpenID Connect settings were saved."),
            Map.entry("attribute_mapping", "The attribute mapping was saved."),
            Map.entry("enable", "The connection is enabled: users of the organization can sign in through it."),
            Map.entry("disable", "The connection is disabled."),
            Map.entry("domain_added", "The domain was added."),
            Map.entry("domain_deleted", "The domain was removed."),
            Map.entry("directory_created", "The directory was created. Generate a bearer token for your identity "
                    + "provider, then enable the directory."),
            Map.entry("directory_enable", "SCIM provisioning is enabled."),
            Map.entry("directory_disable", "SCIM provisioning is disabled."));

    private final HostedLoginRoutes hosted;
    private final PortalLinkService links;
    private final AdminPortal portal;
    private final LoginService logins;
    private final Function<String, List<String>> redirectUris;
    private final SecretGenerator secrets;
    private final Clock clock;
    private final Pages pages = new Pages();

    /**
     * @param redirectUris the registered redirect URIs of an environment's clients (their origins may frame the
     *                     portal, as Scalekit's "the parent domain must be a registered redirect URI")
     */
    public PortalRoutes(HostedLoginRoutes hosted, PortalLinkService links, AdminPortal portal, LoginService logins,
                        Function<String, List<String>> redirectUris, SecretGenerator secrets, Clock clock) {
        this.hosted = hosted;
        this.links = links;
        this.portal = portal;
        this.logins = logins;
        this.redirectUris = redirectUris;
        this.secrets = secrets;
        this.clock = clock;
    }

    public void bind(ServerBuilder server) {
        route(server, "/portal/{link}", true, this::home);
        route(server, "/portal/{link}/connections", false, this::createConnection);
        route(server, "/portal/{link}/connections/{connection}", false, this::connection);
        route(server, "/portal/{link}/connections/{connection}/test", false, this::testConnection);
        route(server, "/portal/{link}/domains", false, this::domains);
        route(server, "/portal/{link}/directories", false, this::createDirectory);
        route(server, "/portal/{link}/directories/{directory}", false, this::directory);
        server.route().get(TESTS_PATH + "{login}").build(hosted.blocking(this::continueTest));
    }

    /** An authenticated portal request: the session, its cookie value (for the CSRF token) and the caller's address. */
    private record Visit(PortalSession session, String cookie, String ip) {}

    /** {@code opens}: the link's own address, where {@code ?key=} opens the portal. */
    private void route(ServerBuilder server, String path, boolean opens, BiFunction<Call, Visit, HttpResponse> handler) {
        server.route().path(path).maxRequestLength(MAX_FORM_BYTES)
                .build(hosted.blocking(MAX_FORM_BYTES, call -> handle(call, opens, handler)));
    }

    private HttpResponse handle(Call call, boolean opens, BiFunction<Call, Visit, HttpResponse> handler) {
        String linkId = call.ctx().pathParam("link");
        String ip = call.remoteAddress();
        boolean post = call.request().method() == HttpMethod.POST;
        if (opens && !post && call.parameters().contains(PortalLinkService.KEY_PARAMETER)) {
            return open(call, linkId, call.parameters().get(PortalLinkService.KEY_PARAMETER, ""));
        }
        Optional<String> cookie = call.cookie(COOKIE);
        Optional<PortalSession> session = links.session(call.environment().id(), linkId, cookie, ip);
        if (session.isEmpty()) {
            return error(call, HttpStatus.UNAUTHORIZED, "Admin portal session ended",
                    "Your admin portal session has ended or this browser has none. Open the admin portal link again, or "
                            + "ask the application for a new one.");
        }
        Visit visit = new Visit(session.get(), cookie.orElseThrow(), ip);
        if (post && !links.acceptsForm(visit.session(), visit.cookie(), call.parameters().get("csrf"), ip)) {
            return error(call, HttpStatus.FORBIDDEN, "Form expired",
                    "This form is not valid any more. Go back, reload the page and try again.");
        }
        try {
            return handler.apply(call, visit);
        } catch (DomainException.NotFound e) {
            return error(call, HttpStatus.NOT_FOUND, "Not found", "There is nothing here for this admin portal link.");
        } catch (DomainException e) {
            return error(call, HttpStatus.BAD_REQUEST, "Request refused", e.getMessage());
        }
    }

    // ---- opening a link

    private HttpResponse open(Call call, String linkId, String key) {
        return switch (links.open(call.environment().id(), linkId, key, call.cookie(COOKIE), call.remoteAddress())) {
            case PortalLinkService.Opening.Opened opened -> {
                Duration lifetime = Duration.between(clock.instant(), opened.session().expireTime());
                yield HttpResponse.of(ResponseHeaders.builder(HttpStatus.SEE_OTHER)
                        .add("location", call.base() + base(linkId))
                        .add("cache-control", "no-store")
                        .add("referrer-policy", "no-referrer")
                        .add("set-cookie", sessionCookie(call, linkId, opened.cookie(), lifetime))
                        .build());
            }
            case PortalLinkService.Opening.Refused refused -> refused.expired()
                    ? error(call, HttpStatus.GONE, "Link expired", "This admin portal link has expired. Ask the "
                            + "application for a new one.")
                    : error(call, HttpStatus.NOT_FOUND, "Link not valid", "This admin portal link is not valid. It may "
                            + "have been revoked, or copied incompletely.");
        };
    }

    private static String sessionCookie(Call call, String linkId, String value, Duration lifetime) {
        StringBuilder cookie = new StringBuilder(COOKIE).append('=').append(value)
                .append("; Path=").append(base(linkId))
                .append("; Max-Age=").append(Math.max(0, lifetime.toSeconds()))
                .append("; HttpOnly");
        // An embedding app's iframe is a third-party context: only SameSite=None (which needs Secure) reaches it, and
        // Partitioned keeps it working where third-party cookies are blocked. Plain-http development keeps Lax.
        cookie.append(call.secure() ? "; Secure; SameSite=None; Partitioned" : "; SameSite=Lax");
        return cookie.toString();
    }

    // ---- overview

    private HttpResponse home(Call call, Visit visit) {
        if (call.request().method() == HttpMethod.POST) {
            return seeOther(call, visit, "");
        }
        return homePage(call, visit, HttpStatus.OK, notice(call), Optional.empty());
    }

    private HttpResponse homePage(Call call, Visit visit, HttpStatus status, Optional<String> notice,
                                  Optional<String> error) {
        PortalSession session = visit.session();
        Organization organization = portal.organization(session);
        List<PortalHomePage.ConnectionRow> connections = List.of();
        List<PortalHomePage.DomainRow> domains = List.of();
        if (session.allows(OrganizationFeature.SSO)) {
            connections = portal.connections(session, visit.ip()).stream()
                    .map(c -> new PortalHomePage.ConnectionRow(c.id(), c.type().name(), c.provider().displayName(),
                            c.status().name(), c.enabled()))
                    .toList();
            domains = portal.domains(session, visit.ip()).stream()
                    .map(d -> new PortalHomePage.DomainRow(d.id(), d.name(), d.verificationStatus().name())).toList();
        }
        List<PortalHomePage.DirectoryRow> directories = List.of();
        if (session.allows(OrganizationFeature.DIRECTORY_SYNC)) {
            directories = portal.directories(session, visit.ip()).stream()
                    .map(d -> new PortalHomePage.DirectoryRow(d.directory().id(), d.directory().provider().displayName(),
                            d.directory().enabled(), d.users(), d.groups()))
                    .toList();
        }
        List<PortalHomePage.Choice> connectionProviders = Arrays.stream(ConnectionProvider.values())
                .filter(p -> p != ConnectionProvider.IDP_SIMULATOR)
                .map(p -> new PortalHomePage.Choice(p.name(), p.displayName())).toList();
        List<PortalHomePage.Choice> directoryProviders = Arrays.stream(DirectoryProvider.values())
                .map(p -> new PortalHomePage.Choice(p.name(), p == DirectoryProvider.GENERIC ? "Other SCIM 2.0 client"
                        : p.displayName())).toList();
        PortalHomePage page = new PortalHomePage(frame(call, visit, organization, List.of(), notice, error), connections,
                domains, directories, connectionProviders, directoryProviders);
        return render(call, status, "portal/home.jte", page);
    }

    // ---- single sign-on

    private HttpResponse createConnection(Call call, Visit visit) {
        if (call.request().method() != HttpMethod.POST) {
            return seeOther(call, visit, "");
        }
        Optional<ConnectionType> type = switch (call.parameters().get("type", "")) {
            case "SAML" -> Optional.of(ConnectionType.SAML);
            case "OIDC" -> Optional.of(ConnectionType.OIDC);
            default -> Optional.empty();
        };
        Optional<ConnectionProvider> provider = ConnectionProvider.fromWire(call.parameters().get("provider", ""))
                .filter(p -> p != ConnectionProvider.IDP_SIMULATOR);
        if (type.isEmpty() || provider.isEmpty()) {
            links.rejectRequest(visit.session(), "malformed new connection form", visit.ip());
            return homePage(call, visit, HttpStatus.BAD_REQUEST, Optional.empty(),
                    Optional.of("Choose a protocol and an identity provider."));
        }
        try {
            Connection created = portal.createConnection(visit.session(), new NewConnection(type.get(), provider.get()),
                    visit.ip());
            return seeOther(call, visit, "/connections/" + created.id() + "?notice=created");
        } catch (DomainException.InvalidArgument | DomainException.FailedPrecondition | DomainException.AlreadyExists e) {
            return homePage(call, visit, HttpStatus.BAD_REQUEST, Optional.empty(), Optional.of(e.getMessage()));
        }
    }

    private HttpResponse connection(Call call, Visit visit) {
        String connectionId = call.ctx().pathParam("connection");
        Connection connection = portal.connection(visit.session(), connectionId, visit.ip());
        if (call.request().method() != HttpMethod.POST) {
            Optional<String> notice = notice(call);
            return connectionPage(call, visit, connection, HttpStatus.OK, notice, Optional.empty(),
                    connectionEvents(call.parameters().get("notice", ""), connection));
        }
        String action = call.parameters().get("action", "");
        try {
            switch (action) {
                case "enable", "disable" -> {
                    ConnectionService.Toggle toggle = portal.setConnectionEnabled(visit.session(), connectionId,
                            action.equals("enable"), visit.ip());
                    if (toggle.errorMessage().isPresent()) {
                        return connectionPage(call, visit, connection, HttpStatus.OK, toggle.errorMessage(),
                                Optional.empty(), List.of());
                    }
                }
                case "saml_metadata_url", "saml_metadata_xml", "saml_manual", "oidc", "attribute_mapping" -> {
                    Optional<ConnectionPatch> patch = patch(action, call);
                    if (patch.isEmpty()) {
                        return connectionPage(call, visit, connection, HttpStatus.BAD_REQUEST, Optional.empty(),
                                Optional.of("Fill in the form before saving it."), List.of());
                    }
                    portal.updateConnection(visit.session(), connectionId, patch.get(), visit.ip());
                }
                default -> {
                    links.rejectRequest(visit.session(), "unknown connection action", visit.ip());
                    return connectionPage(call, visit, connection, HttpStatus.BAD_REQUEST, Optional.empty(),
                            Optional.of("The form was not understood."), List.of());
                }
            }
        } catch (DomainException.InvalidArgument | DomainException.FailedPrecondition | DomainException.AlreadyExists e) {
            return connectionPage(call, visit, connection, e instanceof DomainException.InvalidArgument
                    ? HttpStatus.BAD_REQUEST : HttpStatus.CONFLICT, Optional.empty(), Optional.of(e.getMessage()), List.of());
        }
        return seeOther(call, visit, "/connections/" + connectionId + "?notice=" + action);
    }

    /** The form of {@code action} as a change of the connection; empty when the form has nothing to change. */
    private static Optional<ConnectionPatch> patch(String action, Call call) {
        return switch (action) {
            case "saml_metadata_url" -> field(call, "idp_metadata_url")
                    .map(url -> ConnectionPatch.NONE.withSaml(SamlPatch.builder().idpMetadataUrl(url).build()));
            case "saml_metadata_xml" -> field(call, "idp_metadata_xml")
                    .map(xml -> ConnectionPatch.NONE.withSaml(SamlPatch.builder().idpMetadataXml(xml).build()));
            case "saml_manual" -> {
                SamlPatch.Builder saml = SamlPatch.builder();
                field(call, "idp_entity_id").ifPresent(saml::idpEntityId);
                field(call, "idp_sso_url").ifPresent(saml::idpSsoUrl);
                field(call, "idp_certificate").ifPresent(saml::idpCertificates);
                SamlPatch built = saml.build();
                yield built.setsManualIdp() ? Optional.of(ConnectionPatch.NONE.withSaml(built)) : Optional.empty();
            }
            case "oidc" -> {
                OidcPatch.Builder oidc = OidcPatch.builder();
                // One field takes the issuer or its discovery document's URL, as admins copy either.
                field(call, "issuer").ifPresent(issuer -> {
                    if (issuer.contains("/.well-known/")) {
                        oidc.discoveryEndpoint(issuer);
                    } else {
                        oidc.issuer(issuer);
                    }
                });
                field(call, "client_id").ifPresent(oidc::clientId);
                field(call, "client_secret").ifPresent(oidc::clientSecret);
                field(call, "scopes").ifPresent(scopes -> oidc.scopes(List.of(scopes.split("[\\s,]+"))));
                yield Optional.of(ConnectionPatch.NONE.withOidc(oidc.build()));
            }
            case "attribute_mapping" -> {
                Map<String, String> mapping = new LinkedHashMap<>();
                call.parameters().forEach((name, value) -> {
                    if (name.startsWith("mapping.") && !value.isBlank()) {
                        mapping.put(name.substring("mapping.".length()), value.strip());
                    }
                });
                field(call, "new_attribute").ifPresent(name -> field(call, "new_attribute_value")
                        .ifPresent(value -> mapping.put(name, value)));
                yield mapping.isEmpty() ? Optional.empty() : Optional.of(ConnectionPatch.NONE.withAttributeMapping(mapping));
            }
            default -> Optional.empty();
        };
    }

    private HttpResponse connectionPage(Call call, Visit visit, Connection connection, HttpStatus status,
                                        Optional<String> notice, Optional<String> error, List<Map<String, Object>> events) {
        return connectionPage(call, visit, connection, status, notice, error, events, "");
    }

    private HttpResponse connectionPage(Call call, Visit visit, Connection connection, HttpStatus status,
                                        Optional<String> notice, Optional<String> error, List<Map<String, Object>> events,
                                        String testUrl) {
        String issuer = call.environment().issuerUrl();
        ServiceProviderUrls urls = ServiceProviderUrls.of(issuer, connection);
        Optional<SamlSettings> saml = connection.saml();
        Optional<OidcSettings> oidc = connection.oidc();
        Map<String, String> mapping = connection.attributeMapping().isEmpty()
                ? AttributeMappings.defaults(connection.type(), connection.provider()) : connection.attributeMapping();
        PortalConnectionPage page = new PortalConnectionPage(
                frame(call, visit, portal.organization(visit.session()), events, notice, error),
                connection.id(), connection.type().name(), connection.provider().displayName(), connection.status().name(),
                connection.enabled(), connection.settings().missing(connection.debugEnabled()),
                connection.status() == dev.gatehouse.core.connection.ConnectionStatus.COMPLETED,
                urls.samlEntityId(), urls.samlAcsUrl(), urls.samlMetadataUrl(),
                saml.flatMap(SamlSettings::idpMetadataUrl).orElse(""),
                saml.flatMap(SamlSettings::idpEntityId).orElse(""),
                saml.flatMap(SamlSettings::idpSsoUrl).orElse(""),
                saml.map(s -> s.idpCertificates().stream().map(PortalRoutes::describe).toList()).orElse(List.of()),
                saml.flatMap(SamlSettings::metadataError).orElse(""),
                urls.oidcRedirectUri(),
                oidc.flatMap(o -> o.issuer().or(o::discoveryEndpoint)).orElse(""),
                oidc.flatMap(OidcSettings::clientId).orElse(""),
                oidc.flatMap(OidcSettings::clientSecret).isPresent(),
                oidc.map(o -> String.join(" ", o.scopes())).orElse(""),
                new ArrayList<>(new java.util.TreeMap<>(mapping).entrySet()), testUrl);
        return render(call, status, "portal/connection.jte", page);
    }

    private static String describe(IdpCertificate certificate) {
        return certificate.subject() + " (valid until " + certificate.expiryTime() + ", SHA-256 "
                + certificate.sha256Fingerprint() + ")";
    }

    /** The documented browser event of an enable/disable that just happened (D-AP5). */
    private static List<Map<String, Object>> connectionEvents(String notice, Connection connection) {
        if (!(notice.equals("enable") && connection.enabled()) && !(notice.equals("disable") && !connection.enabled())) {
            return List.of();
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("connection_type", "SSO");
        data.put("id", connection.id());
        data.put("type", connection.type().name());
        data.put("provider", connection.provider().name());
        data.put("enabled", connection.enabled());
        return List.of(event(connection.enabled() ? "ORGANIZATION_SSO_ENABLED" : "ORGANIZATION_SSO_DISABLED",
                "connection", connection.organizationId(), "Single sign-on connection "
                        + (connection.enabled() ? "enabled" : "disabled") + " successfully", data));
    }

    /**
     * Prepares a test of the connection and answers the page with the link that runs it in a new window: the portal
     * may be in an iframe, whose (partitioned) cookies that window would not have, so the link itself carries the
     * test login's binding secret (D-AP4).
     */
    private HttpResponse testConnection(Call call, Visit visit) {
        String connectionId = call.ctx().pathParam("connection");
        Connection connection = portal.connection(visit.session(), connectionId, visit.ip());
        if (call.request().method() != HttpMethod.POST) {
            return seeOther(call, visit, "/connections/" + connectionId);
        }
        try {
            LoginService.PreparedConnectionTest prepared = portal.testConnection(visit.session(), connectionId,
                    call.base() + base(visit.session().linkId()) + "/connections/" + connectionId, visit.ip());
            String testUrl = call.base() + TESTS_PATH + prepared.loginId() + "?binding=" + prepared.bindingSecret();
            return connectionPage(call, visit, connection, HttpStatus.OK, Optional.of("The test " + prepared.testId()
                    + " is ready: sign in with your identity provider in a new window, and see what it sends."), Optional.empty(), List.of(),
                    testUrl);
        } catch (DomainException.FailedPrecondition e) {
            return connectionPage(call, visit, connection, HttpStatus.CONFLICT, Optional.empty(),
                    Optional.of(e.getMessage()), List.of());
        }
    }

    /** The window that runs a prepared test: its binding becomes the login cookie, then off to the identity provider. */
    private HttpResponse continueTest(Call call) {
        String binding = call.parameters().get("binding", "");
        if (binding.isEmpty() || binding.length() > 128) {
            binding = secrets.next(""); // matches no login: refused and audited like any other browser's
        }
        return hosted.respond(call, binding, logins.continueConnectionTest(call.environment().id(),
                call.environment().issuerUrl(), call.ctx().pathParam("login"), hosted.browser(call, binding)));
    }

    private HttpResponse domains(Call call, Visit visit) {
        if (call.request().method() != HttpMethod.POST) {
            return seeOther(call, visit, "");
        }
        String action = call.parameters().get("action", "");
        try {
            switch (action) {
                case "create" -> portal.createDomain(visit.session(), call.parameters().get("domain", ""), visit.ip());
                case "delete" -> portal.deleteDomain(visit.session(), call.parameters().get("domain_id", ""), visit.ip());
                default -> {
                    links.rejectRequest(visit.session(), "unknown domain action", visit.ip());
                    return homePage(call, visit, HttpStatus.BAD_REQUEST, Optional.empty(),
                            Optional.of("The form was not understood."));
                }
            }
        } catch (DomainException.InvalidArgument | DomainException.FailedPrecondition | DomainException.AlreadyExists e) {
            return homePage(call, visit, e instanceof DomainException.AlreadyExists ? HttpStatus.CONFLICT
                    : HttpStatus.BAD_REQUEST, Optional.empty(), Optional.of(e.getMessage()));
        }
        return seeOther(call, visit, "?notice=" + (action.equals("create") ? "domain_added" : "domain_deleted"));
    }

    // ---- directory sync

    private HttpResponse createDirectory(Call call, Visit visit) {
        if (call.request().method() != HttpMethod.POST) {
            return seeOther(call, visit, "");
        }
        Optional<DirectoryProvider> provider = Arrays.stream(DirectoryProvider.values())
                .filter(p -> p.name().equals(call.parameters().get("provider", ""))).findFirst();
        if (provider.isEmpty()) {
            links.rejectRequest(visit.session(), "malformed new directory form", visit.ip());
            return homePage(call, visit, HttpStatus.BAD_REQUEST, Optional.empty(),
                    Optional.of("Choose a directory provider."));
        }
        var created = portal.createDirectory(visit.session(), provider.get(), visit.ip());
        return seeOther(call, visit, "/directories/" + created.id() + "?notice=directory_created");
    }

    private HttpResponse directory(Call call, Visit visit) {
        String directoryId = call.ctx().pathParam("directory");
        AdminPortal.DirectorySummary summary = portal.directory(visit.session(), directoryId, visit.ip());
        if (call.request().method() != HttpMethod.POST) {
            return directoryPage(call, visit, summary, HttpStatus.OK, notice(call), Optional.empty(),
                    directoryEvents(call.parameters().get("notice", ""), summary), Optional.empty());
        }
        String action = call.parameters().get("action", "");
        try {
            switch (action) {
                case "enable", "disable" -> {
                    DirectoryService.Toggle toggle = portal.setDirectoryEnabled(visit.session(), directoryId,
                            action.equals("enable"), visit.ip());
                    if (toggle.errorMessage().isPresent()) {
                        return directoryPage(call, visit, summary, HttpStatus.OK, toggle.errorMessage(),
                                Optional.empty(), List.of(), Optional.empty());
                    }
                    return seeOther(call, visit, "/directories/" + directoryId + "?notice=directory_" + action);
                }
                case "token" -> {
                    IssuedDirectorySecret issued = portal.issueDirectoryToken(visit.session(), directoryId, visit.ip());
                    // Shown in this answer only (not after a redirect): the token is never shown again.
                    return directoryPage(call, visit, portal.directory(visit.session(), directoryId, visit.ip()),
                            HttpStatus.OK, Optional.of("Copy the bearer token now: it is not shown again."),
                            Optional.empty(), List.of(), Optional.of(issued.plainSecret()));
                }
                default -> {
                    links.rejectRequest(visit.session(), "unknown directory action", visit.ip());
                    return directoryPage(call, visit, summary, HttpStatus.BAD_REQUEST, Optional.empty(),
                            Optional.of("The form was not understood."), List.of(), Optional.empty());
                }
            }
        } catch (DomainException.InvalidArgument | DomainException.FailedPrecondition | DomainException.AlreadyExists e) {
            return directoryPage(call, visit, summary, HttpStatus.CONFLICT, Optional.empty(), Optional.of(e.getMessage()),
                    List.of(), Optional.empty());
        }
    }

    private HttpResponse directoryPage(Call call, Visit visit, AdminPortal.DirectorySummary summary, HttpStatus status,
                                       Optional<String> notice, Optional<String> error, List<Map<String, Object>> events,
                                       Optional<String> newToken) {
        java.time.Instant now = clock.instant();
        List<PortalDirectoryPage.TokenRow> tokens = summary.tokens().stream()
                .map(t -> new PortalDirectoryPage.TokenRow(t.id(), t.suffix(), t.createTime().toString(),
                        t.expireTime().map(Object::toString).orElse(""), t.isValidAt(now)))
                .toList();
        var directory = summary.directory();
        PortalDirectoryPage page = new PortalDirectoryPage(
                frame(call, visit, portal.organization(visit.session()), events, notice, error), directory.id(),
                directory.provider() == DirectoryProvider.GENERIC ? "SCIM 2.0" : directory.provider().displayName(),
                directory.enabled(), directory.scimEndpoint(call.environment().issuerUrl()), summary.users(),
                summary.groups(), tokens, newToken);
        return render(call, status, "portal/directory.jte", page);
    }

    private static List<Map<String, Object>> directoryEvents(String notice, AdminPortal.DirectorySummary summary) {
        var directory = summary.directory();
        if (!(notice.equals("directory_enable") && directory.enabled())
                && !(notice.equals("directory_disable") && !directory.enabled())) {
            return List.of();
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("directory_type", directory.type().name());
        data.put("id", directory.id());
        data.put("provider", directory.provider().name());
        data.put("enabled", directory.enabled());
        return List.of(event(directory.enabled() ? "ORGANIZATION_DIRECTORY_ENABLED" : "ORGANIZATION_DIRECTORY_DISABLED",
                "directory", directory.organizationId(), "SCIM Provisioning " + (directory.enabled() ? "enabled"
                        : "disabled") + " successfully", data));
    }

    // ---- the common parts

    private static Map<String, Object> event(String type, String object, String organizationId, String message,
                                             Map<String, Object> data) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("event_type", type);
        event.put("object", object);
        event.put("organization_id", organizationId);
        event.put("message", message);
        event.put("data", data);
        return event;
    }

    private PortalFrame frame(Call call, Visit visit, Organization organization, List<Map<String, Object>> events,
                              Optional<String> notice, Optional<String> error) {
        PageChrome chrome = hosted.chrome(call);
        PortalSession session = visit.session();
        return new PortalFrame(PageChrome.of("Admin portal", chrome.brandName(), chrome.logoUrl(), chrome.primaryColor(),
                chrome.backgroundColor()), base(session.linkId()), organization.displayName(), organization.id(),
                session.allows(OrganizationFeature.SSO), session.allows(OrganizationFeature.DIRECTORY_SYNC),
                PortalLinkService.csrfToken(visit.cookie(), session.id()), session.expireTime().toString(),
                Json.value(eventOrigins(call.environment().id())), Json.value(events), notice, error);
    }

    private static Optional<String> notice(Call call) {
        return Optional.ofNullable(NOTICES.get(call.parameters().get("notice", "")));
    }

    private HttpResponse render(Call call, HttpStatus status, String template, Object page) {
        return Pages.respondFramable(status, pages.render(template, Map.of("page", page)), PortalScript.SOURCE,
                frameAncestors(call.environment().id()), ResponseHeaders.of(status));
    }

    private HttpResponse error(Call call, HttpStatus status, String heading, String message) {
        PageChrome chrome = hosted.chrome(call);
        String html = pages.render("error.jte", Map.of("chrome", PageChrome.of(heading, chrome.brandName(),
                chrome.logoUrl(), chrome.primaryColor(), chrome.backgroundColor()), "heading", heading, "message", message));
        return Pages.respondFramable(status, html, "'none'", frameAncestors(call.environment().id()),
                ResponseHeaders.of(status));
    }

    private static HttpResponse seeOther(Call call, Visit visit, String path) {
        return HttpResponse.of(ResponseHeaders.builder(HttpStatus.SEE_OTHER)
                .add("location", call.base() + base(visit.session().linkId()) + path)
                .add("cache-control", "no-store").build());
    }

    private static String base(String linkId) {
        return PortalLinkService.PATH_PREFIX + linkId;
    }

    private static Optional<String> field(Call call, String name) {
        String value = call.parameters().get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    /** CSP {@code frame-ancestors}: the portal itself and the origins of the environment's redirect URIs. */
    String frameAncestors(String environmentId) {
        Set<String> sources = new LinkedHashSet<>();
        sources.add("'self'");
        for (String uri : redirectUris.apply(environmentId)) {
            origin(uri).filter(o -> ORIGIN.matcher(o).matches() || WILDCARD_ORIGIN.matcher(o).matches())
                    .ifPresent(sources::add);
        }
        return String.join(" ", sources);
    }

    /** The origins the browser events go to (wildcard origins cannot be a postMessage target). */
    private List<String> eventOrigins(String environmentId) {
        Set<String> origins = new LinkedHashSet<>();
        for (String uri : redirectUris.apply(environmentId)) {
            origin(uri).filter(o -> ORIGIN.matcher(o).matches()).ifPresent(origins::add);
        }
        return List.copyOf(origins);
    }

    /** {@code scheme://host[:port]} of an http(s) URI (lower-cased scheme and host), or empty. */
    static Optional<String> origin(String uri) {
        int schemeEnd = uri.indexOf("://");
        if (schemeEnd <= 0) {
            return Optional.empty();
        }
        String scheme = uri.substring(0, schemeEnd).toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.empty();
        }
        String rest = uri.substring(schemeEnd + 3);
        int end = rest.length();
        for (char stop : new char[] {'/', '?', '#'}) {
            int at = rest.indexOf(stop);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        String authority = rest.substring(0, end).toLowerCase(java.util.Locale.ROOT);
        if (authority.isEmpty() || authority.contains("@")) {
            return Optional.empty();
        }
        String defaultPort = scheme.equals("https") ? ":443" : ":80";
        if (authority.endsWith(defaultPort)) {
            authority = authority.substring(0, authority.length() - defaultPort.length());
        }
        return Optional.of(scheme + "://" + authority);
    }
}
