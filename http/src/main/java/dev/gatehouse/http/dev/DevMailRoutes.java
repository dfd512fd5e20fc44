package dev.gatehouse.http.dev;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.environment.EnvironmentDirectory;
import dev.gatehouse.core.mail.DevMail;
import dev.gatehouse.core.mail.DevMailbox;
import dev.gatehouse.http.oauth.WireAdapter;
import dev.gatehouse.http.pages.PageChrome;
import dev.gatehouse.http.pages.Pages;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The dev mailbox: {@code GET /_dev/mail} (a page) and {@code GET /_dev/mail.json} (for scripts and tests), the
 * newest messages of one environment first: the one named by {@code environment_id}, else the one of the
 * request's host (as {@code /keys} picks it). {@code to} narrows to one recipient, {@code limit} (1–200, default 50).
 * Bound only when the dev mailbox is enabled; otherwise these paths do not exist (404).
 */
public final class DevMailRoutes {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DevMailbox mailbox;
    private final EnvironmentDirectory environments;
    private final Pages pages;

    public DevMailRoutes(DevMailbox mailbox, EnvironmentDirectory environments, Pages pages) {
        this.mailbox = mailbox;
        this.environments = environments;
        this.pages = pages;
    }

    public void bind(ServerBuilder server) {
        server.service("/_dev/mail", (ctx, req) -> HttpResponse.of(() -> page(ctx, req.authority()), ctx.blockingTaskExecutor()));
        server.service("/_dev/mail.json", (ctx, req) -> HttpResponse.of(() -> json(ctx, req.authority()),
                ctx.blockingTaskExecutor()));
    }

    private record Query(Environment environment, Optional<String> to, int limit) {}

    private Optional<Query> query(ServiceRequestContext ctx, String authority) {
        QueryParams params = ctx.queryParams();
        Optional<Environment> environment = Optional.ofNullable(params.get("environment_id"))
                .map(id -> environments.byId(id))
                .orElseGet(() -> environments.byAuthority(WireAdapter.authority(ctx, authority)));
        int limit;
        try {
            limit = Math.clamp(Integer.parseInt(params.get("limit", Integer.toString(DEFAULT_LIMIT))), 1, MAX_LIMIT);
        } catch (NumberFormatException e) {
            limit = DEFAULT_LIMIT;
        }
        int chosen = limit;
        return environment.map(e -> new Query(e, Optional.ofNullable(params.get("to")).filter(t -> !t.isBlank()), chosen));
    }

    private HttpResponse page(ServiceRequestContext ctx, String authority) {
        Optional<Query> query = query(ctx, authority);
        if (query.isEmpty()) {
            return pages.respond(HttpStatus.NOT_FOUND, "error.jte", Map.of("chrome", PageChrome.plain("Dev mailbox"),
                    "heading", "Dev mailbox", "message", "No such environment."));
        }
        Query q = query.get();
        List<DevMail> messages = mailbox.recent(q.environment().id(), q.to(), q.limit());
        return pages.respond(HttpStatus.OK, "devmail.jte", Map.of("chrome", PageChrome.plain("Dev mailbox"),
                "environmentId", q.environment().id(), "messages", messages));
    }

    private HttpResponse json(ServiceRequestContext ctx, String authority) {
        Optional<Query> query = query(ctx, authority);
        if (query.isEmpty()) {
            return HttpResponse.of(HttpStatus.NOT_FOUND, MediaType.JSON_UTF_8, "{\"error\":\"no such environment\"}");
        }
        Query q = query.get();
        ObjectNode root = JSON.createObjectNode();
        root.put("environment_id", q.environment().id());
        ArrayNode list = root.putArray("messages");
        for (DevMail m : mailbox.recent(q.environment().id(), q.to(), q.limit())) {
            ObjectNode node = list.addObject();
            node.put("id", m.id());
            node.put("time", m.time().toString());
            node.put("to", m.to());
            node.put("from", m.from());
            node.put("subject", m.subject());
            node.put("text", m.textBody());
            node.put("html", m.htmlBody().orElse(null));
        }
        return HttpResponse.builder().status(HttpStatus.OK).content(MediaType.JSON_UTF_8, root.toString())
                .header("cache-control", "no-store").build();
    }
}
