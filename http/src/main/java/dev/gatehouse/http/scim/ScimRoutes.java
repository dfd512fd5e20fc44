package dev.gatehouse.http.scim;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.util.Exceptions;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.gatehouse.core.audit.AuditRecord;
import dev.gatehouse.core.audit.AuditTrail;
import dev.gatehouse.core.directory.Directory;
import dev.gatehouse.core.directory.DirectoryService;
import dev.gatehouse.scim.ScimEndpoint;
import dev.gatehouse.scim.ScimProblem;
import dev.gatehouse.scim.ScimRequest;
import dev.gatehouse.scim.ScimResponse;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Binds {@code /directory/{directory_id}/scim/v2/*} to the framework-free {@link ScimEndpoint}. The event loop only
 * aggregates the body; the bearer-token check and the SCIM work run on the blocking executor. A token reaches the
 * directory it was issued for only; any refusal is the same 401, whether or not the directory exists,
 * and is audited ({@code scim.auth.rejected}, in the directory's environment when it exists).
 */
public final class ScimRoutes {
    /** Largest SCIM request body accepted; larger ones get a SCIM 413 (docs/DECISIONS.md D-S8). */
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    private static final Pattern PATH = Pattern.compile("^/directory/([A-Za-z0-9_]{1,64})/scim/v2(/.*)?$");

    private final DirectoryService directories;
    private final ScimEndpoint endpoint;
    private final AuditTrail audit;
    private final Clock clock;

    public ScimRoutes(DirectoryService directories, ScimEndpoint endpoint, AuditTrail audit, Clock clock) {
        this.directories = directories;
        this.endpoint = endpoint;
        this.audit = audit;
        this.clock = clock;
    }

    public void bind(ServerBuilder server) {
        server.route().pathPrefix("/directory/").maxRequestLength(MAX_BODY_BYTES).build(service());
    }

    private HttpService service() {
        return (ctx, req) -> {
            Matcher matcher = PATH.matcher(ctx.decodedPath());
            if (!matcher.matches()) {
                return toArmeria(ScimProblem.notFound("no such SCIM endpoint").toResponse());
            }
            String directoryId = matcher.group(1);
            String rest = matcher.group(2) == null ? "/" : matcher.group(2);
            return HttpResponse.of(req.aggregate().handleAsync((aggregated, failure) -> {
                if (failure != null) {
                    Throwable cause = Exceptions.peel(failure);
                    if (cause instanceof ContentTooLargeException) {
                        return toArmeria(new ScimProblem(413, null,
                                "the request body is larger than " + MAX_BODY_BYTES + " bytes").toResponse());
                    }
                    return toArmeria(ScimProblem.badRequest("invalidSyntax", "the request could not be read").toResponse());
                }
                return handle(ctx, aggregated, directoryId, rest);
            }, ctx.blockingTaskExecutor()));
        };
    }

    private HttpResponse handle(ServiceRequestContext ctx, AggregatedHttpRequest request, String directoryId, String rest) {
        Optional<String> token = bearer(request.headers().get("authorization"));
        Optional<Directory> directory = token.flatMap(t -> directories.authenticateScim(directoryId, t));
        if (directory.isEmpty()) {
            auditRefusal(ctx, request, directoryId, token.isPresent());
            return toArmeria(new ScimProblem(401, null, "a valid bearer token of this directory is required").toResponse());
        }
        String authority = request.authority() != null ? request.authority() : "localhost";
        String scheme = ctx.sessionProtocol().isTls() ? "https" : "http";
        String baseUrl = scheme + "://" + authority + "/directory/" + directoryId + "/scim/v2";
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (ctx.query() != null) {
            QueryParams params = QueryParams.fromQueryString(ctx.query());
            for (String name : params.names()) {
                query.put(name, new ArrayList<>(params.getAll(name)));
            }
        }
        ScimRequest scim = new ScimRequest(request.method().name(), rest, query, request.contentUtf8(), baseUrl,
                remoteAddress(ctx));
        return toArmeria(endpoint.handle(directory.get(), scim));
    }

    private void auditRefusal(ServiceRequestContext ctx, AggregatedHttpRequest request, String directoryId,
                              boolean tokenPresented) {
        Optional<Directory> named = directories.findForAudit(directoryId);
        String code = !tokenPresented ? "missing_token" : named.isEmpty() ? "unknown_directory" : "invalid_token";
        String reason = switch (code) {
            case "missing_token" -> "no bearer token";
            case "unknown_directory" -> "no such directory";
            default -> "the token is not a valid token of this directory";
        };
        Optional<String> remote = remoteAddress(ctx);
        audit.append(new AuditRecord(clock.instant(), named.map(Directory::environmentId),
                named.map(Directory::organizationId), "scim.auth.rejected", AuditRecord.Outcome.FAILURE, Optional.empty(),
                Optional.of(reason), remote, Map.of("directory_id", directoryId, "method", request.method().name()))
                .withReasonCode(code).withTarget(directoryId));
    }

    private static Optional<String> remoteAddress(ServiceRequestContext ctx) {
        return ctx.remoteAddress() instanceof InetSocketAddress a ? Optional.of(a.getAddress().getHostAddress()) : Optional.empty();
    }

    /** A SCIM error for failures the server raises itself (oversized body, unreadable request line). */
    public static HttpResponse error(int status, String message) {
        String detail = status == 413 ? "the request body is larger than " + MAX_BODY_BYTES + " bytes" : message;
        return toArmeria(new ScimProblem(status, status == 400 ? "invalidSyntax" : null, detail).toResponse());
    }

    private static Optional<String> bearer(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String trimmed = header.strip();
        if (trimmed.length() < 8 || !trimmed.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return Optional.empty();
        }
        String token = trimmed.substring(7).strip();
        return token.isEmpty() || token.length() > 512 ? Optional.empty() : Optional.of(token);
    }

    private static HttpResponse toArmeria(ScimResponse response) {
        var headers = ResponseHeaders.builder(HttpStatus.valueOf(response.status()));
        response.headers().forEach(headers::set);
        if (response.body().isEmpty()) {
            return HttpResponse.of(headers.build());
        }
        headers.contentType(MediaType.parse(ScimResponse.CONTENT_TYPE));
        return HttpResponse.of(headers.build(), HttpData.ofUtf8(response.body()));
    }
}
