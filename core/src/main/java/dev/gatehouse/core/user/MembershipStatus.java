package dev.gatehouse.core.user;

/** The state of a user's membership in an organization (scalekit.v1.commons.MembershipStatus). */
public enum MembershipStatus {
    ACTIVE,
    INACTIVE,
    PENDING_INVITE,
    /** Never stored: a PENDING_INVITE whose expiry has passed reads as this (see {@link Membership#status}). */
    INVITE_EXPIRED
}
