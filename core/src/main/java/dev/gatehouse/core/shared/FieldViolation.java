package dev.gatehouse.core.shared;

/** One rejected input field: its wire name, what is wrong, and the rule it broke. */
public record FieldViolation(String field, String description, String constraint) {}
