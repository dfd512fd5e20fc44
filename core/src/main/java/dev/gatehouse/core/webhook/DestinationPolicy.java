package dev.gatehouse.core.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where Gatehouse may send requests to URLs that admins give it (SSRF guard): webhooks, and IdP metadata URLs
 * of SAML connections ({@code dev.gatehouse.saml.metadata.HttpIdpMetadataFetcher}), each with its own instance.
 * By default: https only, and the host must resolve to public addresses only (no loopback, private, link-local,
 * CGNAT, unique-local, multicast or unspecified). With {@code allowPrivate} (dev settings
 * {@code GATEHOUSE_WEBHOOKS_ALLOW_PRIVATE=true}, {@code GATEHOUSE_SSO_ALLOW_PRIVATE_METADATA=true}) private
 * addresses are allowed and plain http is allowed to loopback hosts.
 *
 * <p>{@link #check} resolves the host once and returns the addresses it checked; {@link PinnedHttp} connects to
 * exactly those, so the check and the connection cannot see two different DNS answers (DNS rebinding).
 */
public final class DestinationPolicy {
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final boolean allowPrivate;
    private final Resolver resolver;

    public DestinationPolicy(boolean allowPrivate) {
        this(allowPrivate, InetAddress::getAllByName);
    }

    public DestinationPolicy(boolean allowPrivate, Resolver resolver) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    public boolean allowPrivate() {
        return allowPrivate;
    }

    /** Empty if {@code url} may receive requests now; otherwise why not (safe to show the caller). */
    public Optional<String> refusal(String url) {
        return check(url) instanceof DestinationCheck.Refused refused ? Optional.of(refused.reason()) : Optional.empty();
    }

    /**
     * Resolves {@code url}'s host once and checks every address; an allowed destination carries those addresses,
     * and a request made through {@link PinnedHttp} goes to one of them and nowhere else.
     */
    public DestinationCheck check(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return new DestinationCheck.Refused("url is not a valid URI");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost();
        if (!uri.isAbsolute() || host == null || host.isEmpty() || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            return new DestinationCheck.Refused("url must be an absolute http(s) URL with a host, without user info or fragment");
        }
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return new DestinationCheck.Refused("url must use https");
        }
        String bareHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(bareHost);
        } catch (UnknownHostException e) {
            return new DestinationCheck.Refused("url host does not resolve");
        }
        if (addresses == null || addresses.length == 0) {
            return new DestinationCheck.Refused("url host does not resolve");
        }
        boolean allLoopback = true;
        for (InetAddress address : addresses) {
            allLoopback &= address.isLoopbackAddress();
            if (!allowPrivate && isNonPublic(address)) {
                return new DestinationCheck.Refused("url resolves to a private, loopback or link-local address");
            }
        }
        if (scheme.equals("http") && !(allowPrivate && allLoopback)) {
            return new DestinationCheck.Refused("url must use https");
        }
        boolean tls = scheme.equals("https");
        int port = uri.getPort() != -1 ? uri.getPort() : tls ? 443 : 80;
        return new DestinationCheck.Allowed(new ResolvedDestination(uri, bareHost, port, tls, List.of(addresses)));
    }

    static boolean isNonPublic(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second < 128) // CGNAT 100.64/10
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0)     // 192.0.0/24
                    || (first == 198 && (second == 18 || second == 19))         // benchmarking
                    || first >= 240;                                             // reserved, broadcast
        }
        if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return true; // unique local fc00::/7
            }
            boolean mapped = true; // ::ffff:a.b.c.d
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return isNonPublic(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
        }
        return false;
    }
}
