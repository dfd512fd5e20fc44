package dev.gatehouse.core.sessionpolicy;

import java.time.Duration;

/** A timeout as the admin gave it: a number of minutes, hours or days. */
public record SessionTimeout(int value, SessionTimeUnit unit) {
    public Duration duration() {
        return unit.times(value);
    }
}
