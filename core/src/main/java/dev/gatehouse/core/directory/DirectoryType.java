package dev.gatehouse.core.directory;

/** How a directory receives its data. Only SCIM (push) is served today; POLL and LDAP are stored as given. */
public enum DirectoryType { SCIM, LDAP, POLL }
