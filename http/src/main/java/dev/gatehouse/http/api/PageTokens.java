package dev.gatehouse.http.api;

import dev.gatehouse.core.shared.PageCursor;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The opaque {@code page_token} of list responses. Inside is a direction and an anchor ID; to
 * clients it is a base64url string that they hand back unchanged.
 */
public final class PageTokens {
    private static final String VERSION = "p1";
    private static final Pattern ANCHOR = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int MAX_TOKEN_LENGTH = 256;

    private PageTokens() {}

    public static String encode(Optional<PageCursor> cursor) {
        return cursor.map(c -> {
            String raw = VERSION + (c.direction() == PageCursor.Direction.FORWARD ? ">" : "<") + c.anchorId();
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }).orElse("");
    }

    /** Decodes a token; an empty token means the first page. Throws INVALID_ARGUMENT for anything else. */
    public static Optional<PageCursor> decode(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw invalid();
        }
        String raw;
        try {
            raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (raw.length() < VERSION.length() + 2 || !raw.startsWith(VERSION)) {
            throw invalid();
        }
        char direction = raw.charAt(VERSION.length());
        String anchor = raw.substring(VERSION.length() + 1);
        if (!ANCHOR.matcher(anchor).matches() || (direction != '>' && direction != '<')) {
            throw invalid();
        }
        return Optional.of(direction == '>' ? PageCursor.after(anchor) : PageCursor.before(anchor));
    }

    /**
     * The page a request asks for with a uint32 {@code page_size} (0 means {@code defaultSize}; above
     * {@code maxSize} is INVALID_ARGUMENT, as the search RPCs' {@code lte} rules say) and its page token.
     */
    public static dev.gatehouse.core.shared.PageRequest pageRequest(int pageSize, String pageToken, int defaultSize, int maxSize) {
        long requested = Integer.toUnsignedLong(pageSize);
        if (requested > maxSize) {
            throw RpcErrors.invalidArgument("page_size", "page_size must be at most " + maxSize, "uint32.lte");
        }
        return new dev.gatehouse.core.shared.PageRequest(requested == 0 ? defaultSize : (int) requested, decode(pageToken));
    }

    /** A page's {@code total_size} for the wire's uint32 field, capped rather than wrapped. */
    public static int totalSize(dev.gatehouse.core.shared.Page<?> page) {
        return (int) Math.min(page.totalSize(), Integer.MAX_VALUE);
    }

    private static io.grpc.StatusRuntimeException invalid() {
        return RpcErrors.invalidArgument("page_token", "Invalid page token", "page_token");
    }
}
