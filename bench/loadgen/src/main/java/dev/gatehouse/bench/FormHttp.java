package dev.gatehouse.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The few HTTP calls a browser and an OAuth client make, over HTTP/1.1 with kept-alive connections, never following
 * redirects. Each calling thread has its own blocking connection (a closed-loop worker has one request in flight,
 * like a wrk connection), so a request costs the load generator two system calls and a little parsing: far less CPU
 * than an asynchronous client, which on a 2-core machine the server would otherwise lose (D-BL1). One instance per
 * server; it is thread-safe.
 */
final class FormHttp implements AutoCloseable {
    private static final int TIMEOUT_MILLIS = 10_000;
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

    /** An answer: status, header lines in order (names lower-cased), body. */
    record Answer(int status, List<String[]> headers, byte[] body) {
        Optional<String> header(String name) {
            for (String[] header : headers) {
                if (header[0].equals(name)) {
                    return Optional.of(header[1]);
                }
            }
            return Optional.empty();
        }

        List<String> headers(String name) {
            List<String> values = new ArrayList<>();
            for (String[] header : headers) {
                if (header[0].equals(name)) {
                    values.add(header[1]);
                }
            }
            return values;
        }

        String bodyUtf8() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final String host;
    private final int port;
    private final String hostHeader;
    private final String pathPrefix;
    private final ThreadLocal<Connection> connections = new ThreadLocal<>();
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();

    /** {@code url}: an http URL on loopback; its path (if any) prefixes every path given to the methods. */
    FormHttp(String url) {
        URI uri = URI.create(url);
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("an http:// URL is needed: " + url);
        }
        this.host = uri.getHost();
        this.port = uri.getPort() == -1 ? 80 : uri.getPort();
        this.hostHeader = uri.getPort() == -1 ? host : host + ":" + port;
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        this.pathPrefix = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    Answer get(String pathAndQuery, Optional<String> cookie) {
        StringBuilder head = requestHead("GET", pathPrefix + pathAndQuery, cookie);
        return exchange(head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8), null);
    }

    Answer postForm(String path, String form, Optional<String> cookie) {
        byte[] body = form.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = requestHead("POST", pathPrefix + path, cookie)
                .append("Content-Type: application/x-www-form-urlencoded\r\nAccept: application/json\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n\r\n");
        return exchange(head.toString().getBytes(StandardCharsets.UTF_8), body);
    }

    private StringBuilder requestHead(String method, String target, Optional<String> cookie) {
        StringBuilder head = new StringBuilder(256 + target.length()).append(method).append(' ').append(target)
                .append(" HTTP/1.1\r\nHost: ").append(hostHeader).append("\r\n");
        cookie.ifPresent(value -> head.append("Cookie: ").append(value).append("\r\n"));
        return head;
    }

    /**
     * Sends the request on this thread's connection and reads the answer. A kept-alive connection the server closed
     * meanwhile fails before any answer byte arrives; the request is then sent once more on a new connection.
     */
    private Answer exchange(byte[] head, byte[] body) {
        Connection reused = connections.get();
        if (reused != null) {
            try {
                return reused.exchange(head, body);
            } catch (StaleConnection e) {
                forget(reused);
            } catch (IOException e) {
                forget(reused);
                throw new UncheckedIOException(e);
            }
        }
        Connection fresh;
        try {
            fresh = new Connection(host, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + hostHeader, e);
        }
        open.add(fresh);
        connections.set(fresh);
        try {
            return fresh.exchange(head, body);
        } catch (IOException e) {
            forget(fresh);
            throw new UncheckedIOException(e);
        }
    }

    private void forget(Connection connection) {
        connections.remove();
        open.remove(connection);
        connection.close();
    }

    /** {@code name=value&…}, URL-encoded; pairs of arguments. */
    static String form(String... namesAndValues) {
        StringJoiner joined = new StringJoiner("&");
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            joined.add(encode(namesAndValues[i]) + "=" + encode(namesAndValues[i + 1]));
        }
        return joined.toString();
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The value of a cookie set by the response, if it sets one of that name. */
    static Optional<String> setCookie(Answer response, String name) {
        for (String header : response.headers("set-cookie")) {
            int semicolon = header.indexOf(';');
            String pair = semicolon < 0 ? header : header.substring(0, semicolon);
            if (pair.startsWith(name + "=")) {
                return Optional.of(pair.substring(name.length() + 1));
            }
        }
        return Optional.empty();
    }

