package dev.gatehouse.core.sessionpolicy;

/** Where an organization's session lifetimes come from (the wire enum {@code SessionPolicyType}). */
public enum SessionPolicySource {
    /** The environment's login settings, as for every organization without a policy. */
    APPLICATION,
    /** The organization's own timeouts; the stricter of them and the environment's apply. */
    CUSTOM
}
