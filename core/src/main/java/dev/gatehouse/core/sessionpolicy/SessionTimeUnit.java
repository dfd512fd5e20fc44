package dev.gatehouse.core.sessionpolicy;

import java.time.Duration;

/** The unit of a session timeout (the wire enum {@code commons.TimeUnit}). */
public enum SessionTimeUnit {
    MINUTES(Duration.ofMinutes(1)),
    HOURS(Duration.ofHours(1)),
    DAYS(Duration.ofDays(1));

    private final Duration length;

    SessionTimeUnit(Duration length) {
        this.length = length;
    }

    public Duration times(long value) {
        return length.multipliedBy(value);
    }

    /** {@code duration} in the largest unit that divides it exactly (minutes, rounded up, otherwise). */
    public static SessionTimeout largestExact(Duration duration) {
        for (SessionTimeUnit unit : new SessionTimeUnit[] {DAYS, HOURS}) {
            long seconds = unit.length.toSeconds();
            if (duration.toSeconds() % seconds == 0 && duration.toSeconds() / seconds <= Integer.MAX_VALUE) {
                return new SessionTimeout((int) (duration.toSeconds() / seconds), unit);
            }
        }
        return new SessionTimeout((int) Math.min(Integer.MAX_VALUE, (duration.toSeconds() + 59) / 60), MINUTES);
    }
}
