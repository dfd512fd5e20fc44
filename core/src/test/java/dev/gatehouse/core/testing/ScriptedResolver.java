package dev.gatehouse.core.testing;

import dev.gatehouse.core.webhook.DestinationPolicy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DNS under the test's control, for SSRF tests: a scripted host answers each lookup with the next scripted
 * address and keeps answering the last one (so {@code script(host, public, loopback)} is a rebinding name: public on
 * the first lookup, loopback on every later one); other hosts go to the system resolver. Lookups are counted per host.
 */
public final class ScriptedResolver implements DestinationPolicy.Resolver {
    private final Map<String, Deque<InetAddress>> scripts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();

    public static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    /** From now on {@code host} answers {@code answers} in turn, then the last one forever; the count restarts. */
    public void script(String host, String... answers) {
        scripts.put(host, new ArrayDeque<>(List.of(answers).stream().map(ScriptedResolver::address).toList()));
        lookups.put(host, new AtomicInteger());
    }

    public int lookups(String host) {
        AtomicInteger count = lookups.get(host);
        return count == null ? 0 : count.get();
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        Deque<InetAddress> script = scripts.get(host);
        if (script == null) {
            return InetAddress.getAllByName(host);
        }
        lookups.get(host).incrementAndGet();
        synchronized (script) {
            return new InetAddress[] {script.size() > 1 ? script.removeFirst() : script.getFirst()};
        }
    }
}
