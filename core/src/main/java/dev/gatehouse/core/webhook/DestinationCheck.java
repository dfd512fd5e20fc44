package dev.gatehouse.core.webhook;

/** The outcome of {@link DestinationPolicy#check}: the destination with the addresses it was checked with, or why not. */
public sealed interface DestinationCheck {
    record Allowed(ResolvedDestination destination) implements DestinationCheck {}

    /** {@code reason} is safe to show the caller and to audit. */
    record Refused(String reason) implements DestinationCheck {}
}
