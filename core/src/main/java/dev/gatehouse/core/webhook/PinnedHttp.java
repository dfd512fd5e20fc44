package dev.gatehouse.core.webhook;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * HTTP/1.1 to URLs that admins give Gatehouse (webhook endpoints, IdP metadata, OIDC discovery, JWKS, token and
 * userinfo endpoints), without a second DNS lookup: the URL is checked by the {@link DestinationPolicy}, which
 * resolves the host once, and the socket connects to one of the addresses that check accepted. The request still
 * names the host: the {@code Host} header, TLS SNI and the certificate's host-name check all use the URL's host, so
 * virtual hosting and certificate validation work as with any client. One request per connection
 * ({@code Connection: close}), no redirects (the caller decides whether to follow one, checking it again), a
 * deadline for the whole exchange, and at most {@code maxBodyBytes} of the answer read.
 */
public final class PinnedHttp {
    private static final int MAX_HEAD_BYTES = 64 * 1024;

    /** One request; header names and values must not contain CR or LF. */
    public record Request(String method, URI uri, Map<String, String> headers, byte[] body) {
        public Request {
            Objects.requireNonNull(method);
            Objects.requireNonNull(uri);
            headers = Map.copyOf(headers);
            body = body == null ? new byte[0] : body;
        }

        public static Request get(URI uri, Map<String, String> headers) {
            return new Request("GET", uri, headers, new byte[0]);
        }
    }

    /** The answer: header names in lower case; {@code truncated} when the body was longer than the limit. */
    public record Response(int status, Map<String, List<String>> headers, byte[] body, boolean truncated) {
        public Response {
            headers = Map.copyOf(headers);
        }

        public Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** The policy refused the URL; nothing was sent. The message is the policy's reason, safe to show and audit. */
    public static final class RefusedDestinationException extends IOException {
        public RefusedDestinationException(String reason) {
            super(reason);
        }
    }

    private final DestinationPolicy policy;
    private final SSLContext tls;
    private final Duration connectTimeout;

    /** With the JVM's default trust store. */
    public PinnedHttp(DestinationPolicy policy, Duration connectTimeout) {
        this(policy, defaultTls(), connectTimeout);
    }

    public PinnedHttp(DestinationPolicy policy, SSLContext tls, Duration connectTimeout) {
        this.policy = policy;
        this.tls = tls;
        this.connectTimeout = connectTimeout;
    }

