package dev.gatehouse.http.oauth;

import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.gatehouse.core.login.LoginOutcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.util.AttributeKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The server-side latency of {@code /oauth/authorize}: from the request's first byte to the answer's last byte
 * (Armeria's request log, so the wait for a blocking thread is included), in the timer {@code gatehouse.oauth.authorize}
 * tagged by what the answer was ({@link Result}). Prometheus shows it as {@code gatehouse_oauth_authorize_seconds_bucket}
 * with fixed buckets ({@link #BUCKETS}: 0.1 ms apart up to 1 ms, 0.25 ms apart up to 6 ms), so a benchmark reads the
 * p99 of exactly its own window from two scrapes, to within one bucket (bench/routing-bench.sh, D-RB1).
 */
public final class AuthorizeLatency {
    public static final String TIMER = "gatehouse.oauth.authorize";
    static final List<Duration> BUCKETS = buckets();
    private static final AttributeKey<Result> RESULT = AttributeKey.valueOf(AuthorizeLatency.class, "result");

    /** What an authorize request was answered with. */
    public enum Result {
        /** Off to an identity provider (an enterprise connection or a social provider): the routed sign-in. */
        IDENTITY_PROVIDER,
        /** The hosted login's first page. */
        HOSTED_LOGIN,
        /** Straight back to the app: a code (a live session) or an error redirect. */
        APP_REDIRECT,
        /** An error page (unknown client or redirect URI, unknown host, bad method). */
        ERROR_PAGE;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Result of(LoginOutcome outcome) {
            return switch (outcome) {
                case LoginOutcome.ToIdentityProvider ignored -> IDENTITY_PROVIDER;
                case LoginOutcome.ShowStep ignored -> HOSTED_LOGIN;
                case LoginOutcome.Redirect ignored -> APP_REDIRECT;
                case LoginOutcome.ConnectionTested ignored -> APP_REDIRECT;
                case LoginOutcome.Invalid ignored -> ERROR_PAGE;
                case LoginOutcome.Throttled ignored -> ERROR_PAGE;
            };
        }
    }

    private final Map<Result, Timer> timers = new EnumMap<>(Result.class);

    public AuthorizeLatency(MeterRegistry meters) {
        for (Result result : Result.values()) {
            timers.put(result, Timer.builder(TIMER)
                    .description("Server-side duration of /oauth/authorize requests, by what they were answered with")
                    .tag("result", result.tag())
                    .serviceLevelObjectives(BUCKETS.toArray(Duration[]::new))
                    .register(meters));
        }
    }

    /** {@code service}, each request timed once its answer is sent; untagged requests count as {@link Result#ERROR_PAGE}. */
    HttpService timed(HttpService service) {
        return (ctx, req) -> {
            ctx.log().whenComplete().thenAccept(log -> {
                Result result = ctx.attr(RESULT);
                timers.get(result == null ? Result.ERROR_PAGE : result).record(log.totalDurationNanos(), TimeUnit.NANOSECONDS);
            });
            return service.serve(ctx, req);
        };
    }

    /** Tags this request's measurement. */
    static void answered(ServiceRequestContext ctx, Result result) {
        ctx.setAttr(RESULT, result);
    }

    private static List<Duration> buckets() {
        List<Duration> buckets = new ArrayList<>();
        for (int tenths = 1; tenths <= 10; tenths++) {
            buckets.add(Duration.ofNanos(100_000L * tenths));
        }
        for (int quarters = 5; quarters <= 24; quarters++) {
            buckets.add(Duration.ofNanos(250_000L * quarters));
        }
        for (long ms : new long[] {7, 8, 9, 10, 15, 20, 30, 50, 100, 250, 500, 1000, 2500, 10_000}) {
            buckets.add(Duration.ofMillis(ms));
        }
        return List.copyOf(buckets);
    }
}