    /** A query parameter of a URL (first occurrence), decoded. */
    static Optional<String> queryParameter(String url, String name) {
        int question = url.indexOf('?');
        if (question < 0) {
            return Optional.empty();
        }
        for (String pair : url.substring(question + 1).split("&")) {
            if (pair.startsWith(name + "=")) {
                return Optional.of(URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        open.forEach(Connection::close);
        open.clear();
    }

    /** The server closed a kept-alive connection before answering: safe to send the request again. */
    private static final class StaleConnection extends IOException {
        StaleConnection(String message) {
            super(message);
        }
    }

    /** One blocking HTTP/1.1 connection: a request, then its whole answer (Content-Length or chunked). */
    private static final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final StringBuilder line = new StringBuilder(128);

        Connection(String host, int port) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = socket.getOutputStream();
        }

        Answer exchange(byte[] head, byte[] body) throws IOException {
            try {
                if (body == null) {
                    out.write(head);
                } else {
                    byte[] request = new byte[head.length + body.length];
                    System.arraycopy(head, 0, request, 0, head.length);
                    System.arraycopy(body, 0, request, head.length, body.length);
                    out.write(request);
                }
                out.flush();
            } catch (IOException e) {
                throw new StaleConnection("connection closed by the server: " + e.getMessage());
            }
            int first = in.read();
            if (first < 0) {
                throw new StaleConnection("connection closed by the server");
            }
            String statusLine = readLine(first);
            if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
                throw new IOException("not an HTTP/1.x status line: " + statusLine);
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            List<String[]> headers = new ArrayList<>();
            int headerBytes = 0;
            long contentLength = -1;
            boolean chunked = false;
            boolean close = false;
            for (String header = readLine(in.read()); !header.isEmpty(); header = readLine(in.read())) {
                headerBytes += header.length();
                if (headerBytes > MAX_HEADER_BYTES) {
                    throw new IOException("answer headers over " + MAX_HEADER_BYTES + " bytes");
                }
                int colon = header.indexOf(':');
                if (colon <= 0) {
                    throw new IOException("malformed header line: " + header);
                }
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                headers.add(new String[] {name, value});
                switch (name) {
                    case "content-length" -> contentLength = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> close = value.equalsIgnoreCase("close");
                    default -> { }
                }
            }
            byte[] content;
            if (chunked) {
                content = readChunked();
            } else if (contentLength >= 0) {
                content = readExactly(contentLength);
            } else if (status == 204 || status == 304 || (status >= 100 && status < 200)) {
                content = new byte[0];
            } else {
                content = in.readNBytes(MAX_BODY_BYTES);
                close = true;
            }
            if (close) {
                socket.close();
            }
            return new Answer(status, headers, content);
        }

        private byte[] readExactly(long length) throws IOException {
            if (length > MAX_BODY_BYTES) {
                throw new IOException("answer body of " + length + " bytes");
            }
            byte[] content = in.readNBytes((int) length);
            if (content.length != length) {
                throw new IOException("connection closed after " + content.length + " of " + length + " body bytes");
            }
            return content;
        }

        private byte[] readChunked() throws IOException {
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            while (true) {
                String size = readLine(in.read());
                int semicolon = size.indexOf(';');
                long length = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (length == 0) {
                    while (!readLine(in.read()).isEmpty()) { } // trailers
                    return content.toByteArray();
                }
                if (content.size() + length > MAX_BODY_BYTES) {
                    throw new IOException("chunked answer body over " + MAX_BODY_BYTES + " bytes");
                }
                content.write(readExactly(length));
                readLine(in.read());
            }
        }

        /** A line without its CRLF, starting with the byte already read. */
        private String readLine(int first) throws IOException {
            line.setLength(0);
            int b = first;
            while (b != '\n') {
                if (b < 0) {
                    throw new IOException("connection closed in the middle of an answer");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
                if (line.length() > MAX_HEADER_BYTES) {
                    throw new IOException("answer line over " + MAX_HEADER_BYTES + " bytes");
                }
                b = in.read();
            }
            return line.toString();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a loopback connection at the end of a run: nothing to do about a failure
            }
        }
    }
}