    private static SSLContext defaultTls() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context", e);
        }
    }

    public DestinationPolicy policy() {
        return policy;
    }

    /** Checks {@code request.uri()} with the policy, then sends the request to an address the check accepted. */
    public Response send(Request request, Duration timeout, int maxBodyBytes) throws IOException {
        return switch (policy.check(request.uri().toString())) {
            case DestinationCheck.Refused refused -> throw new RefusedDestinationException(refused.reason());
            case DestinationCheck.Allowed allowed -> send(allowed.destination(), request, timeout, maxBodyBytes);
        };
    }

    /**
     * Sends {@code request} to {@code destination}'s addresses (tried in order; the first that accepts the connection
     * is used); {@code destination} is the result of a check of {@code request.uri()}.
     */
    public Response send(ResolvedDestination destination, Request request, Duration timeout, int maxBodyBytes)
            throws IOException {
        byte[] head = head(destination, request);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket socket = connect(destination, deadline)) {
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            out.write(head);
            out.write(request.body());
            out.flush();
            ResponseReader reader = new ResponseReader(new DeadlineInput(socket, deadline));
            return reader.read(request.method().equals("HEAD"), maxBodyBytes);
        }
    }

    private Socket connect(ResolvedDestination destination, long deadline) throws IOException {
        IOException last = null;
        for (InetAddress address : destination.addresses()) {
            Socket plain = new Socket();
            try {
                int connectMillis = (int) Math.min(connectTimeout.toMillis(), remainingMillis(deadline));
                plain.connect(new InetSocketAddress(address, destination.port()), connectMillis);
                plain.setTcpNoDelay(true);
                if (!destination.tls()) {
                    return plain;
                }
                plain.setSoTimeout(remainingMillis(deadline));
                SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(plain, destination.host(),
                        destination.port(), true);
                SSLParameters parameters = secure.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                if (!destination.hostIsAddress()) {
                    parameters.setServerNames(List.of(new SNIHostName(destination.host())));
                }
                secure.setSSLParameters(parameters);
                secure.startHandshake();
                return secure;
            } catch (IOException e) {
                plain.close();
                last = e;
                if (e instanceof SocketTimeoutException && remainingMillisOrZero(deadline) == 0) {
                    break;
                }
            }
        }
        throw last;
    }

    private static byte[] head(ResolvedDestination destination, Request request) {
        URI uri = request.uri();
        String target = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        boolean defaultPort = destination.port() == (destination.tls() ? 443 : 80);
        String hostHeader = (destination.host().indexOf(':') >= 0 ? "[" + destination.host() + "]" : destination.host())
                + (defaultPort ? "" : ":" + destination.port());
        StringBuilder head = new StringBuilder(256)
                .append(token(request.method())).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(hostHeader).append("\r\n")
                .append("Connection: close\r\n");
        boolean hasBody = request.body().length > 0 || !(request.method().equals("GET") || request.method().equals("HEAD"));
        if (hasBody) {
            head.append("Content-Length: ").append(request.body().length).append("\r\n");
        }
        for (var header : request.headers().entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("host") || name.equals("connection") || name.equals("content-length")
                    || name.equals("transfer-encoding")) {
                continue; // set above
            }
            head.append(token(header.getKey())).append(": ").append(fieldValue(header.getValue())).append("\r\n");
        }
        head.append("\r\n");
        return head.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String token(String value) {
        if (value.isEmpty() || !value.chars().allMatch(c -> c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
            throw new IllegalArgumentException("not an HTTP token: " + value);
        }
        return value;
    }

    private static String fieldValue(String value) {
        if (!value.chars().allMatch(c -> c == '\t' || (c >= 32 && c < 127) || (c >= 128 && c < 256))) {
            throw new IllegalArgumentException("an HTTP header value must not contain control characters");
        }
        return value;
    }

    private static int remainingMillis(long deadline) throws SocketTimeoutException {
        int remaining = remainingMillisOrZero(deadline);
        if (remaining == 0) {
            throw new SocketTimeoutException("no answer within the timeout");
        }
        return remaining;
    }

    private static int remainingMillisOrZero(long deadline) {
        long nanos = deadline - System.nanoTime();
        return nanos <= 0 ? 0 : (int) Math.max(1, Math.min(Integer.MAX_VALUE, nanos / 1_000_000));
    }

    /** The socket's input with the exchange's deadline applied to every read. */
    private static final class DeadlineInput extends InputStream {
        private final Socket socket;
        private final InputStream in;
        private final long deadline;
        private final byte[] buffer = new byte[8192];
        private int position;
        private int limit;

        DeadlineInput(Socket socket, long deadline) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.deadline = deadline;
        }

        private boolean fill() throws IOException {
            if (position < limit) {
                return true;
            }
            socket.setSoTimeout(remainingMillis(deadline));
            int n = in.read(buffer);
            if (n <= 0) {
                return false;
            }
            position = 0;
            limit = n;
            return true;
        }

        @Override
        public int read() throws IOException {
            return fill() ? buffer[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(length, limit - position);
            System.arraycopy(buffer, position, into, offset, n);
            position += n;
            return n;
        }
    }

    /** Parses an HTTP/1.x answer: status line, headers, then a body by chunks, by length, or up to the end. */
    private static final class ResponseReader {
        private final InputStream in;
        private int headBytes;

        ResponseReader(InputStream in) {
            this.in = in;
        }

        Response read(boolean head, int maxBodyBytes) throws IOException {
            int status;
            Map<String, List<String>> headers;
            do { // 1xx answers (100 Continue) come before the real one
                status = statusLine(line());
                headers = headers();
            } while (status >= 100 && status < 200);
            if (head || status == 204 || status == 304) {
                return new Response(status, headers, new byte[0], false);
            }
            BodySink body = new BodySink(maxBodyBytes);
            List<String> encoding = headers.getOrDefault("transfer-encoding", List.of());
            List<String> length = headers.getOrDefault("content-length", List.of());
            if (!encoding.isEmpty()) {
                if (!encoding.getLast().toLowerCase(Locale.ROOT).strip().endsWith("chunked")) {
                    readToEnd(body); // not chunked last: the body ends with the connection (RFC 9112 §6.3)
                } else {
                    readChunks(body);
                }
            } else if (!length.isEmpty()) {
                long declared = contentLength(length);
                readExactly(body, declared);
            } else {
                readToEnd(body);
            }
            return new Response(status, headers, body.bytes(), body.truncated);
        }

        private String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream(64);
            int c;
            while ((c = in.read()) != -1) {
                if (++headBytes > MAX_HEAD_BYTES) {
                    throw new IOException("the answer's head is larger than " + MAX_HEAD_BYTES + " bytes");
                }
                if (c == '\n') {
                    byte[] bytes = line.toByteArray();
                    int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
                }
                line.write(c);
            }
            throw new IOException("the connection closed before the answer was complete");
        }

        private static int statusLine(String line) throws IOException {
            // HTTP/1.1 200 OK
            if (!line.startsWith("HTTP/1.") || line.length() < 12 || line.charAt(8) != ' ') {
                throw new IOException("not an HTTP/1.x answer");
            }
            try {
                int status = Integer.parseInt(line.substring(9, 12));
                if (status < 100 || status > 999 || (line.length() > 12 && line.charAt(12) != ' ')) {
                    throw new IOException("not an HTTP/1.x status line");
                }
                return status;
            } catch (NumberFormatException e) {
                throw new IOException("not an HTTP/1.x status line");
            }
        }

        private Map<String, List<String>> headers() throws IOException {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            String line;
            while (!(line = line()).isEmpty()) {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new IOException("malformed header line in the answer");
                }
                headers.computeIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(line.substring(colon + 1).strip());
            }
            headers.replaceAll((name, values) -> List.copyOf(values));
            return headers;
        }

        private static long contentLength(List<String> values) throws IOException {
            long length = -1;
            for (String value : values) {
                for (String part : value.split(",")) {
                    long parsed;
                    try {
                        parsed = Long.parseLong(part.strip());
                    } catch (NumberFormatException e) {
                        throw new IOException("invalid Content-Length in the answer");
                    }
                    if (parsed < 0 || (length != -1 && parsed != length)) {
                        throw new IOException("invalid Content-Length in the answer");
                    }
                    length = parsed;
                }
            }
            return length;
        }

        private void readExactly(BodySink body, long length) throws IOException {
            long left = length;
            byte[] chunk = new byte[8192];
            while (left > 0 && !body.full()) {
                int n = in.read(chunk, 0, (int) Math.min(chunk.length, left));
                if (n == -1) {
                    throw new IOException("the connection closed before the answer's body was complete");
                }
                body.write(chunk, n);
                left -= n;
            }
            body.truncated |= left > 0;
        }

        private void readToEnd(BodySink body) throws IOException {
            byte[] chunk = new byte[8192];
            int n;
            while (!body.full() && (n = in.read(chunk)) != -1) {
                body.write(chunk, n);
            }
            if (body.full() && in.read() != -1) {
                body.truncated = true;
            }
        }

        private void readChunks(BodySink body) throws IOException {
            while (true) {
                String sizeLine = line();
                int semicolon = sizeLine.indexOf(';');
                long size;
                try {
                    size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("invalid chunk size in the answer");
                }
                if (size < 0) {
                    throw new IOException("invalid chunk size in the answer");
                }
                if (size == 0) {
                    while (!line().isEmpty()) {
                        // trailers are read and dropped
                    }
                    return;
                }
                readExactly(body, size);
                if (body.truncated) {
                    return; // the rest is not read: the connection is closed
                }
                if (!line().isEmpty()) {
                    throw new IOException("a chunk of the answer does not end with CRLF");
                }
            }
        }
    }

    /** Keeps at most {@code limit} bytes; {@code truncated} once more was offered. */
    private static final class BodySink {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final int limit;
        boolean truncated;

        BodySink(int limit) {
            this.limit = limit;
        }

        boolean full() {
            return truncated || bytes.size() >= limit;
        }

        void write(byte[] chunk, int length) {
            int room = limit - bytes.size();
            bytes.write(chunk, 0, Math.min(room, length));
            truncated |= length > room;
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }
}
