package dev.gatehouse.bench;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The few HTTP calls a browser and an OAuth client make, over HTTP/1.1 with kept-alive connections (one per request
 * in flight, like wrk), never following redirects. One instance per server; it is thread-safe.
 */
final class FormHttp implements AutoCloseable {
    private final ClientFactory factory;
    private final WebClient web;
    private final String pathPrefix;

    /** {@code url}: an http URL on loopback; its path (if any) prefixes every path given to the methods. */
    FormHttp(String url) {
        URI uri = URI.create(url);
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("an http:// URL is needed: " + url);
        }
        int port = uri.getPort() == -1 ? 80 : uri.getPort();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        this.pathPrefix = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.factory = ClientFactory.builder().maxNumEventLoopsPerEndpoint(2).build();
        this.web = WebClient.builder("h1c://" + uri.getHost() + ":" + port).factory(factory)
                .responseTimeout(Duration.ofSeconds(10)).build();
    }

    AggregatedHttpResponse get(String pathAndQuery, Optional<String> cookie) {
        RequestHeadersBuilder headers = RequestHeaders.builder(HttpMethod.GET, pathPrefix + pathAndQuery);
        cookie.ifPresent(value -> headers.add(HttpHeaderNames.COOKIE, value));
        return web.execute(headers.build()).aggregate().join();
    }

    AggregatedHttpResponse postForm(String path, String form, Optional<String> cookie) {
        RequestHeadersBuilder headers = RequestHeaders.builder(HttpMethod.POST, pathPrefix + path)
                .contentType(MediaType.FORM_DATA).add(HttpHeaderNames.ACCEPT, "application/json");
        cookie.ifPresent(value -> headers.add(HttpHeaderNames.COOKIE, value));
        return web.execute(HttpRequest.of(headers.build(), HttpData.ofUtf8(form))).aggregate().join();
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
    static Optional<String> setCookie(AggregatedHttpResponse response, String name) {
        for (String header : response.headers().getAll(HttpHeaderNames.SET_COOKIE)) {
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
        factory.close();
    }
}
