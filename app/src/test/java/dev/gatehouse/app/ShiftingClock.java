package dev.gatehouse.app;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The system clock plus an offset that a test moves forward by hand: a whole server runs on it, so a test can be
 * "hours later" (session timeouts, link expiry) without sleeping, while time still passes normally in between.
 */
final class ShiftingClock extends Clock {
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    @Override
    public Instant instant() {
        return Instant.now().plus(offset.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** Gatehouse works in UTC instants only: the zone changes nothing. */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    void advance(Duration duration) {
        offset.updateAndGet(current -> current.plus(duration));
    }
}
