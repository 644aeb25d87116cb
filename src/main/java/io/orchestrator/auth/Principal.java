package io.orchestrator.auth;

import java.time.Instant;
import java.util.Set;

/**
 * Who is calling: the token's {@code sub}, the workspaces its {@code workspaces} claim grants ("*" = all) and when
 * it expires ({@code exp}; a long-lived stream ends then).
 */
public record Principal(String subject, Set<String> workspaces, Instant expiresAt) {

  public static final String ALL_WORKSPACES = "*";

  public boolean canAccess(String workspace) {
    return workspaces.contains(ALL_WORKSPACES) || workspaces.contains(workspace);
  }
}
