package dev.cornac.dataplane.patroni;

/** {@code GET /patroni} of one member: its PostgreSQL state, role, version and pending restart. */
public record MemberStatus(
    String state,
    PatroniRole role,
    int serverVersion,
    boolean pendingRestart,
    int timeline,
    String patroniVersion,
    String scope) {}
