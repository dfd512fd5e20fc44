package dev.gatehouse.core.organization;

/** Where an organization's data is meant to live. Recorded and returned; a self-hosted node has one region. */
public enum RegionCode { UNSPECIFIED, US, EU }
